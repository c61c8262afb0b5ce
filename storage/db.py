"""Engines, sessions and schema migrations."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlmodel import Session, create_engine

# Import every table module so SQLModel.metadata knows the whole schema.
from storage import (  # noqa: F401
    audit,
    chair,
    events,
    invitations,
    outbox,
    parties,
    pocs,
    reminders,
    staff,
    submissions,
    telegram_state,
)
from storage.casefold import register_sqlite_functions
from storage.figures import tally  # noqa: F401

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration in storage/migrations/versions: what `outreach init` and `outreach
# run` bring a database to. Every other command only compares the database's
# alembic_version with it, so it need not load alembic (tests/storage/test_schema.py checks
# it is alembic's head).
SCHEMA_HEAD = "0010"


def make_engine(url: str) -> Engine:
    """An engine for `url`; on SQLite, foreign keys on, WAL and a busy timeout for a 2nd reader.

    Database errors never carry the statement's values (`hide_parameters`): they are PoCs'
    names and addresses, and errors end up in logs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            register_sqlite_functions(dbapi_connection)

        return engine
    # a bounded connect: a silent network must fail a health check, not hang it
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10},
                         hide_parameters=True)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back if it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(engine: Engine) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("storage").joinpath("migrations"))
    )
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration; a no-op when already there."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def schema_is_current(engine: Engine) -> bool:
    """Whether the database is at SCHEMA_HEAD (False for an empty or an older one)."""
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version"))
            return list(versions.scalars()) == [SCHEMA_HEAD]
    except (OperationalError, ProgrammingError):  # no alembic_version: never migrated
        return False


def prepare(engine: Engine, fill: Callable[[Session], object], attempts: int = 3) -> None:
    """Migrate, then run `fill` (reference data, defaults) in one transaction.

    Several processes may start at once against one database: migrations wait for each
    other (an advisory lock on PostgreSQL), and a fill that lost a race to insert the same
    rows is simply run again, when it finds them there and changes nothing.
    """
    migrate(engine)
    for attempt in range(1, attempts + 1):
        try:
            with session_scope(engine) as session:
                fill(session)
            return
        except (IntegrityError, OperationalError):
            if attempt == attempts:
                raise
            time.sleep(0.2 * attempt)
