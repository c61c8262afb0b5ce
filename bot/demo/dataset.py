"""Invented demonstration data set reproducing the 2022 background-paper figures.

Every person, address, telephone number, handle and document symbol produced by
this module is invented.  Only the *aggregates* are meant to be realistic: they
reproduce the reporting figures of the 1540 Committee's 2022 background paper
(see :data:`PAPER_FIGURES`), so that e.g. ``outreach status --since 2016-01-01``
prints the paper's numbers when run against the demonstration data.

The module is pure and deterministic: it uses only a private
``random.Random(1540)`` created anew for each call, never the global random
state, and it performs no I/O except reading the time-zone table shipped with
``tzdata`` (or the system one) and, in :func:`write_csv`, writing the file it is
asked to write.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import random
import re
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Final

from storage.parties import UN_LANGUAGES

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "EMAIL_DOMAIN",
    "LANGUAGES",
    "PAPER_FIGURES",
    "POC_COLUMNS",
    "RECENT_SINCE",
    "SUBMISSION_COLUMNS",
    "InventedDataset",
    "PaperFigures",
    "build_paper_dataset",
    "write_csv",
]

POC_COLUMNS: Final = (
    "party",
    "role",
    "full_name",
    "title",
    "agency",
    "email",
    "phone",
    "telegram",
    "language",
    "timezone",
    "status",
)
SUBMISSION_COLUMNS: Final = ("state", "kind", "date", "symbol", "note")

EMAIL_DOMAIN: Final = "example.org"
DATE_MIN: Final = date(2004, 4, 28)
"""Date of resolution 1540 (2004); no submission is dated earlier."""
DATE_MAX: Final = date(2022, 4, 15)
"""Cut-off of the data set; no submission is dated later."""
RECENT_SINCE: Final = date(2016, 1, 1)
"""Start of the period for which the paper counts recent submissions."""

_ACTION_PLAN_MIN: Final = date(2012, 1, 1)
_FIRST_REPORT_MAX: Final = date(2011, 12, 31)
_EARLY_FIRST_REPORT_MAX: Final = date(2006, 12, 31)
_OLD_MAX: Final = RECENT_SINCE - timedelta(days=1)


@dataclass(frozen=True)
class PaperFigures:
    """The figures of the 2022 background paper that the data set reproduces."""

    member_states: int = 193
    reporting_states: int = 185
    states_with_one_report: int = 61
    states_with_two_reports: int = 28
    states_with_three_or_more_reports: int = 96
    states_submitting_since_2016: int = 75
    action_plans: int = 44
    states_with_action_plans: int = 36
    states_with_active_poc: int = 136
    organisations_with_active_poc: int = 22

    @property
    def non_reporting_states(self) -> int:
        return self.member_states - self.reporting_states


PAPER_FIGURES: Final = PaperFigures()


@dataclass(frozen=True)
class InventedDataset:
    """Rows ready for the PoC and submission CSV import formats."""

    pocs: list[dict[str, str]]
    submissions: list[dict[str, str]]


# ---------------------------------------------------------------------------
# How the figures are distributed over the groups of States.  Each tuple is
# indexed by the number-of-national-reports group: (exactly 1, exactly 2, 3+).
# The sums must match PAPER_FIGURES; this is checked at import time below.
# ---------------------------------------------------------------------------
_GROUP_SIZES: Final = (
    PAPER_FIGURES.states_with_one_report,
    PAPER_FIGURES.states_with_two_reports,
    PAPER_FIGURES.states_with_three_or_more_reports,
)
_RECENT_PER_GROUP: Final = (8, 12, 55)
_ACTION_PLAN_STATES_PER_GROUP: Final = (3, 5, 28)
_DOUBLE_ACTION_PLAN_STATES: Final = (
    PAPER_FIGURES.action_plans - PAPER_FIGURES.states_with_action_plans
)
_LARGE_GROUP_REPORT_COUNTS: Final = (3, 4, 5, 6)
_LARGE_GROUP_REPORT_WEIGHTS: Final = (40, 30, 20, 10)

_STATES_WITH_TWO_ACTIVE_POCS: Final = 20
_INACTIVE_ONLY_STATES: Final = 3
_STATES_WITH_FORMER_POC: Final = 2
_ORGS_WITH_ASSISTANCE_POC: Final = 5
_MAX_INACTIVE_ONLY_ORGS: Final = 2

assert sum(_GROUP_SIZES) == PAPER_FIGURES.reporting_states
assert sum(_RECENT_PER_GROUP) == PAPER_FIGURES.states_submitting_since_2016
assert sum(_ACTION_PLAN_STATES_PER_GROUP) == PAPER_FIGURES.states_with_action_plans
assert all(r <= g for r, g in zip(_RECENT_PER_GROUP, _GROUP_SIZES, strict=True))
assert all(a <= g for a, g in zip(_ACTION_PLAN_STATES_PER_GROUP, _GROUP_SIZES, strict=True))
assert 0 <= _DOUBLE_ACTION_PLAN_STATES <= _ACTION_PLAN_STATES_PER_GROUP[2]


# ---------------------------------------------------------------------------
# Languages and names.
# ---------------------------------------------------------------------------
LANGUAGES: Final = UN_LANGUAGES

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

_ADDITIONAL_INFO_NOTES: Final = (
    "Updated matrix information",
    "Additional information on export controls",
    "Reply to Committee letter",
    "Information on national legislation",
)
_FIRST_REPORT_NOTE: Final = "First national report"
_ACTION_PLAN_NOTE: Final = "Voluntary national implementation action plan"

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
# Public API.
# ---------------------------------------------------------------------------
def build_paper_dataset(
    states: Sequence[tuple[str, str]], organisations: Sequence[str]
) -> InventedDataset:
    """Build the invented data set for the given States and organisations.

    ``states`` are the ``(iso3, iso2)`` codes of the 193 Member States in a
    stable order; ``organisations`` the acronyms of at least 22
    organisations.  The same input always yields the same output.
    """
    _check_input(states, organisations)
    rng = random.Random(1540)
    submissions = _build_submissions(rng, states)
    pocs = _build_pocs(rng, states, organisations)
    return InventedDataset(pocs=pocs, submissions=submissions)


def write_csv(rows: Sequence[Mapping[str, str]], columns: Sequence[str], path: Path) -> None:
    """Write ``rows`` to ``path`` as UTF-8 comma-separated values with a header row."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})


# ---------------------------------------------------------------------------
# Submissions.
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _ReportingPlan:
    national_reports: int
    action_plans: int
    recent: bool


def _check_input(states: Sequence[tuple[str, str]], organisations: Sequence[str]) -> None:
    if len(states) != PAPER_FIGURES.member_states:
        raise ValueError(f"expected {PAPER_FIGURES.member_states} Member States, got {len(states)}")
    iso3_codes = [iso3 for iso3, _ in states]
    if len(set(iso3_codes)) != len(iso3_codes) or not all(iso3_codes):
        raise ValueError("ISO3 codes of Member States must be non-empty and unique")
    if len(organisations) < PAPER_FIGURES.organisations_with_active_poc:
        raise ValueError(
            f"expected at least {PAPER_FIGURES.organisations_with_active_poc}"
            f" organisations, got {len(organisations)}"
        )
    if len(set(organisations)) != len(organisations) or not all(organisations):
        raise ValueError("organisation acronyms must be non-empty and unique")
    if set(organisations) & set(iso3_codes):
        raise ValueError("organisation acronyms must differ from State ISO3 codes")


def _plan_reporting(rng: random.Random, state_count: int) -> dict[int, _ReportingPlan]:
    """Decide, per State index, how many documents of each kind it submitted."""
    order = list(range(state_count))
    rng.shuffle(order)
    reporting = order[: PAPER_FIGURES.reporting_states]
    groups: list[list[int]] = []
    start = 0
    for size in _GROUP_SIZES:
        groups.append(reporting[start : start + size])
        start += size

    plans: dict[int, _ReportingPlan] = {}
    for group_index, members in enumerate(groups):
        recent = set(rng.sample(members, _RECENT_PER_GROUP[group_index]))
        with_plan = rng.sample(members, _ACTION_PLAN_STATES_PER_GROUP[group_index])
        double = (
            set(rng.sample(with_plan, _DOUBLE_ACTION_PLAN_STATES))
            if group_index == len(groups) - 1
            else set()
        )
        for member in members:
            if group_index < len(groups) - 1:
                national = group_index + 1
            else:
                national = rng.choices(
                    _LARGE_GROUP_REPORT_COUNTS, weights=_LARGE_GROUP_REPORT_WEIGHTS
                )[0]
            action_plans = 0
            if member in with_plan:
                action_plans = 2 if member in double else 1
            plans[member] = _ReportingPlan(national, action_plans, member in recent)
    return plans


def _random_date(rng: random.Random, low: date, high: date) -> date:
    return low + timedelta(days=rng.randint(0, (high - low).days))


def _distinct_dates(rng: random.Random, count: int, low: date, high: date) -> list[date]:
    """``count`` distinct sorted dates in ``[low, high]``."""
    if count <= 0:
        return []
    offsets = rng.sample(range((high - low).days + 1), count)
    return sorted(low + timedelta(days=offset) for offset in offsets)


def _national_report_dates(rng: random.Random, plan: _ReportingPlan) -> list[date]:
    recent_national = plan.recent and plan.action_plans == 0
    if recent_national and plan.national_reports == 1:
        # A late first report is what makes this State count as recent.
        return [_random_date(rng, RECENT_SINCE, DATE_MAX)]
    if rng.random() < 0.8:
        first = _random_date(rng, DATE_MIN, _EARLY_FIRST_REPORT_MAX)
    else:
        first = _random_date(rng, _EARLY_FIRST_REPORT_MAX, _FIRST_REPORT_MAX)
    later = plan.national_reports - 1
    if later == 0:
        return [first]
    if recent_national:
        last = _random_date(rng, RECENT_SINCE, DATE_MAX)
        middle = _distinct_dates(
            rng, later - 1, first + timedelta(days=1), last - timedelta(days=1)
        )
        return [first, *middle, last]
    return [first, *_distinct_dates(rng, later, first + timedelta(days=1), _OLD_MAX)]


def _action_plan_dates(rng: random.Random, plan: _ReportingPlan) -> list[date]:
    if plan.action_plans == 0:
        return []
    if not plan.recent:
        return _distinct_dates(rng, plan.action_plans, _ACTION_PLAN_MIN, _OLD_MAX)
    last = _random_date(rng, RECENT_SINCE, DATE_MAX)
    earlier = _distinct_dates(rng, plan.action_plans - 1, _ACTION_PLAN_MIN, _OLD_MAX)
    return [*earlier, last]


def _build_submissions(
    rng: random.Random, states: Sequence[tuple[str, str]]
) -> list[dict[str, str]]:
    plans = _plan_reporting(rng, len(states))
    # (state index, date, kind, note)
    records: list[tuple[int, date, str, str]] = []
    for index in range(len(states)):
        plan = plans.get(index)
        if plan is None:
            continue
        national = _national_report_dates(rng, plan)
        records.append((index, national[0], "first_report", _FIRST_REPORT_NOTE))
        for when in national[1:]:
            note = rng.choice(_ADDITIONAL_INFO_NOTES) if rng.random() < 0.5 else ""
            records.append((index, when, "additional_info", note))
        for when in _action_plan_dates(rng, plan):
            records.append((index, when, "action_plan", _ACTION_PLAN_NOTE))

    # Invented document symbols, numbered per year in chronological order.
    symbols: dict[tuple[int, date, str], str] = {}
    per_year: dict[tuple[int, str], int] = {}
    for index, when, kind, _ in sorted(records, key=lambda r: (r[1], r[0], r[2])):
        if kind == "additional_info" and rng.random() < 0.15:
            continue  # some informal submissions carry no symbol
        series = "(04)" if kind == "action_plan" else "(02)"
        number = per_year.get((when.year, series), 0) + 1
        per_year[(when.year, series)] = number
        symbols[(index, when, kind)] = f"S/AC.44/{when.year}/{series}/{number}"

    rows: list[dict[str, str]] = []
    for index, when, kind, note in sorted(records, key=lambda r: (r[0], r[1], r[2])):
        rows.append(
            {
                "state": states[index][0],
                "kind": kind,
                "date": when.isoformat(),
                "symbol": symbols.get((index, when, kind), ""),
                "note": note,
            }
        )
    return rows


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


def _build_pocs(
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
