"""A dispatcher in a process of its own, for the crash specs (tests/e2e/test_delivery_crashes.py).

    python tests/support/dispatch_child.py DATABASE_URL SMTP_URL OWNER [--lease-seconds N]
                                           [--window K] [--wait-for-go]

It sends through a real SmtpPool of K connections (the dispatcher's window, as
OUTREACH_MAIL_WINDOW) with the real clock, running the dispatcher round after
round until a round finds nothing to do (or a bounded number of rounds), then prints its
totals as one JSON line and exits 0. It prints "ready" once everything is imported and built,
before touching the database; with --wait-for-go it then waits for a line on stdin, so a
spec can start it ahead of time and let it go at a moment of its choosing.
"""

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

# The repository root in place of this script's folder, which Python put first: the
# helpers beside it must never shadow a module of the standard library.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.channels.email.config import SmtpConfig
from bot.channels.email.pool import SmtpPool
from bot.delivery.dispatcher import Dispatcher, DispatchStats
from storage.db import make_engine

MAIL_FROM = "1540 Committee <outreach@example.org>"
BATCH_SIZE = 10
MAX_ROUNDS = 50


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database_url")
    parser.add_argument("smtp_url")
    parser.add_argument("owner")
    parser.add_argument("--lease-seconds", type=float, default=60.0)
    parser.add_argument("--window", type=int, default=1)
    parser.add_argument("--wait-for-go", action="store_true")
    return parser.parse_args(argv)


async def dispatch_until_idle(dispatcher: Dispatcher) -> tuple[DispatchStats, int]:
    """Rounds until one finds nothing to claim, sweep or record; the totals and rounds run."""
    total = DispatchStats()
    for rounds in range(1, MAX_ROUNDS + 1):
        stats = await dispatcher.run_once()
        total.add(stats)
        if not any(asdict(stats).values()):
            return total, rounds
    return total, MAX_ROUNDS


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    engine = make_engine(arguments.database_url)
    sender = SmtpPool(SmtpConfig.from_url(arguments.smtp_url), MAIL_FROM, None,
                      connections=arguments.window)
    dispatcher = Dispatcher(
        engine=engine, email=sender, telegram=None, owner=arguments.owner,
        batch_size=BATCH_SIZE, lease=timedelta(seconds=arguments.lease_seconds),
        window=arguments.window,
    )
    print("ready", flush=True)
    if arguments.wait_for_go and not sys.stdin.readline():
        return 0  # the spec went away before letting us go: nothing to do
    try:
        total, rounds = asyncio.run(dispatch_until_idle(dispatcher))
    finally:
        engine.dispose()
    print(json.dumps({"owner": arguments.owner, "rounds": rounds, **asdict(total)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
