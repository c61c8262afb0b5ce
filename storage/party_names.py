"""The name of a Member State or organisation in one of the six UN languages.

Where each name comes from (storage/reference/README.md says more):
- a Member State: the override table state_name_overrides.csv where the UN's official short
  name differs from CLDR (every English difference is there, so English equals
  member_states.csv), else CLDR's territory name through Babel;
- an organisation: organisation_names.csv, else its English name from organisations.csv;
- a party staff added that is not in the reference data: the name they stored.

A fall-back is never silent: `LocalName.language` is the language the text really is in, so a
page can mark an English name inside a French page with lang="en". Everything is read once
and cached; a look-up is a dictionary access.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Protocol

ENGLISH = "en"
# The six official languages of the UN (storage.parties.UN_LANGUAGES; repeated here because
# this module reads files only and must stay importable on its own).
_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


@dataclass(frozen=True)
class LocalName:
    text: str
    language: str  # the language `text` is written in: may differ from the one asked for

    def __str__(self) -> str:
        return self.text


class NamedParty(Protocol):
    """What party_name needs of a storage.parties.Party (or any record like it)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class _Names:
    iso2: dict[str, str]                        # iso3 -> iso2, Member States only
    state_overrides: dict[tuple[str, str], str]  # (iso3, language) -> UN short name
    organisations: dict[str, str]                # acronym -> English full name
    organisation_names: dict[tuple[str, str], tuple[str, str]]  # (acronym, lang) -> name, short


def _rows(filename: str) -> Iterator[dict[str, str]]:
    text = resources.files("storage").joinpath("reference", filename).read_text("utf-8")
    yield from csv.DictReader(text.splitlines())


@cache
def _names() -> _Names:
    return _Names(
        iso2={row["iso3"]: row["iso2"] for row in _rows("member_states.csv")},
        state_overrides={(row["iso3"], row["language"]): row["name"]
                         for row in _rows("state_name_overrides.csv")},
        organisations={row["acronym"]: row["full_name"] for row in _rows("organisations.csv")},
        organisation_names={(row["acronym"], row["language"]): (row["name"], row["short_name"])
                            for row in _rows("organisation_names.csv")},
    )


@cache
def _territories(language: str) -> dict[str, str]:
    from babel import Locale  # loaded with the first name, not when the CLI starts

    return dict(Locale.parse(language).territories)


def state_name(iso3: str, language: str) -> LocalName:
    """The UN short name of a Member State; KeyError for a code that is not one."""
    names = _names()
    iso2 = names.iso2[iso3]
    if language not in _LANGUAGES:
        language = ENGLISH
    override = names.state_overrides.get((iso3, language))
    if override is not None:
        return LocalName(override, language)
    return LocalName(_territories(language)[iso2], language)


def organisation_name(acronym: str, language: str, *, short: bool = False) -> LocalName:
    """An organisation's name (or, with `short`, the acronym the UN uses in that language),
    in English where no translation is recorded. KeyError for an unknown acronym."""
    names = _names()
    english = names.organisations[acronym]
    found = names.organisation_names.get((acronym, language))
    if found is None:
        return LocalName(acronym if short else english, ENGLISH)
    name, short_name = found
    if short:
        return LocalName(short_name or acronym, language if short_name else ENGLISH)
    return LocalName(name, language)


def is_reference_party(code: str) -> bool:
    names = _names()
    return code in names.iso2 or code in names.organisations


def party_name(party: "str | NamedParty", language: str) -> LocalName:
    """The name of a State or organisation (by code, or a record with .code and .name) in
    `language`. A party staff added that the reference data does not know keeps the name
    they stored, in English as far as anyone can tell; a bare unknown code is a KeyError."""
    code = party if isinstance(party, str) else party.code
    names = _names()
    if code in names.iso2:
        return state_name(code, language)
    if code in names.organisations:
        return organisation_name(code, language)
    if isinstance(party, str):
        raise KeyError(f"no Member State or organisation with code {code!r}")
    return LocalName(party.name, ENGLISH)
