"""The Committee's transparency figures (seed paper, sections 4 to 7) over a period.

Every figure has one definition, here, and every output (Telegram, CLI text, JSON, CSV, XLSX,
HTML, charts) shows these dataclasses. Each is an SQL aggregate: the database counts, Python
only adds up grouped rows (at most a few thousand, whatever the number of events: whole
months come from the monthly tally of storage/figures/tally.py, the days around them from the
events' partial index). An event belongs to a period by its `start_date`, a calendar date: no
time zone can move it across a boundary.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, distinct, func
from sqlmodel import Session, col, select

from storage.events import AUDIENCE_BITS, Audience, Event, EventType, IroInvolvement
from storage.figures.assistance import AssistanceFigures, assistance_figures
from storage.figures.freshness import DEFAULT_SILENT_SINCE, ReportingFreshness, reporting_freshness
from storage.figures.letters import LetterSummary, letter_summaries
from storage.figures.matrices import MatrixFigures, matrix_figures
from storage.figures.monitoring import (
    CoordinatorFigures,
    PeerReviewFigures,
    PreparationFigures,
    coordinator_figures,
    peer_review_figures,
    preparation_figures,
)
from storage.figures.period import Period as Period
from storage.figures.status import ReportingStatus, reporting_status
from storage.figures.tally import TallyDimension, tallies
from storage.figures.trainings import TrainingFigures, training_figures
from storage.figures.visits import (
    CooperationFigures,
    VisitOutcomeFigures,
    cooperation_figures,
    visit_outcome_figures,
)
from storage.parties import Party, RegionalGroup
from storage.visits.records import OWN_VISIT_LEADS

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
    """Visits to States (4.5): live events of one type in the period."""

    event_type: str
    events: int
    states: int  # distinct host countries
    by_year: Mapping[int, int]
    # distinct host countries per year, same years as by_year: a State visited twice in a
    # year counts once ("four in 2017 (one State was visited twice)")
    states_by_year: Mapping[int, int]


@dataclass(frozen=True)
class TransparencyFigures:
    period: Period
    outreach: OutreachFigures
    # 4.2, 4.4, 4.6 and 6, as `outreach status` computes them: submissions dated up to
    # period.end, "since" = period.start
    reporting: ReportingStatus
    # 4.5: the 1540 Committee's own visits (lead body `committee`), what they led to
    visits: EventKindFigures
    visit_outcomes: VisitOutcomeFigures
    # 4.7, 4.6 and 6, as storage/figures/monitoring.py counts them: peer reviews as records of
    # several States, action plans in preparation, regional 1540 coordinators
    peer_reviews: PeerReviewFigures
    action_plans_in_preparation: PreparationFigures
    coordinators: CoordinatorFigures
    # section 5, as storage/figures/assistance.py counts it
    assistance: AssistanceFigures
    # section 4.3, as storage/figures/matrices.py counts it: shares on period.end, the
    # change since period.start
    matrices: MatrixFigures
    # section 6: visits of the CTC, the 1267 Committee or joint ones (storage/figures/visits.py)
    cooperation: CooperationFigures
    # The window of the monitoring figures (the paper's "since 2016"): from `--since` to
    # period.end; period itself by default. A section counted over it uses this field (and is
    # named in bot.render.report.MONITORED_SECTIONS, one line each).
    monitoring: Period
    # 4.2: non-reporting at the window's start, silent States, latest year (freshness.py)
    freshness: ReportingFreshness
    # 4.4: the PoC Training Programme over the monitoring window (trainings.py)
    trainings: TrainingFigures
    # sections 2 and 6: letters expecting a response sent in the period (figures/letters.py)
    letters: tuple[LetterSummary, ...] = ()


def _live_in(period: Period) -> list[ColumnElement[bool]]:
    return [
        col(Event.deleted_at).is_(None),
        col(Event.start_date) >= period.start,
        col(Event.start_date) <= period.end,
    ]


def _year() -> ColumnElement[int]:
    return func.extract("year", col(Event.start_date))


def _mask(audiences: Iterable[str]) -> int:
    mask = 0
    for audience in audiences:
        mask |= AUDIENCE_BITS[audience]
    return mask


def _years_filled(counts: Mapping[int, int]) -> list[int]:
    return list(range(min(counts), max(counts) + 1)) if counts else []


def outreach_figures(*, session: Session, period: Period) -> OutreachFigures:
    counts = tallies(session=session, start=period.start, end=period.end)
    by_type = {t.value: 0 for t in EventType}
    by_involvement = {i.value: 0 for i in IroInvolvement}
    by_country: dict[str, int] = {}
    per_year: dict[int, int] = {}
    bits_per_year: dict[int, dict[int, int]] = {}
    for (year, dimension, value), count in counts.items():
        if dimension == TallyDimension.TYPE:
            # every live event has exactly one type: the types add up to the events
            by_type[value] = by_type.get(value, 0) + count
            per_year[year] = per_year.get(year, 0) + count
        elif dimension == TallyDimension.IRO_INVOLVEMENT:
            by_involvement[value] = by_involvement.get(value, 0) + count
        elif dimension == TallyDimension.COUNTRY:
            by_country[value] = by_country.get(value, 0) + count
        elif dimension == TallyDimension.AUDIENCE_BITS:
            of_year = bits_per_year.setdefault(year, {})
            of_year[int(value)] = of_year.get(int(value), 0) + count

    def with_bits(mask: int, years: Iterable[int]) -> int:
        return sum(count for year in years
                   for bits, count in bits_per_year.get(year, {}).items() if bits & mask)

    years = _years_filled(per_year)
    audiences = [a.value for a in Audience]
    return OutreachFigures(
        period=period,
        events=sum(per_year.values()),
        events_states_and_civil_society=with_bits(_mask(STATES_AND_CIVIL_SOCIETY), years),
        by_audience={a: with_bits(AUDIENCE_BITS[a], years) for a in audiences},
        events_with_organisations=sum(by_involvement[i] for i in WITH_ORGANISATIONS),
        by_iro_involvement=by_involvement,
        by_type=by_type,
        by_regional_group=_by_regional_group(session, by_country),
        by_year={y: per_year.get(y, 0) for y in years},
        by_year_and_audience={y: {a: with_bits(AUDIENCE_BITS[a], [y]) for a in audiences}
                              for y in years},
    )


def _by_regional_group(session: Session, by_country: Mapping[str, int]) -> dict[str, int]:
    # The host countries are at most the 193 States: fold them into groups here.
    group_of = {str(party_id): group for party_id, group in session.exec(
        select(col(Party.id), col(Party.electoral_group)))}
    codes = list(session.exec(select(RegionalGroup.code).order_by(col(RegionalGroup.code))))
    by_group = dict.fromkeys([*codes, NO_HOST_COUNTRY], 0)
    for country, count in by_country.items():
        group = group_of.get(country) or NO_HOST_COUNTRY
        by_group[group] = by_group.get(group, 0) + count
    return by_group


def event_kind_figures(
    *, session: Session, period: Period, event_type: str,
    lead_bodies: tuple[str, ...] | None = None,
) -> EventKindFigures:
    """`lead_bodies`: only the events these bodies led (None: whoever led them)."""
    of_type = [*_live_in(period), col(Event.type) == event_type]
    if lead_bodies is not None:
        of_type.append(col(Event.lead_body).in_(lead_bodies))
    events, states = session.exec(
        select(func.count(), func.count(distinct(col(Event.country_party_id)))).where(*of_type)
    ).one()
    year = _year().label("year")
    counts: dict[int, int] = {}
    hosts: dict[int, int] = {}
    for y, n, h in session.exec(
        select(year, func.count(), func.count(distinct(col(Event.country_party_id))))
        .where(*of_type).group_by(year)
    ):
        counts[int(y)], hosts[int(y)] = int(n), int(h)
    years = _years_filled(counts)
    return EventKindFigures(
        event_type=event_type, events=events, states=states,
        by_year={y: counts.get(y, 0) for y in years},
        states_by_year={y: hosts.get(y, 0) for y in years},
    )


def transparency_figures(
    *, session: Session, period: Period, monitoring: Period | None = None,
    silent_since: int = DEFAULT_SILENT_SINCE,
) -> TransparencyFigures:
    """The figures of `period`; the monitoring ones over `monitoring` (default: `period`)."""
    window = monitoring or period
    return TransparencyFigures(
        period=period,
        outreach=outreach_figures(session=session, period=period),
        reporting=reporting_status(session=session, since=window.start, until=window.end),
        visits=event_kind_figures(session=session, period=period, event_type=EventType.VISIT,
                                  lead_bodies=OWN_VISIT_LEADS),
        visit_outcomes=visit_outcome_figures(session=session, period=period),
        peer_reviews=peer_review_figures(session=session, period=period),
        action_plans_in_preparation=preparation_figures(session=session, period=period),
        coordinators=coordinator_figures(session=session),
        assistance=assistance_figures(session=session, period=period),
        matrices=matrix_figures(session=session, period=period, since=period.start),
        cooperation=cooperation_figures(session=session, period=period),
        monitoring=window,
        freshness=reporting_freshness(session=session, window=window,
                                      silent_since=silent_since),
        trainings=training_figures(session=session, period=window),
        letters=tuple(letter_summaries(session=session, today=period.end, period=period)),
    )
