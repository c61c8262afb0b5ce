"""`outreach run` as a child process, started the way a container starts it: configured only
by OUTREACH_* environment variables, probed over HTTP on /healthz, stopped with a signal.
For the specs under tests/e2e.

A spec that starts the service decides what it may send: the shipped reminder policies that
`outreach run` creates are paused, so a spec about reminders resumes them itself
(`reminders_active`) and sets the working hours; one whose PoCs are not there for reminders
may say so (`reminders_paused`). Nothing then depends on the day or the hour the suite runs
at. Every wait has a deadline long enough for a busy machine (STARTUP_SECONDS, `wait_for`):
it ends as soon as the awaited thing happens.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session

from scheduler.leader import GAINED
from storage import reminders
from tests.support.outbox import NOW

STARTUP_SECONDS = 60.0  # a cold start on a loaded machine; a quiet one answers in about 2 s
SHUTDOWN_SECONDS = 30.0
ANSWER_SECONDS = 30.0  # one HTTP answer of the service; a busy machine may take seconds
WAIT_SECONDS = 60.0  # for what the service does on its own (a dispatch, a sweep, a reply)
POLL_SECONDS = 0.1


def wait_for(condition: Callable[[], bool], seconds: float = WAIT_SECONDS) -> None:
    """Return as soon as `condition()` holds; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still not true after {seconds:.0f} s"
        time.sleep(POLL_SECONDS / 2)


def reminders_paused(session: Session) -> None:
    """The shipped reminder policies, created as `outreach run` creates them, and paused: the
    spec's PoCs hear only what the spec sends them, on any day at any hour."""
    reminders.ensure_default_policies(session=session, today=NOW.date(), now=NOW)
    for policy in reminders.policies(session=session):
        policy.paused = True
        session.add(policy)
    session.commit()


def reminders_active(session: Session) -> None:
    """The shipped reminder policies, created as `outreach run` creates them (paused), then
    resumed as staff resume them once they have read the plan: for specs about reminders."""
    reminders.ensure_default_policies(session=session, today=NOW.date(), now=NOW)
    for policy in reminders.policies(session=session):
        policy.paused = False
        session.add(policy)
    session.commit()


def outreach_command() -> list[str]:
    """The installed `outreach` console script, or the same entry point through Python."""
    script = Path(sys.executable).parent / "outreach"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from bot.cli import main; main()"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def service_env(data_dir: Path, database_url: str, port: int) -> dict[str, str]:
    """The process environment without any OUTREACH_* setting of the person running the tests."""
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("OUTREACH_")}
    return {
        **inherited,
        "OUTREACH_DATA_DIR": str(data_dir),
        "OUTREACH_DATABASE_URL": database_url,
        "OUTREACH_HTTP_HOST": "127.0.0.1",
        "OUTREACH_HTTP_PORT": str(port),
        "OUTREACH_ACTOR": "cli:test-service",
    }


@dataclass(frozen=True)
class Health:
    status: int
    body: bytes


@dataclass
class Service:
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    health_url: str
    stderr_path: Path

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def health(self) -> Health:
        try:
            # An answer a busy machine makes slow is still an answer: the deadline is the
            # caller's wait, not this one request's.
            with urllib.request.urlopen(self.health_url, timeout=ANSWER_SECONDS
                                        ) as response:
                return Health(status=response.status, body=response.read())
        except urllib.error.HTTPError as error:  # 503 and friends: an answer all the same
            with error:
                return Health(status=error.code, body=error.read())

    def wait_until_answering(self) -> Health:
        """The first answer of /healthz; fails with the service's stderr if none comes."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if self.process.poll() is not None:
                pytest.fail(
                    f"`outreach run` exited with {self.process.returncode} before answering "
                    f"health checks; stderr:\n{self.stderr()}"
                )
            try:
                return self.health()
            except (urllib.error.URLError, OSError):
                if time.monotonic() >= deadline:
                    pytest.fail(
                        f"`outreach run` did not answer {self.health_url} within "
                        f"{STARTUP_SECONDS:.0f} s; stderr:\n{self.stderr()}"
                    )
                time.sleep(POLL_SECONDS)

    def wait_until_leading(self) -> None:
        """Until this process holds the scheduler lock: its ticks run from then on."""
        wait_for(lambda: GAINED in self.stderr())

    def stop(self, signum: signal.Signals = signal.SIGTERM) -> int:
        """Send `signum` and return the exit code; fails if the service does not exit in time."""
        self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"`outreach run` still running {SHUTDOWN_SECONDS:.0f} s after "
                f"{signum.name}; stderr:\n{self.stderr()}"
            )


@contextmanager
def running_service(
    tmp_path: Path, database_url: str, extra_env: dict[str, str] | None = None
) -> Iterator[Service]:
    """`outreach run` as a child process; always killed when the block ends."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = service_env(tmp_path / "data", database_url, port) | (extra_env or {})
    stdout_path = tmp_path / "service.stdout"
    stderr_path = tmp_path / "service.stderr"
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [*outreach_command(), "run"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            cwd=tmp_path,
        )
    try:
        yield Service(
            process=process,
            env=env,
            health_url=f"http://127.0.0.1:{port}/healthz",
            stderr_path=stderr_path,
        )
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
