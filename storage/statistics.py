"""The Committee's transparency figures (seed paper, sections 4 to 7) over a period.

Every figure has one definition, here, and every output (Telegram, CLI text, JSON, CSV, XLSX,
HTML, charts) shows these dataclasses. Each is an SQL aggregate: the database counts, Python
only reshapes a few dozen grouped rows. An event belongs to a period by its `start_date`, a
calendar date: no time zone can move it across a boundary.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, distinct, func, literal
from sqlmodel import Session, col, select

from storage.events import AUDIENCE_BITS, Audience, Event, EventType, IroInvolvement
from storage.parties import Party, RegionalGroup
from storage.status import ReportingStatus, reporting_status

# The 2022 review counted outreach "from 26 April 2016 to 15 April 2022"; the period under
# review now is the one after it, so by default the figures run from the next day to today.
PAPER_PERIOD_START = date(2016, 4, 26)
PAPER_PERIOD_END = date(2022, 4, 15)
REVIEW_PERIOD_START = date(2022, 4, 16)

# "Outreach to States and civil society": every audience but organisations.
STATES_AND_CIVIL_SOCIETY: tuple[str, ...] = (
    Audience.STATES, Audience.ACADEMIA, Audience.INDUSTRY, Audience.PARLIAMENTARIANS,
    Audience.CIVIL_SOCIETY,
)
# "Organised, co-organised by or involved international, regional or sub-regional
# organisations, UN bodies or other Security Council committees".
WITH_ORGANISATIONS: tuple[str, ...] = (
    IroInvolvement.ORGANISED, IroInvolvement.CO_ORGANISED, IroInvolvement.INVOLVED,
)
# Events with no host country (virtual, or the country not recorded) in the regional breakdown.
NO_HOST_COUNTRY = "none"


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end})")

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


PAPER_PERIOD = Period(PAPER_PERIOD_START, PAPER_PERIOD_END)


def default_period(today: date) -> Period:
    """The current review period: from the day after the last published one, to today."""
    return Period(min(REVIEW_PERIOD_START, today), today)


def percent(part: int, whole: int) -> int:
    """`part` as a whole percentage of `whole`, halves rounded up (81.5 -> 82); 0 of nothing."""
    if whole <= 0:
        return 0
    return (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class OutreachFigures:
    """Section 7 (and the 82 % of section 6): live events whose start_date is in `period`."""

    period: Period
    events: int
    # events with at least one audience in STATES_AND_CIVIL_SOCIETY
    events_states_and_civil_society: int
    # audience -> events that had it; an event counts once in each of its audiences, so
    # these need not add up. Every Audience value, in Audience order.
    by_audience: Mapping[str, int]
    # events with iro_involvement in WITH_ORGANISATIONS
    events_with_organisations: int
    by_iro_involvement: Mapping[str, int]  # every IroInvolvement value
    by_type: Mapping[str, int]  # every EventType value
    # host country's UN regional group as counted for elections (Party.electoral_group: the
    # United States, in no regional group, counts with WEOG), every group, then NO_HOST_COUNTRY
    by_regional_group: Mapping[str, int]
    # years from the first to the last with an event in the period, gaps as 0
    by_year: Mapping[int, int]
    by_year_and_audience: Mapping[int, Mapping[str, int]]

    @property
    def percent_with_organisations(self) -> int:
        return percent(self.events_with_organisations, self.events)


@dataclass(frozen=True)
class EventKindFigures:
    """Visits to States (4.5) or peer reviews (4.7): live events of one type in the period."""

    event_type: str
    events: int
    states: int  # distinct host countries
    by_year: Mapping[int, int]


@dataclass(frozen=True)
class TransparencyFigures:
    period: Period
    outreach: OutreachFigures
    # 4.2, 4.4, 4.6 and 6, as `outreach status` computes them: submissions dated up to
    # period.end, "since" = period.start
    reporting: ReportingStatus
    visits: EventKindFigures
    peer_reviews: EventKindFigures


def _live_in(period: Period) -> list[ColumnElement[bool]]:
    return [
        col(Event.deleted_at).is_(None),
        col(Event.start_date) >= period.start,
        col(Event.start_date) <= period.end,
    ]


def _year() -> ColumnElement[int]:
    return func.extract("year", col(Event.start_date))


def _has_any(audiences: Iterable[str]) -> ColumnElement[bool]:
    mask = 0
    for audience in audiences:
        mask |= AUDIENCE_BITS[audience]
    return col(Event.audience_bits).op("&")(mask) != 0


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def _years_filled(counts: Mapping[int, int]) -> list[int]:
    return list(range(min(counts), max(counts) + 1)) if counts else []


def outreach_figures(*, session: Session, period: Period) -> OutreachFigures:
    audiences = [a.value for a in Audience]
    involvements = [i.value for i in IroInvolvement]
    types = [t.value for t in EventType]
    # One pass over the period's index entries: per year, every count the section needs.
    columns: list[ColumnElement[int]] = [
        func.count(),
        _count_if(_has_any(STATES_AND_CIVIL_SOCIETY)),
        *(_count_if(_has_any([a])) for a in audiences),
        *(_count_if(col(Event.iro_involvement) == i) for i in involvements),
        *(_count_if(col(Event.type) == t) for t in types),
    ]
    year = _year().label("year")
    query = select(year, *columns).where(*_live_in(period)).group_by(year)
    rows: list[Any] = list(session.exec(query))  # one per year: a handful
    per_year = {int(row[0]): [int(value or 0) for value in row[1:]] for row in rows}
    totals = [sum(values) for values in zip(*per_year.values(), strict=True)] or (
        [0] * len(columns))
    events, states_and_civil_society = totals[0], totals[1]
    offset = 2
    by_audience = dict(zip(audiences, totals[offset:offset + len(audiences)], strict=True))
    offset += len(audiences)
    by_involvement = dict(zip(involvements, totals[offset:offset + len(involvements)],
                              strict=True))
    offset += len(involvements)
    by_type = dict(zip(types, totals[offset:], strict=True))

    years = _years_filled({y: v[0] for y, v in per_year.items()})
    empty = [0] * len(columns)
    by_year = {y: per_year.get(y, empty)[0] for y in years}
    by_year_and_audience = {
        y: dict(zip(audiences, per_year.get(y, empty)[2:2 + len(audiences)], strict=True))
        for y in years
    }
    return OutreachFigures(
        period=period,
        events=events,
        events_states_and_civil_society=states_and_civil_society,
        by_audience=by_audience,
        events_with_organisations=sum(by_involvement[i] for i in WITH_ORGANISATIONS),
        by_iro_involvement=by_involvement,
        by_type=by_type,
        by_regional_group=_by_regional_group(session, period),
        by_year=by_year,
        by_year_and_audience=by_year_and_audience,
    )


def _by_regional_group(session: Session, period: Period) -> dict[str, int]:
    # Count per host country first (at most one row per State), then fold into groups.
    per_country = (
        select(col(Event.country_party_id).label("party_id"), func.count().label("events"))
        .where(*_live_in(period))
        .group_by(col(Event.country_party_id))
        .subquery()
    )
    group = func.coalesce(col(Party.electoral_group), literal(NO_HOST_COUNTRY))
    query = (
        select(group.label("group"), func.sum(per_country.c.events))
        .select_from(per_country)
        .join(Party, col(Party.id) == per_country.c.party_id, isouter=True)
        .group_by(group)
    )
    found = {str(name): int(count) for name, count in session.exec(query)}
    codes = list(session.exec(select(RegionalGroup.code).order_by(col(RegionalGroup.code))))
    return {code: found.get(code, 0) for code in [*codes, NO_HOST_COUNTRY]}


def event_kind_figures(
    *, session: Session, period: Period, event_type: str
) -> EventKindFigures:
    of_type = [*_live_in(period), col(Event.type) == event_type]
    events, states = session.exec(
        select(func.count(), func.count(distinct(col(Event.country_party_id)))).where(*of_type)
    ).one()
    year = _year().label("year")
    counts = {int(y): int(n) for y, n in session.exec(
        select(year, func.count()).where(*of_type).group_by(year))}
    return EventKindFigures(
        event_type=event_type, events=events, states=states,
        by_year={y: counts.get(y, 0) for y in _years_filled(counts)},
    )


def transparency_figures(*, session: Session, period: Period) -> TransparencyFigures:
    return TransparencyFigures(
        period=period,
        outreach=outreach_figures(session=session, period=period),
        reporting=reporting_status(session=session, since=period.start, until=period.end),
        visits=event_kind_figures(session=session, period=period, event_type=EventType.VISIT),
        peer_reviews=event_kind_figures(session=session, period=period,
                                        event_type=EventType.PEER_REVIEW),
    )
