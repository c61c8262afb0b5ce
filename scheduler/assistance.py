"""When an assistance request has waited too long, and when a State is asked how the help went:
pure functions of plain values and `today` (no I/O, no clock of their own).

The Committee's procedure gives each step a duration (STEP_DAYS, overridable in the settings):
a request still at a step after that many days is overdue, and staff are told once per step
reached. A year after a request was matched (the same day a year on), the requesting State is asked
whether the assistance was met, partly met or is still needed, once per request. Providers get
a digest of the open requests in their areas once per calendar quarter (`digest_period`).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final

from scheduler.quarters import next_quarter_start

# Days a request may stay at each open step before staff are told (a step not named here is
# never overdue). Chosen from the paper's wish for "expeditiousness of the responses": a month
# to circulate, three months for providers to answer, a year of assistance in progress.
STEP_DAYS: Final = MappingProxyType({
    "received": 30,
    "circulated": 30,
    "open": 90,
    "matched": 60,
    "in_progress": 365,
})


@dataclass(frozen=True)
class WaitingRequest:
    request_id: int
    party_id: int
    status: str
    status_on: date


@dataclass(frozen=True)
class Overdue:
    request_id: int
    party_id: int
    status: str
    since: date
    days_waited: int
    allowed_days: int


def step_days(overrides: Mapping[str, int] | None = None) -> dict[str, int]:
    """The durations in force: the defaults with `overrides` (from the settings) applied;
    a step that is not one of the procedure's open steps, or a duration under a day, is an
    error the settings report at start."""
    merged = dict(STEP_DAYS)
    for step, days in (overrides or {}).items():
        if step not in STEP_DAYS:
            raise ValueError(f"unknown assistance step {step!r} (use one of: "
                             f"{', '.join(STEP_DAYS)})")
        if days < 1:
            raise ValueError(f"the assistance step {step!r} needs at least one day")
        merged[step] = days
    return merged


def overdue(requests: Iterable[WaitingRequest], durations: Mapping[str, int],
            today: date) -> list[Overdue]:
    """The requests that have waited at their step longer than it allows, longest first."""
    found = []
    for request in requests:
        allowed = durations.get(request.status)
        if allowed is None:
            continue
        waited = (today - request.status_on).days
        if waited > allowed:
            found.append(Overdue(request.request_id, request.party_id, request.status,
                                 request.status_on, waited, allowed))
    return sorted(found, key=lambda item: (-item.days_waited, item.request_id))


def follow_up_due(matched_on: Mapping[int, date], asked: Iterable[int],
                  today: date) -> list[int]:
    """The requests (matched on the given day) whose State should now be asked how the
    assistance went: a year after the match, and never twice."""
    already = set(asked)
    return sorted(request_id for request_id, day in matched_on.items()
                  if request_id not in already and a_year_after(day) <= today)


def a_year_after(day: date) -> date:
    """The same day a year on; 28 February for a 29 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def digest_period(today: date) -> tuple[date, date]:
    """The calendar quarter holding `today`: a provider gets one digest for it."""
    start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return start, next_quarter_start(today) - timedelta(days=1)
