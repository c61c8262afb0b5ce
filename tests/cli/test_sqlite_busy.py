"""On SQLite, a writer kept waiting by another for longer than OUTREACH_SQLITE_BUSY_SECONDS
gives up with one line and writes nothing; writers that take turns within it all succeed
(tests/e2e/test_sqlite_writers.py)."""

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.bulk_files import pocs_file
from tests.support.cli import outreach_with


@contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another writer in the middle of a long transaction."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_writer_kept_waiting_past_the_limit_says_so_and_writes_nothing(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "registry.sqlite3"
    shutil.copyfile(sqlite_template, path)
    people = pocs_file(tmp_path / "pocs.csv", 20)
    env: dict[str, str | None] = {
        "OUTREACH_DATABASE_URL": f"sqlite:///{path}", "OUTREACH_DATA_DIR": str(tmp_path),
        "OUTREACH_ACTOR": "cli:test-staff", "OUTREACH_SQLITE_BUSY_SECONDS": "0.5"}
    with write_lock_held(path):
        result = outreach_with(env, "import", "pocs", str(people))
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"The database {path} stayed busy with another writer for more than 0.5 s "
        "(OUTREACH_SQLITE_BUSY_SECONDS): nothing was written. Try again when it has "
        "finished."]
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT count(*) FROM poc").fetchone() == (0,)
        assert check.execute("SELECT count(*) FROM audit_entry").fetchone() == (0,)
    again = outreach_with(env, "import", "pocs", str(people))
    assert again.exit_code == 0 and "Imported: 20 created" in again.stdout
