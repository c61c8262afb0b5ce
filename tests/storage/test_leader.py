"""One scheduler per database: only the process holding the scheduler lock runs the ticks,
and another takes over when that one lets go or dies.

On PostgreSQL the lock is a session-level advisory lock; on SQLite an exclusive `flock` on a
file next to the database file. Here two holders in this process; the specs that SIGKILL a
holder in a process of its own are in tests/e2e/test_leader_crash.py.
"""

import asyncio
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from scheduler.leader import (
    GAINED,
    LOST,
    SCHEDULER_LOCK_KEY,
    STANDING_BY,
    STANDING_BY_SQLITE,
    Leadership,
    PostgresAdvisoryLock,
    SchedulerLock,
    SqliteFileLock,
    lock_for,
)
from storage.db import make_engine
from tests.support.databases import BACKENDS

TAKEOVER_TIMEOUT = 60.0
WAIT_SECONDS = 60.0  # generous: every wait below ends as soon as what it waits for happens
RETRY_SECONDS = 0.02  # Leadership's check interval in these specs


def eventually(condition: Callable[[], bool], timeout: float = TAKEOVER_TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


async def until(condition: Callable[[], bool], timeout: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        await asyncio.sleep(0.01)


@pytest.fixture
def new_lock(engine: Engine) -> Iterator[Callable[[], SchedulerLock]]:
    """Locks on this spec's database, each as another process would take it; all released."""
    made: list[SchedulerLock] = []

    def make() -> SchedulerLock:
        lock = lock_for(engine)
        assert lock is not None
        made.append(lock)
        return lock

    yield make
    for lock in made:
        lock.release()


# --- the locks ---------------------------------------------------------------------------


def test_the_lock_key_never_changes_so_two_versions_exclude_each_other() -> None:
    assert SCHEDULER_LOCK_KEY == -3040101497385415681  # sha256("outreach-1540 scheduler")[:8]


def test_a_lock_suits_the_database(database_url: str, engine: Engine) -> None:
    lock = lock_for(engine)
    if database_url.startswith("sqlite"):
        assert isinstance(lock, SqliteFileLock)
        database = Path(database_url.removeprefix("sqlite:///"))
        assert lock.path == database.resolve().with_name("registry.sqlite3.scheduler.lock")
    else:
        assert isinstance(lock, PostgresAdvisoryLock)
        assert lock.key == SCHEDULER_LOCK_KEY


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_needs_no_lock(url: str) -> None:
    """Nothing else can open it, so no other process could run its ticks."""
    assert lock_for(make_engine(url)) is None


def test_only_one_of_two_holders_takes_the_lock(new_lock: Callable[[], SchedulerLock]) -> None:
    first, second = new_lock(), new_lock()

    assert first.try_acquire()
    assert not second.try_acquire()
    assert first.held()
    assert not second.held()


def test_the_lock_is_taken_by_the_next_try_once_its_holder_releases_it(
    new_lock: Callable[[], SchedulerLock],
) -> None:
    first, second = new_lock(), new_lock()
    assert first.try_acquire()
    assert first.try_acquire(), "taking it again while holding it is still holding it"

    first.release()

    assert not first.held()
    assert second.try_acquire(), "one release frees it, however often it was taken"
    assert not first.try_acquire()


def test_a_lock_file_removed_under_its_holder_is_no_longer_held(tmp_path: Path) -> None:
    lock = SqliteFileLock(tmp_path / "registry.sqlite3")
    assert lock.try_acquire()

    lock.path.unlink()

    assert not lock.held()
    assert lock.try_acquire(), "taking it again locks the file now in its place"
    assert lock.held()
    lock.release()


if "postgresql" in BACKENDS:

    def test_a_lock_whose_session_was_terminated_is_no_longer_held(
        postgres_database: str,
    ) -> None:
        engine = make_engine(postgres_database)
        lock, other = PostgresAdvisoryLock(engine), PostgresAdvisoryLock(engine)
        try:
            assert lock.try_acquire()
            assert lock.held()
            with engine.connect() as connection:
                holders = connection.execute(
                    text(
                        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                        " AND database = (SELECT oid FROM pg_database"
                        "                 WHERE datname = current_database())"
                        " AND classid::bigint = :high AND objid::bigint = :low"
                        " AND objsubid = 1"
                    ),
                    {"high": (SCHEDULER_LOCK_KEY >> 32) & 0xFFFFFFFF,
                     "low": SCHEDULER_LOCK_KEY & 0xFFFFFFFF},
                ).scalars().all()
                assert len(holders) == 1, "the lock is one advisory lock on the server"
                assert connection.execute(
                    text("SELECT pg_terminate_backend(:pid)"), {"pid": holders[0]}
                ).scalar_one()

            assert eventually(lambda: not lock.held()), "a dead session still counts as held"
            assert other.try_acquire(), "the server let go of the lock with the session"
            assert not lock.try_acquire()
        finally:
            lock.release()
            other.release()
            engine.dispose()


# --- leadership --------------------------------------------------------------------------


class FakeLock:
    """A lock whose holder, session and reachability a spec decides."""

    def __init__(self) -> None:
        self.taken_elsewhere = False
        self.ours = False
        self.failures_to_come = 0
        self.tries = 0
        self.checks = 0
        self.releases = 0

    def try_acquire(self) -> bool:
        self.tries += 1
        if self.failures_to_come:
            self.failures_to_come -= 1
            raise OperationalError("SELECT pg_try_advisory_lock", {}, OSError("unreachable"))
        if not self.taken_elsewhere:
            self.ours = True
        return self.ours

    def held(self) -> bool:
        self.checks += 1
        return self.ours

    def release(self) -> None:
        self.ours = False
        self.releases += 1


class Recorder:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def gain(self) -> None:
        self.calls.append("gain")

    def lose(self) -> None:
        self.calls.append("lose")


def logged(caplog: pytest.LogCaptureFixture, text: str) -> int:
    return sum(record.getMessage().startswith(text) for record in caplog.records)


@pytest.fixture
def leader_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="scheduler.leader")
    return caplog


async def test_ticks_start_once_stop_when_the_lock_is_lost_and_start_again_when_retaken(
    leader_log: pytest.LogCaptureFixture,
) -> None:
    lock, ticks, stop = FakeLock(), Recorder(), asyncio.Event()
    run = asyncio.create_task(Leadership(lock).run(ticks.gain, ticks.lose, stop, RETRY_SECONDS))

    await until(lambda: ticks.calls == ["gain"])
    await until(lambda: lock.checks >= 3)
    assert ticks.calls == ["gain"], "a process that keeps the lock starts its ticks once"

    lock.ours = False  # e.g. the PostgreSQL session was terminated
    await until(lambda: ticks.calls == ["gain", "lose", "gain"])

    stop.set()
    await asyncio.wait_for(run, WAIT_SECONDS)
    assert ticks.calls == ["gain", "lose", "gain", "lose"]
    assert lock.releases == 1
    assert not lock.ours
    assert logged(leader_log, GAINED) == 2
    assert logged(leader_log, LOST) == 1


async def test_a_process_stands_by_while_another_holds_the_lock_and_says_so_once(
    leader_log: pytest.LogCaptureFixture,
) -> None:
    lock, ticks, stop = FakeLock(), Recorder(), asyncio.Event()
    lock.taken_elsewhere = True
    run = asyncio.create_task(Leadership(lock).run(ticks.gain, ticks.lose, stop, RETRY_SECONDS))

    await until(lambda: lock.tries >= 5)
    assert ticks.calls == []
    assert logged(leader_log, STANDING_BY) == 1

    lock.taken_elsewhere = False  # the holder stopped
    await until(lambda: ticks.calls == ["gain"])
    stop.set()
    await asyncio.wait_for(run, WAIT_SECONDS)
    assert ticks.calls == ["gain", "lose"]
    assert logged(leader_log, GAINED) == 1
    assert logged(leader_log, STANDING_BY) == 1


async def test_an_unreachable_database_is_tried_again_and_warned_about_once(
    leader_log: pytest.LogCaptureFixture,
) -> None:
    lock, ticks, stop = FakeLock(), Recorder(), asyncio.Event()
    lock.failures_to_come = 4
    run = asyncio.create_task(Leadership(lock).run(ticks.gain, ticks.lose, stop, RETRY_SECONDS))

    await until(lambda: ticks.calls == ["gain"])
    stop.set()
    await asyncio.wait_for(run, WAIT_SECONDS)
    warnings = [r for r in leader_log.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        "scheduler: cannot take the lock (OperationalError); "
        f"trying again every {RETRY_SECONDS:g} s"
    ]


async def test_a_standing_by_process_stops_at_once_without_running_ticks() -> None:
    lock, ticks, stop = FakeLock(), Recorder(), asyncio.Event()
    lock.taken_elsewhere = True
    hour = 3600.0  # its next try is an hour away: stopping must not wait for it
    run = asyncio.create_task(Leadership(lock).run(ticks.gain, ticks.lose, stop, hour))
    await until(lambda: lock.tries == 1)

    stop.set()
    await asyncio.wait_for(run, WAIT_SECONDS)
    assert ticks.calls == []
    assert lock.tries == 1


async def test_of_two_processes_on_one_database_one_runs_the_ticks_the_other_takes_over(
    database_url: str, new_lock: Callable[[], SchedulerLock],
    leader_log: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    first_ticks, second_ticks = Recorder(), Recorder()
    first_stop, second_stop = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(
        Leadership(new_lock()).run(first_ticks.gain, first_ticks.lose, first_stop, RETRY_SECONDS)
    )
    await until(lambda: first_ticks.calls == ["gain"])
    second_lock, tries = new_lock(), [0]
    real_try = second_lock.try_acquire

    def counted_try() -> bool:
        tries[0] += 1
        return real_try()

    monkeypatch.setattr(second_lock, "try_acquire", counted_try)
    second = asyncio.create_task(
        Leadership(second_lock).run(second_ticks.gain, second_ticks.lose, second_stop,
                                    RETRY_SECONDS)
    )
    standing_by = STANDING_BY_SQLITE if database_url.startswith("sqlite") else STANDING_BY
    await until(lambda: logged(leader_log, standing_by) == 1)
    await until(lambda: tries[0] >= 5)  # several tries, however slowly they come
    assert second_ticks.calls == []
    assert logged(leader_log, standing_by) == 1, "standing by is said once, not every retry"

    first_stop.set()  # the first `outreach run` stops
    await asyncio.wait_for(first, WAIT_SECONDS)
    await until(lambda: second_ticks.calls == ["gain"])
    assert first_ticks.calls == ["gain", "lose"]

    second_stop.set()
    await asyncio.wait_for(second, WAIT_SECONDS)
    assert second_ticks.calls == ["gain", "lose"]
    assert logged(leader_log, GAINED) == 2
