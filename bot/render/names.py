"""A State's or organisation's name as a message or page shows it, in the reader's language.

storage.party_names says which language a name really is in; here an HTML page marks a name
that is not in the page's language with lang= (and dir= where the direction differs), so a
screen reader reads "International Atomic Energy Agency" with an English voice inside an
Arabic page. Telegram's HTML and plain text have no such mark-up: they get the text alone.
"""

from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup, escape

from bot.render.templates import direction
from storage.party_names import LocalName, party_name


class _StoredParty:
    """A party as the outbox context carries it: its code and the name stored for it."""

    def __init__(self, code: str, name: str) -> None:
        self.code = code
        self.name = name


def name_html(name: LocalName, page_language: str) -> Markup:
    """`name` for an HTML page in `page_language`, marked where its language differs."""
    if name.language == page_language:
        return escape(name.text)
    attributes = f' lang="{escape(name.language)}"'
    if direction(name.language) != direction(page_language):
        attributes += f' dir="{direction(name.language)}"'
    return Markup(f"<span{attributes}>{escape(name.text)}</span>")


def localised_party(party: Any, language: str, *, html: bool) -> dict[str, Any]:
    """{"party": {...}} with the name in `language` for a template context whose "party" is
    {"code", "name"}; {} where the context has no party (the Chair's messages)."""
    if not isinstance(party, Mapping) or "code" not in party:
        return {}
    local = party_name(_StoredParty(str(party["code"]), str(party.get("name", ""))), language)
    shown: str | Markup = name_html(local, language) if html else local.text
    return {"party": {**party, "name": shown}}


def state_namer(language: str, *, html: bool) -> Callable[[str], str | Markup]:
    """A template's `state_name(code)`: the name of the State or organisation with that code
    (as a message's context stores a request's State) in `language`, marked in HTML."""

    def shown(code: str) -> str | Markup:
        local = party_name(str(code), language)
        return name_html(local, language) if html else local.text

    return shown
