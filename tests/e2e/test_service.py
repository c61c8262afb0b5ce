"""Specification tests for `outreach run`, the long-lived service, run as a real process.

The service is started the way a container starts it: a separate process configured only by
OUTREACH_* environment variables, probed over HTTP on /healthz, and stopped with a signal.
"""

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.service import outreach_command, running_service

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="the service is stopped with POSIX signals"
)



def test_it_answers_health_checks_and_stops_cleanly_on_sigterm(
    tmp_path: Path, database_url: str
) -> None:
    with running_service(tmp_path, database_url) as service:
        health = service.wait_until_answering()

        assert health.status == 200, service.stderr()
        assert json.loads(health.body) == {"status": "ok"}
        assert service.stop(signal.SIGTERM) == 0, service.stderr()


def test_it_stops_cleanly_on_sigint_too(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    with running_service(tmp_path, database_url) as service:
        assert service.wait_until_answering().status == 200, service.stderr()

        assert service.stop(signal.SIGINT) == 0, service.stderr()


def test_run_applies_migrations_so_the_registry_is_ready(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite3"
    assert not database.exists()
    with running_service(tmp_path, f"sqlite:///{database}") as service:
        assert service.wait_until_answering().status == 200, service.stderr()

        listed = subprocess.run(
            [*outreach_command(), "states", "--format", "json"],
            env=service.env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

        assert listed.returncode == 0, listed.stderr
        states = json.loads(listed.stdout)
        assert len(states) == 193
        assert len({state["code"] for state in states}) == 193
        assert service.stop(signal.SIGTERM) == 0, service.stderr()
