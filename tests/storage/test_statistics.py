"""The transparency figures: what each one counts, over a period with both ends included."""

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlmodel import Session, select

from storage import events, submissions
from storage.db import alembic_config, make_engine, migrate
from storage.events import Audience, EventFields, EventType, IroInvolvement
from storage.figures.statistics import (
    NO_HOST_COUNTRY,
    PAPER_PERIOD,
    Period,
    default_period,
    outreach_figures,
    percent,
    transparency_figures,
)
from storage.figures.tally import EventMonthTally, rebuild
from storage.parties import Party
from storage.submissions import SubmissionKind
from tests.support.outbox import NOW

AddEvent = Callable[..., int]


def party_id(session: Session, code: str) -> int:
    party = session.exec(select(Party).where(Party.code == code)).one()
    assert party.id is not None
    return party.id


@pytest.fixture
def add_event(session: Session) -> AddEvent:
    """Record an invented event as staff would; its id."""
    counter = iter(range(1_000_000))

    def add(day: date, *, audiences: tuple[str, ...] = (), country: str | None = None,
            iro: str = IroInvolvement.NONE, kind: str = EventType.WORKSHOP) -> int:
        fields = EventFields(
            title=f"Invented event {next(counter)}", start_date=day, end_date=day,
            country_party_id=party_id(session, country) if country else None,
            type=kind, iro_involvement=iro, audiences=audiences,
        )
        event = events.add(session=session, fields=fields, actor="test", now=NOW)
        session.commit()
        assert event.id is not None
        return event.id

    return add


MAY = Period(date(2023, 5, 1), date(2023, 5, 31))


def test_both_ends_of_the_period_count_and_the_days_outside_do_not(
    session: Session, add_event: AddEvent
) -> None:
    for day in (date(2023, 4, 30), date(2023, 5, 1), date(2023, 5, 31), date(2023, 6, 1)):
        add_event(day, audiences=(Audience.STATES,))
    figures = outreach_figures(session=session, period=MAY)
    assert figures.events == 2
    assert figures.by_audience[Audience.STATES] == 2
    assert figures.by_year == {2023: 2}


def test_a_one_day_period_holds_that_day_and_a_reversed_one_is_refused() -> None:
    day = date(2024, 2, 29)
    assert day in Period(day, day)
    with pytest.raises(ValueError, match="starts"):
        Period(date(2024, 3, 1), day)


def test_soft_deleted_events_are_not_counted(session: Session, add_event: AddEvent) -> None:
    kept = add_event(date(2023, 5, 10), audiences=(Audience.STATES,), country="KEN")
    removed = add_event(date(2023, 5, 11), audiences=(Audience.INDUSTRY,), country="FRA",
                        iro=IroInvolvement.ORGANISED, kind=EventType.VISIT)
    event = session.get(events.Event, removed)
    assert event is not None
    event.deleted_at = datetime(2023, 6, 1, tzinfo=UTC)
    session.add(event)
    session.commit()

    figures = transparency_figures(session=session, period=MAY)
    assert kept and figures.outreach.events == 1
    assert figures.outreach.by_audience[Audience.INDUSTRY] == 0
    assert figures.outreach.events_with_organisations == 0
    assert figures.outreach.by_regional_group["WEOG"] == 0
    assert figures.outreach.by_regional_group["AFR"] == 1
    assert figures.visits.events == 0


def test_an_event_counts_once_in_each_of_its_audiences(
    session: Session, add_event: AddEvent
) -> None:
    add_event(date(2023, 5, 2), audiences=(Audience.STATES, Audience.INDUSTRY,
                                           Audience.ACADEMIA))
    add_event(date(2023, 5, 3), audiences=(Audience.STATES,))
    add_event(date(2023, 5, 4), audiences=(Audience.ORGANISATIONS,))  # not civil society
    add_event(date(2023, 5, 5))  # no audience recorded

    figures = outreach_figures(session=session, period=MAY)
    assert figures.events == 4
    assert figures.events_states_and_civil_society == 2
    assert dict(figures.by_audience) == {
        "states": 2, "academia": 1, "industry": 1, "parliamentarians": 0,
        "civil_society": 0, "organisations": 1,
    }


def test_audiences_changed_on_reimport_are_counted_as_they_are_now(
    session: Session, add_event: AddEvent
) -> None:
    event_id = add_event(date(2023, 5, 2), audiences=(Audience.STATES, Audience.INDUSTRY))
    event = session.get(events.Event, event_id)
    assert event is not None
    fields = events.fields_of(session=session, event=event)
    changed = EventFields(**{**fields.__dict__, "audiences": (Audience.PARLIAMENTARIANS,)})
    events.amend(session=session, event=event, fields=changed, actor="test", now=NOW)
    session.commit()
    by_audience = outreach_figures(session=session, period=MAY).by_audience
    assert (by_audience["states"], by_audience["industry"], by_audience["parliamentarians"]) == (
        0, 0, 1)


def test_involvement_of_organisations_is_a_count_and_a_rounded_percentage(
    session: Session, add_event: AddEvent
) -> None:
    for iro in (IroInvolvement.ORGANISED, IroInvolvement.CO_ORGANISED, IroInvolvement.INVOLVED,
                IroInvolvement.NONE, IroInvolvement.NONE, IroInvolvement.NONE):
        add_event(date(2023, 5, 20), iro=iro)
    figures = outreach_figures(session=session, period=MAY)
    assert figures.events_with_organisations == 3
    assert figures.percent_with_organisations == 50
    assert dict(figures.by_iro_involvement) == {
        "organised": 1, "co_organised": 1, "involved": 1, "none": 3}


def test_percentages_round_halves_up_and_nothing_is_zero_percent() -> None:
    assert percent(204, 249) == 82  # the paper's "approximately 82 %"
    assert percent(1, 8) == 13  # 12.5
    assert percent(1, 3) == 33
    assert percent(2, 3) == 67
    assert percent(0, 0) == 0


def test_events_by_type_region_and_year_with_gaps_and_no_host_country(
    session: Session, add_event: AddEvent
) -> None:
    add_event(date(2019, 3, 1), country="USA", kind=EventType.CONFERENCE)  # WEOG by election
    add_event(date(2019, 7, 1), country="CHL", kind=EventType.VISIT)
    add_event(date(2021, 2, 1), kind=EventType.WEBINAR)  # virtual, no host country
    add_event(date(2021, 2, 2), country="CHN", kind=EventType.CONFERENCE,
              audiences=(Audience.STATES,))
    figures = outreach_figures(session=session, period=Period(date(2016, 1, 1),
                                                              date(2022, 12, 31)))
    assert figures.by_type["conference"] == 2
    assert figures.by_type["visit"] == 1
    assert figures.by_type["webinar"] == 1
    assert sum(figures.by_type.values()) == 4
    assert dict(figures.by_regional_group) == {
        "AFR": 0, "APG": 1, "EEG": 0, "GRULAC": 1, "WEOG": 1, NO_HOST_COUNTRY: 1}
    assert dict(figures.by_year) == {2019: 2, 2020: 0, 2021: 2}
    assert figures.by_year_and_audience[2021]["states"] == 1
    assert figures.by_year_and_audience[2020]["states"] == 0


def test_an_empty_period_has_zero_everywhere(session: Session) -> None:
    figures = transparency_figures(session=session, period=MAY)
    assert figures.outreach.events == 0
    assert figures.outreach.percent_with_organisations == 0
    assert figures.outreach.by_year == {}
    assert set(figures.outreach.by_audience.values()) == {0}
    assert figures.visits.events == 0 and figures.visits.by_year == {}


def test_visits_and_peer_reviews_count_events_and_distinct_states(
    session: Session, add_event: AddEvent
) -> None:
    add_event(date(2017, 5, 1), country="PER", kind=EventType.VISIT)
    add_event(date(2017, 9, 1), country="PER", kind=EventType.VISIT)  # visited twice
    add_event(date(2018, 1, 1), country="MNG", kind=EventType.VISIT)
    add_event(date(2019, 4, 1), country="PAN", kind=EventType.PEER_REVIEW)
    add_event(date(2015, 4, 1), country="BLR", kind=EventType.PEER_REVIEW)  # before the period
    figures = transparency_figures(session=session, period=PAPER_PERIOD)
    assert (figures.visits.events, figures.visits.states) == (3, 2)
    assert dict(figures.visits.by_year) == {2017: 2, 2018: 1}
    assert dict(figures.visits.states_by_year) == {2017: 1, 2018: 1}  # PER counts once
    # a peer review is a record of its own (tests/peer_reviews): the events are its meetings
    assert (figures.peer_reviews.meetings, figures.peer_reviews.reviews) == (1, 0)


def test_reporting_figures_count_submissions_up_to_the_end_of_the_period(
    session: Session
) -> None:
    def submit(code: str, kind: str, day: date) -> None:
        submissions.add(session=session, party_id=party_id(session, code), kind=kind,
                        submitted_on=day, symbol="", note="", actor="test", now=NOW)

    submit("PER", SubmissionKind.FIRST_REPORT, date(2010, 1, 1))
    submit("PER", SubmissionKind.ADDITIONAL_INFO, date(2023, 5, 31))  # last day: counts
    submit("NOR", SubmissionKind.FIRST_REPORT, date(2023, 6, 1))  # after the period
    submit("MNG", SubmissionKind.ACTION_PLAN, date(2023, 5, 1))  # first day: counts
    submit("MNG", SubmissionKind.ACTION_PLAN, date(2023, 6, 2))
    session.commit()
    reporting = transparency_figures(session=session, period=MAY).reporting
    assert reporting.reporting_states == 1
    assert reporting.states_by_report_count == {"1": 0, "2": 1, "3+": 0}
    assert reporting.since == MAY.start and reporting.until == MAY.end
    # PER; MNG's only submission in the period is an action plan, counted apart
    assert reporting.states_submitting_since == 1
    assert (reporting.action_plans, reporting.action_plan_states) == (1, 1)
    assert "NOR" in reporting.non_reporting


def test_the_default_period_runs_from_after_the_last_review_to_today() -> None:
    assert default_period(date(2026, 11, 27)) == Period(date(2022, 4, 16), date(2026, 11, 27))


def test_events_recorded_before_the_statistics_migration_keep_their_audiences(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    command.upgrade(alembic_config(engine), "0006")
    with engine.begin() as connection:  # the 0006 schema, written in SQL
        connection.execute(text(
            "INSERT INTO event (id, title, start_date, end_date, city, mode, type,"
            " iro_involvement, source_url, notes, created_by, created_at, updated_at)"
            " VALUES (1, 'Invented workshop', '2023-05-09', '2023-05-09', '', 'in_person',"
            " 'workshop', 'none', '', '', 'test', '2023-05-09 00:00:00',"
            " '2023-05-09 00:00:00')"))
        connection.execute(text(
            "INSERT INTO event_audience (event_id, audience)"
            " VALUES (1, 'states'), (1, 'parliamentarians')"))
    migrate(engine)
    with Session(engine) as session:
        by_audience = outreach_figures(session=session, period=MAY).by_audience
    assert (by_audience["states"], by_audience["parliamentarians"], by_audience["industry"]) == (
        1, 1, 0)
    command.downgrade(alembic_config(engine), "0006")  # and back, leaving the events
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM event_audience")).scalar() == 2
    engine.dispose()


def expected_by_counting(session: Session, period: Period) -> dict[str, object]:
    """The figures as a person would count them, event by event (a test oracle)."""
    live = [e for e in session.exec(select(events.Event))
            if e.deleted_at is None and e.start_date in period]
    groups = {p.id: p.electoral_group for p in session.exec(select(Party))}
    audiences = {e.id: set(events.audiences_of(session=session, event_id=e.id or 0))
                 for e in live}
    by_group: dict[str, int] = {}
    for e in live:
        group = groups.get(e.country_party_id) or NO_HOST_COUNTRY
        by_group[group] = by_group.get(group, 0) + 1
    return {
        "events": len(live),
        "by_audience": {a.value: sum(a.value in audiences[e.id] for e in live)
                        for a in Audience},
        "by_type": {t.value: sum(e.type == t for e in live) for t in EventType},
        "by_iro": {i.value: sum(e.iro_involvement == i for e in live) for i in IroInvolvement},
        "by_group": {g: n for g, n in by_group.items() if n},
        "by_year": {y: sum(e.start_date.year == y for e in live)
                    for y in {e.start_date.year for e in live}},
    }


def test_the_figures_match_a_count_event_by_event_through_every_kind_of_change(
    session: Session, add_event: AddEvent
) -> None:
    # Whole months come from the monthly tally the database keeps, the days around them
    # from the events: whatever the period and whatever happened to the events, the
    # figures must be what counting the live events one by one gives.
    rng = random.Random(1540)
    countries = ["KEN", "FRA", "CHN", "BRA", "POL", "USA", None]
    ids = [
        add_event(date(2022, 11, 1) + timedelta(days=rng.randrange(500)),
                  audiences=tuple(a for a in Audience if rng.random() < 0.3),
                  country=rng.choice(countries), iro=rng.choice(list(IroInvolvement)),
                  kind=rng.choice(list(EventType)))
        for _ in range(60)
    ]
    for event_id in rng.sample(ids, 15):  # moved, re-typed, re-hosted, new audiences
        event = session.get(events.Event, event_id)
        assert event is not None
        fields = events.fields_of(session=session, event=event)
        day = date(2022, 11, 1) + timedelta(days=rng.randrange(500))
        country = rng.choice(countries)
        events.amend(session=session, event=event, actor="test", now=NOW, fields=EventFields(**{
            **fields.__dict__, "start_date": day, "end_date": day,
            "type": rng.choice(list(EventType)), "iro_involvement": IroInvolvement.INVOLVED,
            "country_party_id": party_id(session, country) if country else None,
            "audiences": tuple(a for a in Audience if rng.random() < 0.5)}))
    deleted = rng.sample(ids, 10)
    for event_id in deleted:  # soft-deleted; two of them restored again
        event = session.get(events.Event, event_id)
        assert event is not None
        event.deleted_at = datetime(2024, 3, 1, tzinfo=UTC)
        session.add(event)
    session.flush()
    for event_id in deleted[:2]:
        event = session.get(events.Event, event_id)
        assert event is not None
        event.deleted_at = None
        session.add(event)
    gone = next(i for i in ids if i not in deleted)  # and one removed for good
    for child in (events.EventAudience, events.EventOrganiser):
        for row in session.exec(select(child).where(child.event_id == gone)):
            session.delete(row)
    session.flush()
    doomed = session.get(events.Event, gone)
    session.delete(doomed)
    session.commit()

    periods = [Period(date(2022, 1, 1), date(2024, 12, 31)), MAY,
               Period(date(2023, 2, 1), date(2023, 2, 28)),  # exactly one month
               Period(date(2023, 2, 10), date(2023, 2, 20))]  # inside one month
    for _ in range(12):
        first = date(2022, 10, 1) + timedelta(days=rng.randrange(560))
        periods.append(Period(first, first + timedelta(days=rng.randrange(200))))
    for period in periods:
        figures = outreach_figures(session=session, period=period)
        expected = expected_by_counting(session, period)
        assert figures.events == expected["events"], period
        assert dict(figures.by_audience) == expected["by_audience"], period
        assert dict(figures.by_type) == expected["by_type"], period
        assert dict(figures.by_iro_involvement) == expected["by_iro"], period
        assert {g: n for g, n in figures.by_regional_group.items() if n} == expected[
            "by_group"], period
        assert {y: n for y, n in figures.by_year.items() if n} == {
            y: n for y, n in expected["by_year"].items() if n}, period  # type: ignore[attr-defined]


def test_rebuilding_the_tally_gives_what_the_triggers_kept(
    session: Session, add_event: AddEvent
) -> None:
    add_event(date(2023, 5, 9), audiences=(Audience.STATES, Audience.ACADEMIA), country="KEN")
    add_event(date(2023, 5, 20), kind=EventType.VISIT, country="PER")
    removed = add_event(date(2023, 6, 2), audiences=(Audience.INDUSTRY,))
    event = session.get(events.Event, removed)
    assert event is not None
    event.deleted_at = datetime(2023, 7, 1, tzinfo=UTC)
    session.add(event)
    session.commit()

    def tally() -> set[tuple[str, date, str, int]]:
        return {(row.dimension, row.month, row.value, row.events)
                for row in session.exec(select(EventMonthTally)) if row.events}

    kept = tally()
    rebuild(session=session)
    session.commit()
    assert tally() == kept
    assert ("bits", date(2023, 5, 1), "3", 1) in kept  # states + academia
    assert ("country", date(2023, 5, 1), "", 0) not in kept
