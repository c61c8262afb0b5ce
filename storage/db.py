"""Engines, sessions and schema migrations."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Engine, event, inspect, text
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlmodel import Session, create_engine

# Import every table module so SQLModel.metadata knows the whole schema.
from storage import (  # noqa: F401
    audit,
    chair,
    events,
    invitations,
    letters,
    outbox,
    parties,
    pocs,
    reminders,
    staff,
    submissions,
    telegram_state,
    trainings,
)
from storage.action_plans import model as action_plans_model  # noqa: F401
from storage.assistance import chasing as assistance_chasing  # noqa: F401
from storage.assistance import model as assistance_model  # noqa: F401
from storage.casefold import register_sqlite_functions
from storage.figures import tally  # noqa: F401
from storage.inbox import model as inbox_model  # noqa: F401
from storage.matrices import model as matrices_model  # noqa: F401
from storage.matrices import review_model as matrix_review_model  # noqa: F401
from storage.peer_reviews import model as peer_reviews_model  # noqa: F401
from storage.visits import model as visits_model  # noqa: F401

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration in storage/migrations/versions: what `outreach init` and `outreach
# run` bring a database to. Every other command only compares the database's
# alembic_version with it, so it need not load alembic (tests/storage/test_schema.py checks
# it is alembic's head).
SCHEMA_HEAD = "0022"


DEFAULT_BUSY_SECONDS = 300.0


def make_engine(url: str, busy_seconds: float = DEFAULT_BUSY_SECONDS) -> Engine:
    """An engine for `url`; on SQLite, foreign keys on, WAL, and writers that queue.

    Database errors never carry the statement's values (`hide_parameters`): they are PoCs'
    names and addresses, and errors end up in logs."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, busy_seconds)
    # a bounded connect: a silent network must fail a health check, not hang it
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10},
                         hide_parameters=True)


def _sqlite_engine(url: str, busy_seconds: float) -> Engine:
    """SQLite whose concurrent writers (imports, the dispatcher, the chat, the web pages)
    wait their turn for up to `busy_seconds` instead of failing with "database is locked"
    (a 3,000-row import holds the lock for seconds; four at once kept the last waiting
    longer than the 30 s this once allowed).

    The driver opens a transaction at the first write with BEGIN IMMEDIATE: the write lock
    is taken as the transaction opens, so no transaction ever holds a read snapshot it
    must later upgrade, which SQLite would refuse at once, without waiting, had another
    writer committed meanwhile. Reads outside a write take no lock beside a writer (WAL)."""
    engine = create_engine(
        url, connect_args={"timeout": busy_seconds, "isolation_level": "IMMEDIATE"},
        hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
        cursor.close()
        register_sqlite_functions(dbapi_connection)

    return engine


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
    """Whether the database is at SCHEMA_HEAD (False for an empty or an older one).

    Only a missing alembic_version means "never migrated": a database that cannot be
    reached or read raises, so that the error says what is wrong rather than "run init"."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        versions = connection.execute(text("SELECT version_num FROM alembic_version"))
        return list(versions.scalars()) == [SCHEMA_HEAD]


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


class DatabaseProblem(StrEnum):
    """What stops the database from being used, as a person can fix it; the values are the
    codes of the CLI's messages."""

    UNREACHABLE = "database_unreachable"
    UNKNOWN_HOST = "database_unknown_host"
    LOGIN_REFUSED = "database_login_refused"
    NO_SUCH_DATABASE = "database_missing"
    NOT_A_DATABASE = "database_not_a_database"
    IS_A_FOLDER = "database_is_a_folder"
    CANNOT_OPEN = "database_cannot_open"
    READ_ONLY = "database_read_only"
    BUSY = "database_busy"


# (words of the driver's message, lower case) -> the problem; first match wins
_SYMPTOMS: tuple[tuple[str, DatabaseProblem], ...] = (
    ("failed to resolve host", DatabaseProblem.UNKNOWN_HOST),
    ("could not translate host name", DatabaseProblem.UNKNOWN_HOST),
    ("name or service not known", DatabaseProblem.UNKNOWN_HOST),
    ("password authentication failed", DatabaseProblem.LOGIN_REFUSED),
    ("no password supplied", DatabaseProblem.LOGIN_REFUSED),
    ('fatal:  role "', DatabaseProblem.LOGIN_REFUSED),  # the user does not exist
    ('fatal:  database "', DatabaseProblem.NO_SUCH_DATABASE),
    ("connection refused", DatabaseProblem.UNREACHABLE),
    ("timeout expired", DatabaseProblem.UNREACHABLE),
    ("timed out", DatabaseProblem.UNREACHABLE),
    ("no route to host", DatabaseProblem.UNREACHABLE),
    ("network is unreachable", DatabaseProblem.UNREACHABLE),
    ("server closed the connection", DatabaseProblem.UNREACHABLE),
    ("connection failed", DatabaseProblem.UNREACHABLE),
    ("consuming input failed", DatabaseProblem.UNREACHABLE),
    ("file is not a database", DatabaseProblem.NOT_A_DATABASE),
    ("file is encrypted or is not a database", DatabaseProblem.NOT_A_DATABASE),
    ("unable to open database file", DatabaseProblem.CANNOT_OPEN),
    ("readonly database", DatabaseProblem.READ_ONLY),
    ("read-only", DatabaseProblem.READ_ONLY),
    ("database is locked", DatabaseProblem.BUSY),
)


def database_problem(error: BaseException, url: URL) -> DatabaseProblem | None:
    """What the driver's `error` says is wrong with the database at `url`, or None when it is
    no problem of reaching or opening it (a bug, a constraint: those keep their traceback)."""
    # only failures to connect, open or write; a query's own error (ProgrammingError,
    # IntegrityError) is a bug or a conflict, never "the database is unreachable"
    if not isinstance(error, DatabaseError) or type(error) not in (OperationalError,
                                                                  DatabaseError):
        return None
    if error.orig is None:
        return None
    said = str(error.orig).lower()
    for words, problem in _SYMPTOMS:
        if words in said:
            if problem is DatabaseProblem.CANNOT_OPEN and _sqlite_path(url).is_dir():
                return DatabaseProblem.IS_A_FOLDER
            return problem
    return None


def database_name(url: URL) -> str:
    """The database as a person recognises it: SQLite's file, or the URL without password."""
    if url.get_backend_name() == "sqlite":
        return str(_sqlite_path(url))
    return url.render_as_string(hide_password=True)


def _sqlite_path(url: URL) -> Path:
    database = url.database or ""
    return Path(database.removeprefix("file:"))
