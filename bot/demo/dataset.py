"""Invented demonstration data set reproducing the 2022 background-paper figures.

Every person, address, telephone number, handle and document symbol produced by
this module is invented.  Only the *aggregates* are meant to be realistic: they
reproduce the reporting figures of the 1540 Committee's 2022 background paper
(see :data:`PAPER_FIGURES`), so that e.g. ``outreach status --since 2016-01-01``
prints the paper's numbers when run against the demonstration data.

The module is pure and deterministic: it uses only a private
``random.Random(1540)`` created anew for each call, never the global random
state, and it performs no I/O except, in :func:`write_csv`, writing the file it is
asked to write. The people are bot.demo.people's (which reads the time-zone table
shipped with ``tzdata``); the figures they add up to are bot.demo.paper's.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Final

from bot.demo.paper import (
    DATE_MAX,
    DATE_MIN,
    EMAIL_DOMAIN,
    LANGUAGES,
    PAPER_FIGURES,
    POC_COLUMNS,
    RECENT_SINCE,
    SUBMISSION_COLUMNS,
    PaperFigures,
)
from bot.demo.people import build_pocs

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

_ACTION_PLAN_MIN: Final = date(2012, 1, 1)
_FIRST_REPORT_MAX: Final = date(2011, 12, 31)
_EARLY_FIRST_REPORT_MAX: Final = date(2006, 12, 31)
_OLD_MAX: Final = RECENT_SINCE - timedelta(days=1)


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

assert sum(_GROUP_SIZES) == PAPER_FIGURES.reporting_states
assert sum(_RECENT_PER_GROUP) == PAPER_FIGURES.states_submitting_since_2016
assert sum(_ACTION_PLAN_STATES_PER_GROUP) == PAPER_FIGURES.states_with_action_plans
assert all(r <= g for r, g in zip(_RECENT_PER_GROUP, _GROUP_SIZES, strict=True))
assert all(a <= g for a, g in zip(_ACTION_PLAN_STATES_PER_GROUP, _GROUP_SIZES, strict=True))
assert 0 <= _DOUBLE_ACTION_PLAN_STATES <= _ACTION_PLAN_STATES_PER_GROUP[2]

_ADDITIONAL_INFO_NOTES: Final = (
    "Updated matrix information",
    "Additional information on export controls",
    "Reply to Committee letter",
    "Information on national legislation",
)
_FIRST_REPORT_NOTE: Final = "First national report"
_ACTION_PLAN_NOTE: Final = "Voluntary national implementation action plan"


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
    pocs = build_pocs(rng, states, organisations)
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
    # A recent State is recent by a national report or additional information, as the
    # paper counts it; a recent action plan alone would not make it count.
    recent_national = plan.recent
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


def _action_plan_dates(rng: random.Random, plan: _ReportingPlan, first_report: date) -> list[date]:
    if plan.action_plans == 0:
        return []
    if not plan.recent:
        return _distinct_dates(rng, plan.action_plans, _ACTION_PLAN_MIN, _OLD_MAX)
    # a recent State's first report may itself be recent: no action plan comes before it
    last = _random_date(rng, max(RECENT_SINCE, first_report), DATE_MAX)
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
        for when in _action_plan_dates(rng, plan, national[0]):
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
