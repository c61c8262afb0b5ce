"""Databases, personas and a CLI runner for the specs.

Every test that asks for a database gets a fresh, migrated one with the reference data
loaded: a SQLite file, and also PostgreSQL when OUTREACH_TEST_POSTGRES_URL names a server (CI
always sets it; a database of its own is created for the run and dropped after).

Specs live by area (rules, storage, cli, chat, delivery, render, e2e); everything under
tests/e2e starts processes of its own and is marked `e2e`, so `pytest -m "not e2e"` runs
the rest. Helpers live in tests/support, never in spec files. Nothing here imports the CLI
or python-telegram-bot until a spec asks for them: `pytest tests/rules` starts at once.
"""

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, create_engine, make_url, text
from sqlmodel import Session

from storage.db import make_engine, migrate, session_scope
from storage.reference_data import load_reference_data
from storage.staff import StaffRole, grant
from tests.support.cli import Invoke
from tests.support.databases import (
    BACKENDS,
    POSTGRES_ENV,
    empty_writable_tables,
    reference_party_codes,
)
from tests.support.outbox import NOW
from tests.support.personas import ADMIN, STAFF

if TYPE_CHECKING:
    from typer.testing import Result

    from tests.support.fake_bot_api import FakeBotApi

E2E = Path(__file__).resolve().parent / "e2e"

# Property specs check what comes out, not how fast: an example that a busy machine makes
# slow is no failure (Hypothesis's default is 200 ms per example, and a health check for
# slow data generation).
settings.register_profile("outreach", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("outreach")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every spec under tests/e2e starts processes of its own (the service, dispatchers, a
    browser): marked `e2e` by where it lives, so none can forget the mark."""
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.e2e)

@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file with reference data, copied for each test (fast)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with session_scope(engine) as session:
        load_reference_data(session=session, now=NOW)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry"))  # tests start with an empty log
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of this run's own on the PostgreSQL server, migrated once."""
    base = make_url(os.environ[POSTGRES_ENV])
    name = f"outreach_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # A test database is thrown away after the run: a commit need not wait for the disk.
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    url = base.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "registry.sqlite3"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    engine = make_engine(url)
    with engine.begin() as connection:
        empty_writable_tables(connection)
        connection.execute(text("DELETE FROM party WHERE NOT (code = ANY(:codes))"),
                           {"codes": list(reference_party_codes())})
    with session_scope(engine) as session:
        load_reference_data(session=session, now=NOW)
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_entry")
    engine.dispose()
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def outreach(database_url: str, tmp_path: Path) -> Invoke:
    """Run `outreach ARGS...` as a staff member would, against this test's database."""
    from typer.testing import CliRunner

    from bot.cli import app

    runner = CliRunner()
    env = {
        "OUTREACH_DATABASE_URL": database_url,
        "OUTREACH_DATA_DIR": str(tmp_path / "data"),
        "OUTREACH_ACTOR": "cli:test-staff",
    }

    def invoke(*args: str) -> "Result":
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """Write text to a file under the test's folder, as a person would save it."""

    def write(name: str, content: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_text(content, encoding=encoding)
        return path

    return write






@pytest.fixture
def api() -> Iterator["FakeBotApi"]:
    """A local Bot API server with short long polls, so specs stay fast."""
    from tests.support.fake_bot_api import FakeBotApi

    with FakeBotApi(poll_cap=0.3) as fake:
        yield fake


@pytest.fixture
def staff(session: Session) -> None:
    """STAFF and ADMIN hold their roles."""
    for user_id, role in ((STAFF, StaffRole.STAFF), (ADMIN, StaffRole.ADMIN)):
        grant(session=session, telegram_user_id=user_id, role=role, actor="test", now=NOW)
    session.commit()
