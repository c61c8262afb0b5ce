"""`outreach run` started while its database is away stays up: /healthz answers 503, one
log line says what is wrong at each try (waiting longer each time), and when the database
comes back the service prepares the registry and runs its ticks, without a restart. A
database that goes away while it runs is the same: 503, a line per tick, and it carries on."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import make_url
from sqlmodel import Session

from storage.db import make_engine
from tests.support.databases import POSTGRES_ENV
from tests.support.outbox import invent_pocs, queue
from tests.support.service import Service, reminders_paused, running_service, wait_for
from tests.support.tcp_proxy import TcpProxy

RUNNING = "Outreach is running"


def retries(service: Service) -> list[str]:
    return [line for line in service.stderr().splitlines() if "Trying again in" in line]


def waits_then_carries_on(service: Service, bring_back: object, problem: str) -> None:
    """While away: 503 and one line per try; back: prepared, leading, 200."""
    assert service.wait_until_answering().status == 503
    wait_for(lambda: len(retries(service)) >= 2)  # it tried again, and lived
    assert service.health().status == 503
    assert RUNNING not in service.stderr()
    first, second = retries(service)[:2]
    assert problem in first
    assert "Trying again in 1 s" in first and "Trying again in 2 s" in second
    assert callable(bring_back)
    bring_back()
    service.wait_until_leading()
    wait_for(lambda: RUNNING in service.stderr())
    wait_for(lambda: service.health().status == 200)


def stopped_cleanly(service: Service) -> None:
    assert service.stop() == 0
    assert "Traceback" not in service.stderr()
    assert all(len(line) < 300 for line in retries(service))  # one line each, not a dump


@pytest.mark.skipif(not os.environ.get(POSTGRES_ENV), reason="needs a PostgreSQL server")
def test_the_service_waits_for_postgresql_and_carries_on(
    tmp_path: Path, postgres_database: str
) -> None:
    server = make_url(postgres_database)
    with TcpProxy((server.host or "127.0.0.1", server.port or 5432)) as proxy:
        url = server.set(host="127.0.0.1", port=proxy.port).render_as_string(
            hide_password=False)
        with running_service(tmp_path, url, {"OUTREACH_DISPATCH_EVERY_SECONDS": "2"}
                             ) as service:
            waits_then_carries_on(service, proxy.open, "the server does not answer")
            # away again while it runs: 503, the ticks say so in a line, and it recovers
            proxy.close()
            wait_for(lambda: service.health().status == 503)
            engine = make_engine(postgres_database)  # the spec itself reaches the server
            with Session(engine, expire_on_commit=False) as session:
                reminders_paused(session)
                [poc_id] = invent_pocs(session, 1)
                queue(session, [poc_id], now=datetime.now(UTC))
            engine.dispose()
            wait_for(lambda: "Cannot reach the database" in service.stderr().split(
                RUNNING, 1)[1])
            proxy.open()
            wait_for(lambda: service.health().status == 200)
            wait_for(lambda: len(list((tmp_path / "data").rglob("*.eml"))) == 1)
            stopped_cleanly(service)


def test_the_service_waits_for_a_sqlite_folder_and_carries_on(tmp_path: Path) -> None:
    folder = tmp_path / "mounted-later"
    url = f"sqlite:///{folder / 'registry.sqlite3'}"
    with running_service(tmp_path, url) as service:
        waits_then_carries_on(service, folder.mkdir, "its folder is missing or not writable")
        stopped_cleanly(service)
