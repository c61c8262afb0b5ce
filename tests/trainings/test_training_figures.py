"""The PoC Training Programme's figures (seed paper, 4.4) over a window, on both backends:
courses by the region they served and their hosts, the States whose PoCs attended one and
those with a PoC whose PoCs never did; each rule with a row just outside it."""

from datetime import date

from sqlmodel import Session

from storage import events
from storage.events import EventType
from storage.figures.period import Period
from storage.figures.trainings import training_figures
from tests.support.outbox import NOW
from tests.trainings.builders import add_course, attended, poc_of

WINDOW = Period(date(2016, 1, 1), date(2022, 4, 15))


def test_courses_count_by_region_with_their_hosts_inside_the_window_only(
    session: Session,
) -> None:
    add_course(session, date(2016, 1, 1), "CHL", "latin_america")  # the first day
    add_course(session, date(2017, 3, 2), "RUS", "osce")
    add_course(session, date(2019, 5, 6), "RUS", "osce")
    add_course(session, date(2022, 4, 15), None, "asia_pacific")  # the last day, virtual
    add_course(session, date(2020, 2, 3), "KEN")  # region not recorded yet
    add_course(session, date(2015, 12, 31), "BRB", "caricom")  # the day before
    add_course(session, date(2022, 4, 16), "CHN", "asia_pacific")  # the day after
    add_course(session, date(2018, 7, 1), "ETH", title="Workshop",
               event_type=EventType.WORKSHOP)  # not a course
    deleted = add_course(session, date(2018, 9, 9), "ETH", "african_union")
    events.soft_delete(session=session, event_id=deleted.id or 0, actor="test", now=NOW)
    session.commit()

    figures = training_figures(session=session, period=WINDOW)

    assert figures.courses == 5
    assert figures.by_region == {"latin_america": 1, "caricom": 0, "osce": 2,
                                 "asia_pacific": 1, "african_union": 0, "other": 0,
                                 "none": 1}
    assert figures.hosts_by_region["osce"] == ["RUS", "RUS"]
    assert figures.hosts_by_region["latin_america"] == ["CHL"]
    assert figures.hosts_by_region["asia_pacific"] == []  # virtual: no host to name
    assert figures.hosts_by_region["none"] == ["KEN"]


def test_states_attended_and_never_attended_follow_their_pocs(session: Session) -> None:
    inside = add_course(session, date(2018, 4, 4), "KAZ", "osce")
    before = add_course(session, date(2015, 12, 31), "KAZ", "osce")
    deleted = add_course(session, date(2019, 4, 4), "KAZ", "osce")
    attended(session, inside, poc_of(session, "KAZ"), poc_of(session, "KGZ"),
             poc_of(session, "TJK", active=False), poc_of(session, "OSCE", role="coordinator"))
    attended(session, before, poc_of(session, "UZB"))
    attended(session, deleted, poc_of(session, "BLR"))
    events.soft_delete(session=session, event_id=deleted.id or 0, actor="test", now=NOW)
    poc_of(session, "ARM")  # a PoC who never went anywhere
    poc_of(session, "AZE", active=False)  # no active PoC: in neither list
    session.commit()

    figures = training_figures(session=session, period=WINDOW)

    # TJK's PoC has left since, but TJK attended; the OSCE's PoC is no State
    assert figures.attended == ["KAZ", "KGZ", "TJK"]
    assert figures.pocs_attended == 4
    # UZB went only the day before the window, BLR only to a course deleted since
    assert figures.never_attended == ["ARM", "BLR", "UZB"]
    assert (figures.states_attended, figures.states_never_attended) == (3, 3)


def test_a_window_without_courses_counts_nothing(session: Session) -> None:
    poc_of(session, "FRA")
    figures = training_figures(session=session, period=WINDOW)
    assert figures.courses == 0 and figures.attended == [] and figures.pocs_attended == 0
    assert set(figures.by_region.values()) == {0}
    assert figures.never_attended == ["FRA"]
