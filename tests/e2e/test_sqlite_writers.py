"""On SQLite, the embedded default, writers take turns: three event imports and a PoC
import started together while `outreach run` dispatches all succeed, and each is whole.
A writer kept waiting past OUTREACH_SQLITE_BUSY_SECONDS says so in one line and writes
nothing (tests/cli/test_sqlite_busy.py)."""

import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from storage.db import make_engine
from storage.outbox import DeliveryState
from tests.support.bulk_files import events_file, pocs_file
from tests.support.outbox import invent_pocs, queue
from tests.support.service import (
    WAIT_SECONDS,
    outreach_command,
    reminders_paused,
    running_service,
    wait_for,
)
from tests.support.smtp_sink import SmtpSink

EVENTS_PER_FILE = 1000  # enough for the imports to overlap, each a few seconds of writing
POCS = 1000
QUEUED = 150  # deliveries the service dispatches meanwhile, paced to last through the imports
PER_MINUTE = "1200"


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as database:
        return {
            "events": database.execute("SELECT count(*) FROM event").fetchone()[0],
            "pocs": database.execute("SELECT count(*) FROM poc").fetchone()[0],
            "sent": database.execute("SELECT count(*) FROM delivery WHERE state = ?",
                                     (DeliveryState.SENT.value,)).fetchone()[0],
        }


def test_four_importers_and_the_service_write_at_once_and_all_succeed(
    tmp_path: Path, sqlite_template: Path
) -> None:
    path = tmp_path / "registry.sqlite3"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        reminders_paused(session)
        queue(session, invent_pocs(session, QUEUED), now=datetime.now(UTC))
    engine.dispose()
    files = [events_file(tmp_path / f"events-{series}.csv", EVENTS_PER_FILE, series)
             for series in "abc"]
    people = pocs_file(tmp_path / "pocs.csv", POCS)
    with SmtpSink() as sink, running_service(tmp_path / "service", url, {
        "OUTREACH_DISPATCH_EVERY_SECONDS": "0.2", "OUTREACH_SMTP_URL": sink.url(),
        "OUTREACH_MAIL_PER_MINUTE": PER_MINUTE,
    }) as service:
        service.wait_until_answering()
        service.wait_until_leading()
        importers = [
            subprocess.Popen([*outreach_command(), "import", *what], env=service.env,
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for what in [*(("events", str(file)) for file in files), ("pocs", str(people))]
        ]
        outcomes = [(importer.wait(timeout=WAIT_SECONDS * 2), *importer.communicate())
                    for importer in importers]
        wait_for(lambda: counts(path)["sent"] == QUEUED)
        assert service.stop() == 0
    assert len(sink.messages) == QUEUED
    for code, stdout, stderr in outcomes:
        assert code == 0, stderr.decode()
        assert b"Imported: 1000 created" in stdout
    assert counts(path) == {"events": 3 * EVENTS_PER_FILE, "pocs": QUEUED + POCS,
                            "sent": QUEUED}
    assert "OperationalError" not in service.stderr()
    assert "database is locked" not in service.stderr()
