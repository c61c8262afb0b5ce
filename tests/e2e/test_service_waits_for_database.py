"""`outreach run` started while its database is away stays up: /healthz answers 503, one
log line says what is wrong at each try (waiting longer each time), and when the database
comes back the service prepares the registry and runs its ticks, without a restart."""

import os
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests.support.databases import POSTGRES_ENV
from tests.support.service import Service, running_service, wait_for
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
    assert service.stop() == 0
    log = service.stderr()
    assert "Traceback" not in log
    assert all(len(line) < 300 for line in retries(service))  # one line each, not a dump


@pytest.mark.skipif(not os.environ.get(POSTGRES_ENV), reason="needs a PostgreSQL server")
def test_the_service_waits_for_postgresql_and_carries_on(
    tmp_path: Path, postgres_database: str
) -> None:
    server = make_url(postgres_database)
    with TcpProxy((server.host or "127.0.0.1", server.port or 5432)) as proxy:
        url = server.set(host="127.0.0.1", port=proxy.port).render_as_string(
            hide_password=False)
        with running_service(tmp_path, url) as service:
            waits_then_carries_on(service, proxy.open, "the server does not answer")


def test_the_service_waits_for_a_sqlite_folder_and_carries_on(tmp_path: Path) -> None:
    folder = tmp_path / "mounted-later"
    url = f"sqlite:///{folder / 'registry.sqlite3'}"
    with running_service(tmp_path, url) as service:
        waits_then_carries_on(service, folder.mkdir, "its folder is missing or not writable")
