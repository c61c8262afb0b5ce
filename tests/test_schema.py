"""The schema comes from migrations, matches the models, and keeps times in UTC."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

from storage import audit
from storage.audit import AuditEntry
from storage.db import schema_is_current


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
