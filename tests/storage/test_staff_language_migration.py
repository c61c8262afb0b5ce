"""Migration 0011 gives every staff member a chat language: English for those already there
(the chat's only language until then), and nothing but a UN language afterwards. On a fresh
database of each backend, since the spec migrates it from 0010.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.db import alembic_config, make_engine, migrate, schema_is_current
from storage.staff import StaffMember, StaffRole, grant, language_of, set_language
from tests.support.databases import BACKENDS, POSTGRES_ENV
from tests.support.outbox import NOW

ALICE, BOB = 5550101, 5550102  # invented staff


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the backend, dropped after."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'staff.sqlite3'}")
        yield engine
        engine.dispose()
        return
    base = make_url(os.environ[POSTGRES_ENV])
    name = f"outreach_staff_language_{uuid.uuid4().hex[:12]}"
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


def test_staff_there_before_the_migration_read_english_and_only_un_languages_go_in(
    fresh: Engine,
) -> None:
    command.upgrade(alembic_config(fresh), "0010")
    with fresh.begin() as connection:
        for user_id, role in ((ALICE, "admin"), (BOB, "staff")):
            connection.execute(text(
                "INSERT INTO staff_member (telegram_user_id, role, display_name, granted_by,"
                " granted_at) VALUES (:id, :role, '', 'test', :at)"),
                {"id": user_id, "role": role, "at": NOW})
    migrate(fresh)
    assert schema_is_current(fresh)
    with Session(fresh) as session:
        assert [language_of(session=session, telegram_user_id=user_id)
                for user_id in (ALICE, BOB)] == ["en", "en"]
        set_language(session=session, telegram_user_id=BOB, language="fr", actor="test",
                     now=NOW)
        session.commit()
        assert language_of(session=session, telegram_user_id=BOB) == "fr"
    with pytest.raises(IntegrityError), fresh.begin() as connection:
        connection.execute(text("UPDATE staff_member SET language = 'de' WHERE"
                                " telegram_user_id = :id"), {"id": ALICE})
    with Session(fresh) as session:
        assert language_of(session=session, telegram_user_id=ALICE) == "en"


def test_set_language_refuses_what_is_no_un_language_or_no_member(engine: Engine) -> None:
    with Session(engine) as session:
        grant(session=session, telegram_user_id=ALICE, role=StaffRole.STAFF, actor="test",
              now=NOW)
        with pytest.raises(ValueError):
            set_language(session=session, telegram_user_id=ALICE, language="de",
                         actor="test", now=NOW)
        with pytest.raises(LookupError):
            set_language(session=session, telegram_user_id=BOB, language="fr", actor="test",
                         now=NOW)
        assert not set_language(session=session, telegram_user_id=ALICE, language="en",
                                actor="test", now=NOW)  # unchanged: nothing written
        member = session.get(StaffMember, ALICE)
        assert member is not None and member.language == "en"
