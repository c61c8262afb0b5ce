"""Events found and deleted in storage: the search behind /events, and soft deletion.

Newest first, deleted events never shown (nor exported), case ignored beyond ASCII on both
backends; a deletion is audited with what the event was, and only happens once.
"""

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session

from storage import audit, events
from storage.events import Deletion
from tests.support.cli import Invoke
from tests.support.events import add
from tests.support.outbox import NOW


def titles(session: Session, query: str = "", offset: int = 0, limit: int = 50
           ) -> list[str]:
    views, _ = events.search(session=session, query=query, offset=offset, limit=limit)
    return [view.event.title for view in views]


@pytest.fixture
def four(session: Session) -> dict[str, int]:
    return {
        "bangkok": add(session, "Regional workshop on export controls", date(2022, 3, 14),
                       "Bangkok", "THA", days=2),
        "vienna": add(session, "SÉMINAIRE sur la non-prolifération", date(2023, 5, 2),
                      "Vienna", "AUT"),
        "webinar": add(session, "Webinar: 100% compliance?", date(2023, 5, 2)),
        "abidjan": add(session, "PoC training", date(2021, 11, 8), "Abidjan", "CIV"),
    }


def test_newest_first_then_the_later_id_on_the_same_day(
    session: Session, four: dict[str, int]
) -> None:
    assert titles(session) == ["Webinar: 100% compliance?", "SÉMINAIRE sur la non-prolifération",
                               "Regional workshop on export controls", "PoC training"]
    [view], total = events.search(session=session, query="", offset=2, limit=1)
    assert total == 4
    assert view.event.title == "Regional workshop on export controls"
    assert view.country is not None and view.country.code == "THA"
    assert view.audiences == ("states", "industry") and view.organisers == ("UNODA",)


def test_a_query_matches_title_city_country_name_or_iso3_whatever_the_case(
    session: Session, four: dict[str, int]
) -> None:
    assert titles(session, "séminaire") == ["SÉMINAIRE sur la non-prolifération"]
    assert titles(session, "NON-PROLIFÉRATION") == ["SÉMINAIRE sur la non-prolifération"]
    assert titles(session, "bangKOK") == ["Regional workshop on export controls"]
    assert titles(session, "thailand") == ["Regional workshop on export controls"]
    assert titles(session, "côte d'ivoire") == ["PoC training"]
    assert titles(session, "civ") == ["PoC training"]
    assert titles(session, "  aut ") == ["SÉMINAIRE sur la non-prolifération"]
    assert titles(session, "workshop") == ["Regional workshop on export controls"]
    assert titles(session, "Atlantis") == []


def test_like_wildcards_in_a_query_are_plain_characters(
    session: Session, four: dict[str, int]
) -> None:
    assert titles(session, "100%") == ["Webinar: 100% compliance?"]
    assert titles(session, "%") == ["Webinar: 100% compliance?"]
    assert titles(session, "_") == []


def test_a_deleted_event_is_gone_from_search_listing_and_export_but_kept_and_audited(
    session: Session, four: dict[str, int], outreach: Invoke
) -> None:
    when = datetime(2026, 11, 28, 9, 30, tzinfo=NOW.tzinfo)
    outcome, event = events.soft_delete(session=session, event_id=four["bangkok"],
                                        actor="telegram:5550001", now=when)
    session.commit()
    assert outcome is Deletion.DELETED and event is not None
    assert event.deleted_at == when
    assert "Regional workshop on export controls" not in titles(session)
    assert titles(session, "bangkok") == []
    _, total = events.search(session=session, query="", offset=0, limit=5)
    assert total == 3
    assert all(view.event.id != four["bangkok"] for view in events.listing(session=session))
    exported = outreach("export", "events").output
    assert "Regional workshop" not in exported and "PoC training" in exported
    [entry] = audit.entries(session=session, entity="event", entity_id=str(four["bangkok"]))[1:]
    assert (entry.action, entry.actor, entry.at) == ("delete", "telegram:5550001", when)
    assert entry.after is None and entry.before is not None
    assert entry.before["title"] == "Regional workshop on export controls"
    assert entry.before["start_date"] == "2022-03-14" and entry.before["end_date"] == "2022-03-16"
    assert entry.before["city"] == "Bangkok" and entry.before["audiences"] == ["states",
                                                                              "industry"]


def test_deleting_twice_or_an_unknown_id_changes_nothing(
    session: Session, four: dict[str, int]
) -> None:
    events.soft_delete(session=session, event_id=four["vienna"], actor="a", now=NOW)
    session.commit()
    later = NOW + timedelta(hours=1)
    outcome, event = events.soft_delete(session=session, event_id=four["vienna"], actor="b",
                                        now=later)
    session.commit()
    assert outcome is Deletion.ALREADY_DELETED
    assert event is not None and event.deleted_at == NOW  # the first deletion stands
    assert events.soft_delete(session=session, event_id=999_999, actor="b", now=later) == (
        Deletion.UNKNOWN, None)
    deletions = [e for e in audit.entries(session=session, entity="event")
                 if e.action == "delete"]
    assert [(e.entity_id, e.actor) for e in deletions] == [(str(four["vienna"]), "a")]
