"""Reporting freshness (seed paper, 4.2) on both backends: the non-reporting States at the
window's start beside its end ("reduced from 17 to 8"), the States silent since a year
("several States have not submitted additional information since 2008") and the States by
the year of their latest report; each rule with a submission just outside it."""

from datetime import date

from sqlmodel import Session, func, select

from storage import submissions
from storage.figures.freshness import reporting_freshness
from storage.figures.period import Period
from storage.figures.status import reporting_status
from storage.parties import Party, PartyKind
from tests.support.outbox import NOW
from tests.trainings.builders import party_id

WINDOW = Period(date(2016, 1, 1), date(2022, 4, 15))


def submitted(session: Session, code: str, kind: str, day: date) -> None:
    submissions.add(session=session, party_id=party_id(session, code), kind=kind,
                    submitted_on=day, symbol="", note="", actor="test", now=NOW)


def member_states(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Party).where(
        Party.kind == PartyKind.STATE)).one()


def test_non_reporting_at_the_start_counts_first_reports_dated_before_it(
    session: Session,
) -> None:
    submitted(session, "FRA", "first_report", date(2015, 12, 31))  # the day before
    submitted(session, "KEN", "first_report", date(2016, 1, 1))  # the first day
    submitted(session, "PER", "first_report", date(2022, 4, 15))  # the last day
    submitted(session, "JPN", "first_report", date(2022, 4, 16))  # the day after
    submitted(session, "MAR", "additional_info", date(2010, 1, 1))  # no first report
    session.commit()

    fresh = reporting_freshness(session=session, window=WINDOW)
    at_end = reporting_status(session=session, since=WINDOW.start, until=WINDOW.end)

    states = member_states(session)
    assert fresh.non_reporting_states_at_start == states - 1  # FRA only had reported
    assert "KEN" in fresh.non_reporting_at_start and "MAR" in fresh.non_reporting_at_start
    assert "FRA" not in fresh.non_reporting_at_start
    assert at_end.non_reporting_states == states - 3  # FRA, KEN, PER; not JPN


def test_silent_since_a_year_is_a_latest_report_dated_before_its_first_day(
    session: Session,
) -> None:
    submitted(session, "FRA", "first_report", date(2004, 10, 1))
    submitted(session, "FRA", "additional_info", date(2007, 12, 31))  # silent since 2008
    submitted(session, "KEN", "first_report", date(2005, 3, 1))
    submitted(session, "KEN", "additional_info", date(2008, 1, 1))  # not silent
    submitted(session, "PER", "first_report", date(2005, 3, 1))
    submitted(session, "PER", "action_plan", date(2015, 3, 1))  # a plan is no report
    submitted(session, "JPN", "first_report", date(2006, 5, 5))
    submitted(session, "JPN", "additional_info", date(2022, 4, 16))  # after the window
    submitted(session, "MAR", "additional_info", date(2005, 5, 5))  # never reported
    session.commit()

    fresh = reporting_freshness(session=session, window=WINDOW, silent_since=2008)

    assert fresh.silent == ["FRA", "JPN", "PER"]
    assert fresh.silent_states == 3 and fresh.silent_since == 2008
    assert reporting_freshness(session=session, window=WINDOW, silent_since=2009).silent == [
        "FRA", "JPN", "KEN", "PER"]
    # every year from the first to the last latest report, gaps as 0
    assert fresh.by_latest_year == {2005: 1, 2006: 1, 2007: 1, 2008: 1}


def test_an_empty_registry_has_every_state_non_reporting_and_none_silent(
    session: Session,
) -> None:
    fresh = reporting_freshness(session=session, window=WINDOW)
    assert fresh.non_reporting_states_at_start == member_states(session)
    assert fresh.silent == [] and fresh.by_latest_year == {}
