"""Events for the specs, added through storage as staff would."""

from datetime import date, timedelta

from sqlmodel import Session, select

from storage import events
from storage.events import EventFields
from storage.parties import Party
from tests.support.outbox import NOW


def country(session: Session, code: str) -> int:
    party = session.exec(select(Party).where(Party.code == code)).one()
    assert party.id is not None
    return party.id


def add(session: Session, title: str, on: date, city: str = "", code: str | None = None,
        days: int = 0) -> int:
    event = events.add(session=session, actor="test", now=NOW, fields=EventFields(
        title=title, start_date=on, end_date=on + timedelta(days=days), city=city,
        country_party_id=country(session, code) if code else None,
        audiences=("states", "industry"), organisers=("UNODA",)))
    session.commit()
    assert event.id is not None
    return event.id
