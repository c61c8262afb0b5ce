"""Turn an outbox delivery into the exact e-mail or Telegram text a PoC receives.

Pure: takes plain values, returns strings. A message template lives in
templates/messages/<name>/ as subject.txt.j2, email.txt.j2, email.html.j2 and telegram.html.j2,
in English with its words marked for the catalogue (templates/locale/<language>/LC_MESSAGES/
messages.po). A message goes out wholly in the PoC's language when that catalogue translates
every word the template's files mark, else wholly in English, and the fall-back is reported so
staff see it before and after a send: never a message half in one language, half in another.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.render import catalogue
from bot.render.names import localised_party, state_namer
from bot.render.templates import DEFAULT_LANGUAGE, direction, environment
from storage.parties import UN_LANGUAGES

MESSAGE_FILES = ("subject.txt.j2", "email.txt.j2", "email.html.j2", "telegram.html.j2")
HTML_PART = "email.html.j2"  # the part whose party names are marked with lang=
DOMAIN = "messages"


@dataclass(frozen=True)
class RenderedMessage:
    language: str
    fell_back: bool
    subject: str
    text: str
    html: str
    telegram: str


@cache
def _template_files() -> frozenset[str]:
    return frozenset(environment().list_templates(filter_func=lambda n: n.startswith("messages/")))


def message_templates() -> list[str]:
    """The kinds of message: a folder of templates/messages/ with all four files."""
    names = {name.split("/")[1] for name in _template_files()}
    return sorted(
        name for name in names if not name.startswith("_")
        and all(f"messages/{name}/{f}" in _template_files() for f in MESSAGE_FILES))


@cache
def _marked_words() -> dict[str, frozenset[catalogue.Key]]:
    """template -> the words its files mark, from the locations in messages.pot (which
    tests/rules/test_translations.py keeps in step with the templates)."""
    from babel.messages.pofile import read_po

    words: dict[str, set[catalogue.Key]] = {}
    with (catalogue.LOCALE / f"{DOMAIN}.pot").open("rb") as source:
        for message in read_po(source):
            if not message.id:
                continue
            singular = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
            key = (message.context, str(singular))
            for path, _line in message.locations:
                words.setdefault(path.split("/")[1], set()).add(key)
    return {template: frozenset(keys) for template, keys in words.items()}


def languages_of(template: str) -> list[str]:
    """The languages in which `template` is complete: English (its source), and each language
    whose catalogue translates every word the template's files mark."""
    if template not in message_templates():
        return []
    words = _marked_words().get(template, frozenset())
    return [language for language in UN_LANGUAGES
            if language == DEFAULT_LANGUAGE or words <= _translated(language)]


@cache
def _translated(language: str) -> frozenset[catalogue.Key]:
    return catalogue.translated(language, DOMAIN)


def missing_translations() -> dict[str, list[str]]:
    """template -> UN languages it lacks (English included, which would be an error)."""
    return {
        template: [lang for lang in UN_LANGUAGES if lang not in languages_of(template)]
        for template in message_templates()
    }


def pick_language(template: str, wanted: str) -> tuple[str, bool]:
    """The language to use for a PoC who wants `wanted`, and whether it is a fall-back."""
    available = languages_of(template)
    if wanted in available:
        return wanted, False
    if DEFAULT_LANGUAGE not in available:
        raise LookupError(f"template {template!r} has no complete English version")
    return DEFAULT_LANGUAGE, True


def render_message(template: str, wanted_language: str, context: dict[str, Any],
                   unsubscribe_url: str | None = None,
                   reply_urls: dict[str, str] | None = None,
                   channel: str | None = None) -> RenderedMessage:
    """Every part; with `channel` "email" or "telegram", only that channel's (the others
    are left empty: the dispatcher renders a delivery for its one channel)."""
    language, fell_back = pick_language(template, wanted_language)

    def party(html: bool) -> dict[str, Any]:
        # the State's or organisation's name in the message's language; an HTML part marks
        # one that is in another language (lang=, dir=), a text or Telegram part cannot
        return localised_party(context.get("party"), language, html=html)

    return render_parts(template, language, fell_back, context, party, unsubscribe_url,
                        reply_urls, channel)


def render_parts(template: str, language: str, fell_back: bool, context: dict[str, Any],
                 party: Callable[[bool], dict[str, Any]], unsubscribe_url: str | None,
                 reply_urls: dict[str, str] | None, channel: str | None) -> RenderedMessage:
    """render_message in `language`, already picked, with `party(html)` the values that
    replace the context's party in an HTML part (html=True) or another one
    (bot.render.message_fill renders with stand-ins for the recipient's values)."""
    env = environment(language)
    values = {
        **context,
        "language": language,
        "direction": direction(language),
        "unsubscribe_url": unsubscribe_url,
        "reply_urls": reply_urls,
    }

    def part(filename: str, **extra: Any) -> str:
        name = f"messages/{template}/{filename}"
        html = filename == HTML_PART
        return env.get_template(name).render({**values, **party(html)}, **extra,
                                             state_name=state_namer(language, html=html)).strip()

    subject = " ".join(part("subject.txt.j2").split())  # one line, whatever the template did
    email, telegram = channel != "telegram", channel != "email"
    return RenderedMessage(
        language=language, fell_back=fell_back, subject=subject,
        text=part("email.txt.j2") if email else "",
        html=part(HTML_PART, subject=subject) if email else "",
        telegram=part("telegram.html.j2") if telegram else "",
    )
