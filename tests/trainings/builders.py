"""Courses and PoCs for the training specs, written through storage as staff would."""

from dataclasses import replace
from datetime import date

from sqlmodel import Session, select

from storage import events, pocs, trainings
from storage.events import Event, EventFields, EventType
from storage.parties import Party
from tests.support.outbox import NOW, add_poc


def party_id(session: Session, code: str) -> int:
    found = session.exec(select(Party).where(Party.code == code)).one().id
    assert found is not None
    return found


def add_course(session: Session, day: date, host: str | None = None,
               region: str | None = None, event_type: str = EventType.POC_TRAINING,
               title: str = "Training course for Points of Contact") -> Event:
    fields = EventFields(title=f"{title} {day}", start_date=day, end_date=day,
                         type=event_type,
                         country_party_id=party_id(session, host) if host else None)
    event = events.add(session=session, fields=fields, actor="test", now=NOW)
    if region is not None:
        trainings.set_region(session=session, event=event, region=region, actor="test",
                             now=NOW)
    session.commit()
    return event


def attended(session: Session, event: Event, *poc_ids: int) -> None:
    for poc_id in poc_ids:
        poc = pocs.get(session=session, poc_id=poc_id)
        assert poc is not None
        trainings.attend(session=session, event=event, poc=poc, actor="test", now=NOW)
    session.commit()


def poc_of(session: Session, code: str, active: bool = True, role: str = "national") -> int:
    """A PoC of `code`, e-mail <code>@example.org; deactivated when not `active`."""
    poc_id = add_poc(session, code, f"Invented Person {code}", f"{code.lower()}@example.org",
                     role=role)
    if not active:
        poc = pocs.get(session=session, poc_id=poc_id)
        assert poc is not None
        fields = replace(pocs.fields_of(session=session, poc=poc),
                         status=pocs.PocStatus.INACTIVE)
        pocs.update(session=session, poc=poc, fields=fields, actor="test", now=NOW)
        session.commit()
    return poc_id
