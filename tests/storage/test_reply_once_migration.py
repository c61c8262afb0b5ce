"""Migration 0010 on a database that already holds replies given twice (a link posted again
before the fix): the first of each is kept, the rest go, and the unique index holds after.
On a fresh database of each backend, since the spec migrates it from 0009.
"""

import os
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, make_url, text
from sqlmodel import Session, col, select

from storage import outbox
from storage.db import alembic_config, make_engine, migrate, schema_is_current, session_scope
from storage.outbox import Channel, Recipient
from storage.reference_data import load_reference_data
from storage.reminders import PocReply
from tests.support.databases import BACKENDS, POSTGRES_ENV
from tests.support.outbox import NOW, add_poc


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the backend, dropped after."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'replies.sqlite3'}")
        yield engine
        engine.dispose()
        return
    base = make_url(os.environ[POSTGRES_ENV])
    name = f"outreach_reply_once_{uuid.uuid4().hex[:12]}"
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


def test_replies_given_twice_before_the_migration_are_kept_once_the_first(
    fresh: Engine,
) -> None:
    command.upgrade(alembic_config(fresh), "0009")
    with session_scope(fresh) as session:
        load_reference_data(session=session, now=NOW)
    with Session(fresh) as session:
        poc_id = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")
        message = outbox.enqueue(session=session, kind="reminder", template="contact_check",
                                 context={}, audience="test",
                                 recipients=[Recipient(poc_id, Channel.EMAIL)],
                                 created_by="test", now=NOW)
        assert message.id is not None
        for days, answer in ((0, "snooze"), (20, "snooze"), (25, "received"), (40, "snooze")):
            session.add(PocReply(poc_id=poc_id, message_id=message.id, answer=answer,
                                 channel="email", at=NOW + timedelta(days=days),
                                 snooze_until=NOW + timedelta(days=days + 30)
                                 if answer == "snooze" else None))
        session.commit()
    migrate(fresh)
    assert schema_is_current(fresh)
    with Session(fresh) as session:
        kept = [(r.answer, r.at) for r in session.exec(select(PocReply).order_by(col(PocReply.id)))]
    assert kept == [("snooze", NOW), ("received", NOW + timedelta(days=25))]
