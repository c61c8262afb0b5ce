"""Migration 0015 on each backend: the events already there are the 1540 Committee's own, a
lead body or a party kind the checks do not know is refused, and the way back is refused
while a body beyond the reference list exists."""

from datetime import date

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage import events, parties
from storage.db import alembic_config, migrate, schema_is_current, session_scope
from storage.events import Event, EventFields
from storage.reference_data import load_reference_data
from tests.storage.test_assistance_conference_migration import fresh  # noqa: F401
from tests.support.outbox import NOW


def test_existing_events_are_the_committees_and_unknown_values_are_refused(
    fresh: Engine,  # noqa: F811
) -> None:
    command.upgrade(alembic_config(fresh), "0013")
    with session_scope(fresh) as session:
        load_reference_data(session=session, now=NOW)
        session.execute(text(
            "INSERT INTO event (title, start_date, end_date, city, mode, type,"
            " iro_involvement, source_url, notes, created_by, created_at, updated_at)"
            " VALUES ('Visit before 0015 (invented)', '2019-03-01', '2019-03-01', '',"
            " 'in_person', 'visit', 'none', '', '', 'test', :now, :now)"), {"now": NOW})
    migrate(fresh)
    assert schema_is_current(fresh)
    with Session(fresh) as session:
        [event] = session.exec(select(Event)).all()
        assert event.lead_body == "committee"
        with pytest.raises(IntegrityError):
            events.add(session=session, actor="test", now=NOW, fields=EventFields(
                title="Not a lead body (invented)", start_date=date(2019, 4, 1),
                end_date=date(2019, 4, 1), lead_body="unsc"))
            session.flush()
        session.rollback()
        with pytest.raises(IntegrityError):
            session.execute(text("UPDATE party SET kind = 'club' WHERE code = 'KEN'"))
        session.rollback()
        parties.add_body(session=session, acronym="IUT", name="Invented University of Tests",
                         body_kind="university", actor="test", now=NOW)
        session.commit()
    with pytest.raises(RuntimeError, match="bodies beyond the reference list"):
        command.downgrade(alembic_config(fresh), "0013")
    with session_scope(fresh) as session:
        session.execute(text("DELETE FROM audit_entry WHERE entity = 'party'"))
        session.execute(text("DELETE FROM party WHERE code = 'IUT'"))
    command.downgrade(alembic_config(fresh), "0013")
    migrate(fresh)
    assert schema_is_current(fresh)
