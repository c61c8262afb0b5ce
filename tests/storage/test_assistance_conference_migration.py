"""Migration 0013: a regional assistance conference (EventType.ASSISTANCE_CONFERENCE) can be
stored and is counted; any other unknown type is still refused; the events already there,
their tally and its triggers stay. On a fresh database of each backend, migrated from 0012."""

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.db import alembic_config, make_engine, migrate, schema_is_current, session_scope
from storage.events import EventType
from storage.figures.assistance import assistance_figures
from storage.figures.statistics import Period, outreach_figures
from storage.reference_data import load_reference_data
from tests.support.databases import BACKENDS, POSTGRES_ENV
from tests.support.outbox import NOW

YEAR = Period(date(2023, 1, 1), date(2023, 12, 31))


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the backend, dropped after."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'conference.sqlite3'}")
        yield engine
        engine.dispose()
        return
    base = make_url(os.environ[POSTGRES_ENV])
    name = f"outreach_conference_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(base.set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}"'))
        admin.dispose()


def add_event(session: Session, title: str, kind: str, day: date) -> None:
    """In SQL, with the columns of 0004: the models describe the newest schema (0015 added a
    column), and these rows are written to older ones too."""
    session.execute(text(
        "INSERT INTO event (title, start_date, end_date, city, mode, type, iro_involvement,"
        " source_url, notes, created_by, created_at, updated_at) VALUES (:title, :day, :day,"
        " '', 'in_person', :kind, 'none', '', '', 'test', :now, :now)"),
        {"title": title, "day": day, "kind": kind, "now": NOW})
    session.commit()


def test_a_regional_assistance_conference_is_stored_and_counted_after_the_migration(
    fresh: Engine,
) -> None:
    command.upgrade(alembic_config(fresh), "0012")
    with session_scope(fresh) as session:
        load_reference_data(session=session, now=NOW)
    with Session(fresh) as session:
        add_event(session, "Workshop before the migration", EventType.WORKSHOP, date(2023, 3, 1))
        with pytest.raises(IntegrityError):
            add_event(session, "Refused before", EventType.ASSISTANCE_CONFERENCE,
                      date(2023, 5, 1))
    migrate(fresh)
    assert schema_is_current(fresh)
    with Session(fresh) as session:
        add_event(session, "Regional assistance conference (invented)",
                  EventType.ASSISTANCE_CONFERENCE, date(2023, 5, 1))
        with pytest.raises(IntegrityError):
            add_event(session, "Not a type", "gala", date(2023, 6, 1))
    with Session(fresh) as session:
        assert assistance_figures(session=session, period=YEAR).regional_conferences == 1
        by_type = outreach_figures(session=session, period=YEAR).by_type
        assert (by_type["assist_conference"], by_type["workshop"]) == (1, 1)
    if fresh.dialect.name == "sqlite":
        with fresh.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"


def test_going_back_is_refused_while_a_conference_is_held(fresh: Engine) -> None:
    migrate(fresh)
    with session_scope(fresh) as session:
        load_reference_data(session=session, now=NOW)
    with Session(fresh) as session:
        add_event(session, "Regional assistance conference (invented)",
                  EventType.ASSISTANCE_CONFERENCE, date(2023, 5, 1))
    with pytest.raises(RuntimeError, match="regional assistance conferences"):
        command.downgrade(alembic_config(fresh), "0012")
    with Session(fresh) as session:
        session.execute(text("DELETE FROM event_audience"))
        session.execute(text("DELETE FROM event_organiser"))
        session.execute(text("DELETE FROM event"))
        session.commit()
    command.downgrade(alembic_config(fresh), "0012")
    with Session(fresh) as session, pytest.raises(IntegrityError):
        add_event(session, "Refused again", EventType.ASSISTANCE_CONFERENCE, date(2023, 5, 1))
