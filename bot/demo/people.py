"""The invented Points of Contact of the demo: names, titles, agencies, languages and time
zones for every State and organisation, with unique e-mail addresses on example.org.

Every person, address, telephone number and handle is invented (family names end in
"-Test"; telephone numbers are in the 555-01xx range reserved for fiction). Pure and
deterministic: it draws from the random.Random it is given.
"""

from __future__ import annotations

import functools
import importlib.resources
import random
import re
import zoneinfo
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

from bot.demo.monitoring import COORDINATING_ORGANISATIONS
from bot.demo.paper import EMAIL_DOMAIN, PAPER_FIGURES

__all__ = ["build_pocs"]

_STATES_WITH_TWO_ACTIVE_POCS: Final = 20
_INACTIVE_ONLY_STATES: Final = 3
_STATES_WITH_FORMER_POC: Final = 2
_ORGS_WITH_ASSISTANCE_POC: Final = 5
_MAX_INACTIVE_ONLY_ORGS: Final = 2

# ---------------------------------------------------------------------------
# Languages and names.
# ---------------------------------------------------------------------------
_STATES_BY_LANGUAGE: Final[Mapping[str, str]] = {
    "es": "AR BO CL CO CR CU DO EC ES GQ GT HN MX NI PA PE PY SV UY VE",
    "fr": "BE BF BI BJ CD CF CG CI CM DJ FR GA GN HT KM LU MC MG ML NE RW SN TD TG",
    "ar": "AE BH DZ EG IQ JO KW LB LY MA MR OM QA SA SD SO SY TN YE",
    "ru": "AM AZ BY KG KZ RU TJ TM UZ",
    "zh": "CN",
}
"""ISO2 codes (space-separated) of States whose PoC plausibly writes in that language;
every other State gets English."""


def _invert(by_language: Mapping[str, str]) -> dict[str, str]:
    return {code: language for language, codes in by_language.items() for code in codes.split()}


_LANGUAGE_BY_ISO2: Final = _invert(_STATES_BY_LANGUAGE)

_GIVEN_NAMES: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": ("Amina", "Karim", "Layla", "Omar", "Yasmin", "Tariq", "Nour", "Samir"),
    "zh": ("Lihua", "Wei", "Xiaomei", "Jun", "Yuxin", "Hao", "Mingyu", "Fang"),
    "en": ("Grace", "Kwame", "Priya", "Liam", "Ngozi", "Oliver", "Aroha", "Ravi"),
    "fr": ("Anaïs", "Mamadou", "Élodie", "Moussa", "Clémence", "Jean-Luc"),
    "ru": ("Aigerim", "Dmitri", "Gulnara", "Timur", "Olesya", "Arman", "Zarina"),
    "es": ("José", "Lucía", "Mateo", "Ximena", "Andrés", "Valentina", "Iñaki"),
}
_FAMILY_NAMES: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": ("Haddad", "El-Amrani", "Khoury", "Bensaïd", "Al-Nuaimi", "Mansour"),
    "zh": ("Chen", "Liu", "Zhao", "Huang", "Zhou", "Xu", "Sun"),
    "en": ("Mensah", "Okafor", "Fairweather", "Sharma", "Lindqvist", "Tupou"),
    "fr": ("Diallo", "Traoré", "Lefèvre", "Ndiaye", "Moreau", "Kaboré"),
    "ru": ("Ivanova", "Nurlanov", "Petrosyan", "Sokolov", "Abdullaeva"),
    "es": ("Quispe", "Fernández", "Oyarzún", "Mamani", "Castañeda", "Rojas"),
}
_NAME_SUFFIX: Final = "-Test"
"""Appended to every invented family name so that no row can pass for a real person."""

_STATE_TITLES: Final = (
    "Counsellor",
    "First Secretary",
    "Second Secretary",
    "Director",
    "Deputy Director",
    "Head of Unit",
    "Senior Adviser",
    "Attaché",
)
_STATE_AGENCIES: Final = (
    "Ministry of Foreign Affairs",
    "Permanent Mission to the United Nations",
    "Ministry of Defence",
    "Ministry of the Interior",
    "National Export Control Authority",
    "Customs Administration",
    "Nuclear Regulatory Authority",
    "Ministry of Health",
)
_ASSISTANCE_AGENCIES: Final = (
    "National Export Control Authority",
    "Customs Administration",
    "Ministry of Foreign Affairs",
    "Nuclear Regulatory Authority",
)
_ORG_TITLES: Final = ("Programme Officer", "Senior Officer", "Liaison Officer", "Coordinator")
_ORG_AGENCIES: Final = ("Secretariat", "Office of the Director-General", "Liaison Office")

# Organisation headquarters and working language, keyed by the upper-cased
# acronym (or its first segment before "/" or a space).  Unknown organisations
# get Europe/Vienna and English.
_ORG_TIMEZONES: Final[Mapping[str, str]] = {
    "IAEA": "Europe/Vienna",
    "UNODC": "Europe/Vienna",
    "OSCE": "Europe/Vienna",
    "CTBTO": "Europe/Vienna",
    "WASSENAAR": "Europe/Vienna",
    "OPCW": "Europe/Amsterdam",
    "BWC": "Europe/Zurich",
    "WHO": "Europe/Zurich",
    "UNIDIR": "Europe/Zurich",
    "UPU": "Europe/Zurich",
    "ITU": "Europe/Zurich",
    "WTO": "Europe/Zurich",
    "INTERPOL": "Europe/Paris",
    "WOAH": "Europe/Paris",
    "OIE": "Europe/Paris",
    "FATF": "Europe/Paris",
    "OECD": "Europe/Paris",
    "WCO": "Europe/Brussels",
    "EU": "Europe/Brussels",
    "NATO": "Europe/Brussels",
    "UNICRI": "Europe/Rome",
    "FAO": "Europe/Rome",
    "IMO": "Europe/London",
    "ICAO": "America/Toronto",
    "UNODA": "America/New_York",
    "UNOCT": "America/New_York",
    "CTED": "America/New_York",
    "UNREC": "Africa/Lome",
    "UNRCPD": "Asia/Kathmandu",
    "UNLIREC": "America/Lima",
    "ECCAS": "Africa/Libreville",
    "EAC": "Africa/Dar_es_Salaam",
    "IGAD": "Africa/Djibouti",
    "OAS": "America/New_York",
    "AU": "Africa/Addis_Ababa",
    "ECOWAS": "Africa/Lagos",
    "SADC": "Africa/Gaborone",
    "LAS": "Africa/Cairo",
    "GCC": "Asia/Riyadh",
    "ASEAN": "Asia/Jakarta",
    "CARICOM": "America/Guyana",
    "SICA": "America/El_Salvador",
    "PIF": "Pacific/Fiji",
    "CSTO": "Europe/Moscow",
    "CIS": "Europe/Moscow",
    "SCO": "Asia/Shanghai",
}
_ORG_LANGUAGES: Final[Mapping[str, str]] = {
    "OAS": "es",
    "SICA": "es",
    "LAS": "ar",
    "GCC": "ar",
    "CSTO": "ru",
    "CIS": "ru",
    "SCO": "zh",
    "ECOWAS": "fr",
    "ECCAS": "fr",
    "UNREC": "fr",
    "UNLIREC": "es",
    "INTERPOL": "fr",
}
_DEFAULT_ORG_TIMEZONE: Final = "Europe/Vienna"

# For a few States spanning several time zones the first zone listed in
# zone.tab is not the capital's; prefer the capital's when tzdata lists it.
_CAPITAL_TIMEZONES: Final[Mapping[str, str]] = {
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "FM": "Pacific/Pohnpei",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "UZ": "Asia/Tashkent",
}

_PHONE_AREA_CODES: Final = ("202", "212", "312", "415", "617", "613")
"""Real area codes; the 555-01xx exchange within them is reserved for fiction."""

_TELEGRAM_HANDLE_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}")


# ---------------------------------------------------------------------------
# Points of Contact.
# ---------------------------------------------------------------------------
@functools.cache
def _zone_table() -> Mapping[str, tuple[str, ...]]:
    """ISO 3166 alpha-2 code -> time zones listed for it in ``zone.tab``."""
    text = _read_zone_tab()
    table: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) >= 3:
            table.setdefault(fields[0].strip().upper(), []).append(fields[2].strip())
    return {code: tuple(zones) for code, zones in table.items()}


def _read_zone_tab() -> str:
    try:
        resource = importlib.resources.files("tzdata").joinpath("zoneinfo/zone.tab")
        return resource.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        pass
    for directory in zoneinfo.TZPATH:
        candidate = Path(directory) / "zone.tab"
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    return ""


def _state_timezone(iso2: str) -> str:
    zones = _zone_table().get(iso2.upper(), ())
    if not zones:
        return "UTC"
    capital = _CAPITAL_TIMEZONES.get(iso2.upper())
    return capital if capital in zones else zones[0]


def _org_key(acronym: str) -> str:
    upper = acronym.upper()
    if upper in _ORG_TIMEZONES or upper in _ORG_LANGUAGES:
        return upper
    return re.split(r"[/ \-]", upper, maxsplit=1)[0]


def _slug(party: str, separator: str) -> str:
    """Lower-case ASCII letters and digits of ``party`` joined by ``separator``."""
    chunks = re.split(r"[^a-z0-9]+", party.lower())
    slug = separator.join(chunk for chunk in chunks if chunk)
    return slug or "party"


class _ContactFactory:
    """Produces invented PoC rows with unique first e-mail addresses."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used_local_parts: set[str] = set()
        self._per_party: dict[str, int] = {}

    def _next_local_part(self, party: str) -> tuple[str, int]:
        slug = _slug(party, "-")
        number = self._per_party.get(party, 0)
        while True:
            number += 1
            local = f"poc.{slug}.{number}"
            if local not in self._used_local_parts:
                break
        self._per_party[party] = number
        self._used_local_parts.add(local)
        return local, number

    def _name(self, language: str) -> str:
        given = self._rng.choice(_GIVEN_NAMES[language])
        family = self._rng.choice(_FAMILY_NAMES[language])
        return f"{given} {family}{_NAME_SUFFIX}"

    def _telegram(self, party: str, number: int) -> str:
        draw = self._rng.random()
        if draw < 0.4:
            handle = f"poc_{_slug(party, '_')}_{number}"[:32].rstrip("_")
            if _TELEGRAM_HANDLE_RE.fullmatch(handle):
                return f"@{handle}"
            return ""
        if draw < 0.55:
            return str(self._rng.randint(100_000_000, 999_999_999))
        return ""

    def _phone(self) -> str:
        if self._rng.random() < 0.8:
            area = self._rng.choice(_PHONE_AREA_CODES)
            return f"+1 {area} 555 01{self._rng.randint(0, 99):02d}"
        return ""

    def make(
        self,
        *,
        party: str,
        role: str,
        language: str,
        timezone: str,
        status: str,
        titles: Sequence[str],
        agencies: Sequence[str],
    ) -> dict[str, str]:
        local, number = self._next_local_part(party)
        emails = [f"{local}@{EMAIL_DOMAIN}"]
        if self._rng.random() < 0.3:
            emails.append(f"desk.{_slug(party, '-')}.{number}@{EMAIL_DOMAIN}")
        return {
            "party": party,
            "role": role,
            "full_name": self._name(language),
            "title": self._rng.choice(titles),
            "agency": self._rng.choice(agencies),
            "email": ";".join(emails),
            "phone": self._phone(),
            "telegram": self._telegram(party, number),
            "language": language,
            "timezone": timezone,
            "status": status,
        }


def _with_coordinators(active: set[int], organisations: Sequence[str]) -> set[int]:
    """`active` with the organisations of the invented regional coordinators
    (bot/demo/monitoring.py) swapped in for others, so that their coordinators do not add
    organisations with a PoC; no draw of the generator, so nothing else moves."""
    wanted = {organisations.index(code) for code in COORDINATING_ORGANISATIONS
              if code in organisations}
    spare = sorted(active - wanted, reverse=True)
    for index in sorted(wanted - active):
        if spare:
            active = (active - {spare.pop(0)}) | {index}
    return active


def build_pocs(
    rng: random.Random,
    states: Sequence[tuple[str, str]],
    organisations: Sequence[str],
) -> list[dict[str, str]]:
    factory = _ContactFactory(rng)
    rows: list[dict[str, str]] = []

    indices = list(range(len(states)))
    active = set(rng.sample(indices, PAPER_FIGURES.states_with_active_poc))
    without_active = [index for index in indices if index not in active]
    with_active = sorted(active)
    two_active = set(rng.sample(with_active, _STATES_WITH_TWO_ACTIVE_POCS))
    inactive_only = set(rng.sample(without_active, _INACTIVE_ONLY_STATES))
    former = set(rng.sample(with_active, _STATES_WITH_FORMER_POC))

    for index, (iso3, iso2) in enumerate(states):
        language = _LANGUAGE_BY_ISO2.get(iso2.upper(), "en")
        timezone = _state_timezone(iso2)
        # (whether this State has such a PoC, role, status, agencies)
        for wanted, role, status, agencies in (
            (index in inactive_only or index in former, "national", "inactive", _STATE_AGENCIES),
            (index in active, "national", "active", _STATE_AGENCIES),
            (index in two_active, "assistance", "active", _ASSISTANCE_AGENCIES),
        ):
            if wanted:
                rows.append(factory.make(party=iso3, language=language, timezone=timezone,
                                         role=role, status=status, titles=_STATE_TITLES,
                                         agencies=agencies))

    org_indices = list(range(len(organisations)))
    active_orgs = set(rng.sample(org_indices, PAPER_FIGURES.organisations_with_active_poc))
    active_orgs = _with_coordinators(active_orgs, organisations)
    idle_orgs = [index for index in org_indices if index not in active_orgs]
    inactive_orgs = set(idle_orgs[:_MAX_INACTIVE_ONLY_ORGS])
    if not inactive_orgs:
        # Every organisation is active: show a replaced coordinator instead.
        inactive_orgs = {min(active_orgs)}
    assisting_orgs = set(rng.sample(sorted(active_orgs), _ORGS_WITH_ASSISTANCE_POC))

    for index, acronym in enumerate(organisations):
        key = _org_key(acronym)
        language = _ORG_LANGUAGES.get(key, "en")
        timezone = _ORG_TIMEZONES.get(key, _DEFAULT_ORG_TIMEZONE)
        for wanted, role, status in (
            (index in inactive_orgs, "coordinator", "inactive"),
            (index in active_orgs, "coordinator", "active"),
            (index in assisting_orgs, "assistance", "active"),
        ):
            if wanted:
                rows.append(factory.make(party=acronym, language=language, timezone=timezone,
                                         role=role, status=status, titles=_ORG_TITLES,
                                         agencies=_ORG_AGENCIES))
    return rows
