"""A database that cannot be used ends any command with one line saying what is wrong and
exit code 1: never a traceback, never the password of the URL. (`outreach run` waits for
the database instead: tests/e2e/test_service_waits_for_database.py.)"""

import os
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests.support.cli import outreach_with
from tests.support.databases import POSTGRES_ENV
from tests.support.service import free_port

PASSWORD = "pw-never-shown"


def one_line_failure(env: dict[str, str | None], *args: str) -> str:
    """The one line `outreach ARGS` prints on stderr, checked to be all it says."""
    result = outreach_with(env, *args)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert PASSWORD not in result.output + result.stderr
    return lines[0]


def env_for(tmp_path: Path, database_url: str | None) -> dict[str, str | None]:
    return {"OUTREACH_DATA_DIR": str(tmp_path / "data"), "OUTREACH_DATABASE_URL": database_url,
            "OUTREACH_ACTOR": "cli:test-staff"}


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word, like a firewalled host."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


@pytest.mark.parametrize("command", [("status",), ("init",)])
def test_a_postgresql_port_nobody_listens_on(tmp_path: Path, command: tuple[str]) -> None:
    url = f"postgresql+psycopg://outreach:{PASSWORD}@127.0.0.1:{free_port()}/outreach"
    line = one_line_failure(env_for(tmp_path, url), *command)
    assert line.startswith("Cannot reach the database postgresql+psycopg://outreach:***@")
    assert "does not answer" in line


def test_a_postgresql_host_that_does_not_answer(tmp_path: Path, silent_server: int) -> None:
    url = f"postgresql+psycopg://outreach:{PASSWORD}@127.0.0.1:{silent_server}/outreach"
    assert "does not answer" in one_line_failure(env_for(tmp_path, url), "status")


@pytest.mark.parametrize("command", [("status",), ("init",)])
def test_a_postgresql_host_that_does_not_resolve(tmp_path: Path, command: tuple[str]) -> None:
    url = f"postgresql+psycopg://outreach:{PASSWORD}@db.no-such-host.invalid:5432/outreach"
    line = one_line_failure(env_for(tmp_path, url), *command)
    assert "its host name does not resolve" in line


@pytest.mark.skipif(not os.environ.get(POSTGRES_ENV), reason="needs a PostgreSQL server")
def test_a_postgresql_database_that_does_not_exist(tmp_path: Path) -> None:
    url = make_url(os.environ[POSTGRES_ENV]).set(database="outreach_never_created")
    line = one_line_failure(env_for(tmp_path, url.render_as_string(hide_password=False)),
                            "status")
    assert "outreach_never_created does not exist on its server" in line


@pytest.mark.parametrize("command", [("status",), ("init",)])
def test_a_file_that_is_not_a_sqlite_database(tmp_path: Path, command: tuple[str]) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Minutes of the 1540 Committee, invented.\n" * 100, encoding="utf-8")
    line = one_line_failure(env_for(tmp_path, f"sqlite:///{notes}"), *command)
    assert line.startswith(f"{notes} is not an SQLite database")
    assert notes.read_text(encoding="utf-8").startswith("Minutes")


@pytest.mark.parametrize("command", [("status",), ("init",)])
def test_a_folder_where_the_sqlite_file_should_be(tmp_path: Path, command: tuple[str]) -> None:
    folder = tmp_path / "registry.sqlite3"
    folder.mkdir()
    line = one_line_failure(env_for(tmp_path, f"sqlite:///{folder}"), *command)
    assert line.startswith(f"{folder} is a folder, not an SQLite database file")


def test_a_sqlite_file_in_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "registry.sqlite3"
    line = one_line_failure(env_for(tmp_path, f"sqlite:///{missing}"), "init")
    assert line == (f"Cannot open the SQLite database {missing}: its folder is missing or "
                    "not writable.")


def test_a_read_only_sqlite_database(tmp_path: Path) -> None:
    """Opened read-only (as a file the user may not write is; the suite may run as root,
    whom file modes do not stop): a write says so and changes nothing."""
    path = tmp_path / "registry.sqlite3"
    assert outreach_with(env_for(tmp_path, f"sqlite:///{path}"), "init").exit_code == 0
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    line = one_line_failure(env_for(tmp_path, read_only), "pocs", "add", "--party", "FRA",
                            "--name", "Claire Martin-Test", "--email", "claire@example.org")
    assert line.startswith(f"The database {path} is read-only: nothing was written.")
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT count(*) FROM poc").fetchone() == (0,)


@pytest.mark.parametrize("database", ["default", "elsewhere"])
def test_a_data_folder_that_cannot_be_created(tmp_path: Path, database: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    env = env_for(tmp_path, None if database == "default" else
                  f"sqlite:///{tmp_path / 'registry.sqlite3'}")
    env["OUTREACH_DATA_DIR"] = str(blocker / "data")
    line = one_line_failure(env, "status")
    assert line == (f"Cannot create the data folder {blocker / 'data'} (OUTREACH_DATA_DIR): "
                    "Not a directory.")
