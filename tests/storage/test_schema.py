"""The schema comes from migrations, matches the models, and keeps times in UTC."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel, select

from storage import audit, pocs
from storage.audit import AuditEntry
from storage.db import (
    SCHEMA_HEAD,
    alembic_config,
    make_engine,
    migrate,
    schema_is_current,
    session_scope,
)
from storage.parties import Party
from storage.reference_data import load_reference_data


def test_the_migrations_build_exactly_the_schema_the_models_describe(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    assert schema_is_current(engine)


def test_timestamps_come_back_aware_and_in_utc(session: Session) -> None:
    geneva_noon = datetime(2026, 3, 29, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    entry = audit.record(session=session, actor="test", action="create", entity="x",
                         entity_id=1, before=None, after={"a": 1}, now=geneva_noon)
    session.commit()
    session.expire_all()
    stored = session.get(AuditEntry, entry.id)
    assert stored is not None
    assert stored.at == datetime(2026, 3, 29, 10, 0, tzinfo=UTC)
    assert stored.at.utcoffset() == timedelta(0)


def test_a_naive_timestamp_is_refused(session: Session) -> None:
    audit.record(session=session, actor="test", action="create", entity="x", entity_id=1,
                 before=None, after=None, now=datetime(2026, 1, 1, 9, 0))
    with pytest.raises(Exception, match="naive datetime"):
        session.commit()


def test_upgrading_a_populated_database_keeps_its_data(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    config = alembic_config(engine)
    command.upgrade(config, "0001")
    with session_scope(engine) as session:
        load_reference_data(session=session, now=datetime(2026, 1, 1, tzinfo=UTC))
        france = session.exec(select(Party).where(Party.code == "FRA")).one()
        assert france.id is not None
        # the models describe the newest schema: write the old one's rows in SQL
        session.execute(text(
            "INSERT INTO poc (id, party_id, role, full_name, title, agency, phone, language,"
            " timezone, status, created_at, updated_at) VALUES (1, :party, 'national',"
            " 'Claire Martin-Test', '', '', '', 'fr', 'Europe/Paris', 'active',"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"), {"party": france.id})
        session.execute(text(
            "INSERT INTO poc_email (poc_id, position, address)"
            " VALUES (1, 0, 'claire@example.org')"))
    migrate(engine)
    assert schema_is_current(engine)
    with session_scope(engine) as session:
        [view] = pocs.listing(session=session)
        assert view.emails == ("claire@example.org",)
        assert view.poc.email_opted_out_at is None
    engine.dispose()



def test_commands_know_the_newest_migration_without_alembic(tmp_path: Path) -> None:
    """SCHEMA_HEAD, which every command checks the database against, is alembic's head; a
    database one migration behind is refused as not current."""
    engine = make_engine(f"sqlite:///{tmp_path / 'behind.sqlite3'}")
    config = alembic_config(engine)
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_current_head() == SCHEMA_HEAD
    assert not schema_is_current(engine)  # never migrated
    previous = scripts.get_revision(SCHEMA_HEAD)
    assert previous is not None and isinstance(previous.down_revision, str)
    command.upgrade(config, previous.down_revision)
    assert not schema_is_current(engine)
    command.upgrade(config, "head")
    assert schema_is_current(engine)
    engine.dispose()
