"""The translators' catalogue: gettext `.po` files under templates/locale/, read through Babel.

One domain per area of templates/ (the folder right under templates/: web, report, chat ...),
so that each area's words are one file per language a translator's tool opens:
templates/locale/<language>/LC_MESSAGES/<area>.po, with the source in templates/locale/<area>.pot.
Templates mark words with `{% trans %}` or `_()`; `outreach translations extract` writes the
`.pot` and merges it into each `.po`; `outreach translations check` lists, per language, what is
missing (CI runs it through tests/rules/test_translations.py).

The `.po` files are read as they are (no compiled `.mo` to keep in step): fuzzy and empty
entries count as missing. A missing word falls back to English and is never silent: the check
lists it, and in a web or e-mail HTML page it is marked `lang="en"` (see `marks_language`).
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from storage.parties import UN_LANGUAGES

if TYPE_CHECKING:  # Babel loads when a word is first looked up, not when the CLI starts
    from babel.messages.catalog import Catalog, Message
    from babel.support import Translations

SOURCE_LANGUAGE = "en"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LOCALE = TEMPLATES / "locale"
# An area needs all six languages unless named here with fewer. The staff chat needs only the
# Secretariat's working languages, English and French: a staff member who chose another UN
# language reads English where it has no word yet, and `outreach translations check` (CI)
# fails only for a language an area requires, so it does not list those four for the chat.
REQUIRED_LANGUAGES: dict[str, tuple[str, ...]] = {"chat": ("en", "fr")}


def domains() -> list[str]:
    """The areas that have a catalogue (a .pot file)."""
    return sorted(path.stem for path in LOCALE.glob("*.pot"))


def po_path(language: str, domain: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{domain}.po"


def _read(path: Path, language: str) -> "Catalog":
    from babel.messages.pofile import read_po

    with path.open("rb") as source:
        return read_po(source, locale=language)


def _id(message: "Message") -> str:
    """A message's msgid (the singular one of a plural entry)."""
    return str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)


Key = tuple[str | None, str]  # (msgctxt, msgid)


def _key(message: "Message") -> Key:
    return (message.context, _id(message))


def _translated_ids(catalog: "Catalog") -> set[Key]:
    found: set[Key] = set()
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings):
            found.add(_key(message))
    return found


@dataclass(frozen=True)
class LanguageCatalogue:
    """Every domain's translations into one language, and which words each really has.

    A word is looked up in the domain of the template that marks it first: two areas may
    translate the same English differently (a staff menu's "Show the commands you can use"
    and a PoC's), and neither may overwrite the other. Elsewhere, the first domain that
    knows the word answers."""

    language: str
    by_domain: "dict[str, Translations]"
    known: dict[str, frozenset[Key]]

    def has(self, message: str, context: str | None = None, domain: str | None = None) -> bool:
        if self.language == SOURCE_LANGUAGE:
            return True
        return self._domain_of(message, context, domain) is not None

    def _domain_of(self, message: str, context: str | None, domain: str | None) -> str | None:
        if domain in self.known and (context, message) in self.known[domain]:
            return domain
        return next((name for name, words in self.known.items()
                     if (context, message) in words), None)

    def gettext(self, message: str, domain: str | None = None) -> str:
        found = self._domain_of(message, None, domain)
        return message if found is None else self.by_domain[found].gettext(message)

    def pgettext(self, context: str, message: str, domain: str | None = None) -> str:
        found = self._domain_of(message, context, domain)
        return message if found is None else str(
            self.by_domain[found].pgettext(context, message))

    def ngettext(self, singular: str, plural: str, count: int,
                 domain: str | None = None) -> str:
        found = self._domain_of(singular, None, domain)
        if found is None:
            return singular if count == 1 else plural
        return self.by_domain[found].ngettext(singular, plural, count)


def translated(language: str, domain: str) -> frozenset[Key]:
    """The words `domain`'s catalogue really translates into `language` (none if it has no
    .po; fuzzy and empty entries left out)."""
    path = po_path(language, domain)
    return frozenset(_translated_ids(_read(path, language))) if path.exists() else frozenset()


@cache
def catalogue(language: str) -> LanguageCatalogue:
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    by_domain: dict[str, Translations] = {}
    known: dict[str, frozenset[Key]] = {}
    for domain in domains():
        path = po_path(language, domain)
        if language == SOURCE_LANGUAGE or not path.exists():
            continue
        catalog = _read(path, language)
        known[domain] = frozenset(_translated_ids(catalog))
        compiled = io.BytesIO()
        write_mo(compiled, catalog)  # fuzzy entries are left out, as gettext would
        compiled.seek(0)
        by_domain[domain] = Translations(compiled, domain=domain)
    return LanguageCatalogue(language, by_domain, known)


def gettext(message: str, language: str, domain: str | None = None) -> str:
    return catalogue(language).gettext(message, domain)


def pgettext(context: str, message: str, language: str, domain: str | None = None) -> str:
    return catalogue(language).pgettext(context, message, domain)


def ngettext(singular: str, plural: str, count: int, language: str,
             domain: str | None = None) -> str:
    return catalogue(language).ngettext(singular, plural, count, domain)


def marks_language(template_name: str | None) -> bool:
    """Whether an English fallback in this template is wrapped in <span lang="en">: web pages
    and e-mail HTML, not Telegram's HTML (which refuses a span with attributes)."""
    if not template_name or not template_name.endswith(".html.j2"):
        return False
    area = template_name.split("/", 1)[0]
    return area not in {"chat", "telegram"} and not template_name.endswith("telegram.html.j2")


@dataclass(frozen=True)
class Missing:
    language: str
    domain: str
    message: str
    context: str | None = None


def _extracted(domain: str) -> list[Key]:
    template = _read(LOCALE / f"{domain}.pot", SOURCE_LANGUAGE)
    return [_key(message) for message in template if message.id]


def missing(domain_languages: dict[str, tuple[str, ...]] | None = None) -> Iterator[Missing]:
    """Every word of each domain's .pot that a language it requires lacks (or has fuzzy)."""
    for domain in domains():
        required = (domain_languages or REQUIRED_LANGUAGES).get(domain, UN_LANGUAGES)
        words = _extracted(domain)
        for language in required:
            if language == SOURCE_LANGUAGE:
                continue
            path = po_path(language, domain)
            have = _translated_ids(_read(path, language)) if path.exists() else set()
            for context, message in words:
                if (context, message) not in have:
                    yield Missing(language, domain, message, context)
