"""The Committee's website list of published assistance requests: one self-contained page per
UN language (templates/assistance/en/published.html.j2), fetching nothing.

Only what the State consented to publish and nothing personal: the State, the days received
and published, the reference and the areas (with the weapon category) it needs. The summary
staff typed is not shown: it may name people.
"""

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from bot.render.names import name_html
from bot.render.templates import render
from storage.parties import UN_LANGUAGES
from storage.party_names import party_name


@dataclass(frozen=True)
class PublishedNeed:
    area: str
    weapon: str | None


@dataclass(frozen=True)
class PublishedRequest:
    state: str  # the State's code
    received_on: date
    published_on: date
    reference: str
    needs: tuple[PublishedNeed, ...]


@dataclass(frozen=True)
class _Shown:
    state_name: Markup
    received_on: date
    published_on: date
    reference: str
    needs: tuple[PublishedNeed, ...]


def page_name(language: str) -> str:
    return "index.html" if language == "en" else f"index.{language}.html"


def published_pages(requests: list[PublishedRequest], generated_on: date,
                    language_names: dict[str, str],
                    notice: str | None = None) -> dict[str, str]:
    """File name -> page, for each UN language; `notice` (e.g. "invented data") on each."""
    pages = {}
    for language in UN_LANGUAGES:
        shown = [_Shown(name_html(party_name(item.state, language), language),
                        item.received_on, item.published_on, item.reference, item.needs)
                 for item in requests]
        others = [(other, language_names.get(other, other), page_name(other))
                  for other in UN_LANGUAGES if other != language]
        pages[page_name(language)] = render(
            "assistance/published.html.j2", language, requests=shown,
            generated_on=generated_on, others=others, notice=notice) + "\n"
    return pages
