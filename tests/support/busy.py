"""Keep the machine's cores busy while the suite runs, to find the specs that a slow machine
fails: `python3 tests/support/busy.py [--cpus N] [--seconds S]`.

Starts N processes (default: one per core) that spin at full speed, and stops them after S
seconds (default 1800) or on Ctrl-C / SIGTERM, whichever comes first: it never outlives
its time. Debian's `stress-ng --cpu N --timeout Ss` does the same; this needs nothing but
Python.
"""

import argparse
import multiprocessing
import os
import signal
import sys
import time
from types import FrameType


def spin(until: float) -> None:
    count = 0
    while time.monotonic() < until:
        count += 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seconds", type=float, default=1800.0)
    arguments = parser.parse_args(argv)
    until = time.monotonic() + arguments.seconds
    workers = [multiprocessing.Process(target=spin, args=(until,), daemon=True)
               for _ in range(max(1, arguments.cpus))]
    for worker in workers:
        worker.start()

    def stop(signum: int, frame: FrameType | None) -> None:
        for worker in workers:
            worker.terminate()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for worker in workers:
        worker.join()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
