"""The scheduler lock of a process that dies is free again: the holder here is a process of
its own (tests/support/leader_child.py), SIGKILLed; no clean-up code of its own runs. The
specs with both holders in the test's own process are in tests/storage/test_leader.py."""

import select
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from scheduler.leader import lock_for
from tests.support.paths import REPO, SUPPORT

CHILD = SUPPORT / "leader_child.py"
READY_TIMEOUT = 60.0  # a child that imports SQLAlchemy and the driver, on a busy machine
TAKEOVER_TIMEOUT = 60.0


def eventually(condition: Callable[[], bool], timeout: float = TAKEOVER_TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@contextmanager
def child_holding_the_lock(database_url: str) -> Iterator[subprocess.Popen[str]]:
    """A process that has taken the scheduler lock and sleeps; killed when the block ends."""
    process = subprocess.Popen(
        [sys.executable, str(CHILD), database_url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], READY_TIMEOUT)
        assert ready, "the child never said whether it took the lock"
        assert process.stdout.readline().strip() == "locked"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_the_lock_of_a_killed_process_is_taken_over(database_url: str, engine: Engine) -> None:
    lock = lock_for(engine)
    assert lock is not None
    try:
        with child_holding_the_lock(database_url) as child:
            assert not lock.try_acquire()

            child.kill()  # SIGKILL: no clean-up code of its own runs
            child.wait()

            assert eventually(lock.try_acquire), "the lock of a dead process was never freed"
            assert lock.held()
    finally:
        lock.release()


def test_a_second_process_cannot_take_the_lock_a_first_one_holds(database_url: str) -> None:
    with child_holding_the_lock(database_url):
        second = subprocess.run(
            [sys.executable, str(CHILD), database_url],
            capture_output=True, text=True, cwd=REPO, timeout=READY_TIMEOUT,
        )
    assert second.stdout.strip() == "busy"
    assert second.returncode == 1
