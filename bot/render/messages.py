"""Turn an outbox delivery into the exact e-mail or Telegram text a PoC receives.

Pure: takes plain values, returns strings. A message template lives in
templates/messages/<name>/<language>/ as subject.txt.j2, email.txt.j2, email.html.j2 and
telegram.html.j2. A PoC whose language has no version gets English, and the fall-back is
reported so staff see it before and after a send.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.render.names import localised_party
from bot.render.templates import DEFAULT_LANGUAGE, direction, environment
from storage.parties import UN_LANGUAGES

MESSAGE_FILES = ("subject.txt.j2", "email.txt.j2", "email.html.j2", "telegram.html.j2")


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
    names = {name.split("/")[1] for name in _template_files()}
    return sorted(name for name in names if not name.startswith("_"))


def languages_of(template: str) -> list[str]:
    """The languages in which `template` is complete (every file present)."""
    return [
        language for language in UN_LANGUAGES
        if all(f"messages/{template}/{language}/{f}" in _template_files() for f in MESSAGE_FILES)
    ]


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
                   reply_urls: dict[str, str] | None = None) -> RenderedMessage:
    language, fell_back = pick_language(template, wanted_language)
    env = environment()
    values = {
        **context,
        "language": language,
        "direction": direction(language),
        "unsubscribe_url": unsubscribe_url,
        "reply_urls": reply_urls,
    }

    def part(filename: str, **extra: Any) -> str:
        name = f"messages/{template}/{language}/{filename}"
        # the State's or organisation's name in the message's language; an HTML part marks
        # one that is in another language (lang=, dir=), a text or Telegram part cannot
        party = localised_party(context.get("party"), language,
                                html=filename == "email.html.j2")
        return env.get_template(name).render({**values, **party}, **extra).strip()

    subject = " ".join(part("subject.txt.j2").split())  # one line, whatever the template did
    return RenderedMessage(
        language=language, fell_back=fell_back, subject=subject,
        text=part("email.txt.j2"), html=part("email.html.j2", subject=subject),
        telegram=part("telegram.html.j2"),
    )
