"""A process that takes the scheduler lock and keeps it, for tests/e2e/test_leader_crash.py.

    python tests/support/leader_child.py DATABASE_URL

It prints "locked" once it holds the lock (or "busy" and exits 1 when another holder has
it), then sleeps until it is killed, or for ten minutes at most.
"""

import sys
import time
from pathlib import Path

# The repository root in place of this script's folder, which Python put first: the
# helpers beside it must never shadow a module of the standard library.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scheduler.leader import lock_for
from storage.db import make_engine

LONGEST_SLEEP_SECONDS = 600.0  # longer than any spec holding it, however busy the machine


def main(argv: list[str]) -> int:
    lock = lock_for(make_engine(argv[0]))
    if lock is None:
        print("no lock for this database", flush=True)
        return 2
    if not lock.try_acquire():
        print("busy", flush=True)
        return 1
    print("locked", flush=True)
    time.sleep(LONGEST_SLEEP_SECONDS)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
