"""Crashes: a dispatcher killed anywhere, or two at once, never sends a delivery twice and
never loses one. (An SMTP outage clearing up by itself: tests/delivery/test_smtp_outage.py.)

The specs run the dispatcher in child processes (tests/support/dispatch_child.py) against a
real SMTP sink on loopback and SIGKILL them at random points of their progress (after a random
number of further messages reached the sink, never after a time), so a kill can land between
the claim and the hand-over to SMTP (the lease runs out and the delivery is taken again),
or between the hand-over and the record of the outcome (the row is left `sending` and the
next sweep calls it `uncertain`, for a person to check). With a window of K (OUTREACH_MAIL_WINDOW)
the children mark K deliveries `sending` at once and send them over K connections: a kill
then leaves at most K of them `uncertain`, some possibly never sent.
"""

import json
import logging
import random
import re
import select as os_select
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from storage.outbox import Delivery, DeliveryState
from tests.support.outbox import invent_pocs, queue
from tests.support.paths import REPO, SUPPORT
from tests.support.smtp_sink import ReceivedMessage, SmtpSink

log = logging.getLogger(__name__)  # what each run measured, shown with a failure

CHILD = SUPPORT / "dispatch_child.py"
MAIL_FROM = "1540 Committee <outreach@example.org>"
MESSAGE_ID = re.compile(r"<delivery-(\d+)\.message-(\d+)@[^>]+>")
SETTLED = {DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.UNCERTAIN}

KILLS = 8
KILL_LEASE_SECONDS = 1.0
SINK_DELAY_SECONDS = 0.03  # each message's data is answered this late: kills land inside
READY_TIMEOUT = 60.0  # a child that imports everything, on a busy machine
FINISH_TIMEOUT = 180.0  # a child sending up to 200 e-mails on a busy machine


# --- child processes ---------------------------------------------------------------------


class Children:
    """Dispatcher processes started by one spec; every one is killed when the spec ends."""

    def __init__(self, database_url: str, smtp_url: str, logs: Path) -> None:
        self.database_url = database_url
        self.smtp_url = smtp_url
        self.logs = logs
        self.started: list[tuple[subprocess.Popen[str], Path]] = []

    def spawn(self, owner: str, *, lease_seconds: float, window: int = 1
              ) -> subprocess.Popen[str]:
        """A child that imports and builds everything, says "ready", and waits for `go`."""
        log = self.logs / f"{owner}.log"
        with log.open("w") as stderr:
            process = subprocess.Popen(
                [sys.executable, str(CHILD), self.database_url, self.smtp_url, owner,
                 "--lease-seconds", str(lease_seconds), "--window", str(window),
                 "--wait-for-go"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True,
                cwd=REPO,
            )
        self.started.append((process, log))
        return process

    def log_of(self, process: subprocess.Popen[str]) -> str:
        for started, log in self.started:
            if started is process:
                return log.read_text()
        raise AssertionError("not a child of this spec")

    def wait_ready(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        readable, _, _ = os_select.select([process.stdout], [], [], READY_TIMEOUT)
        line = process.stdout.readline() if readable else ""
        assert line == "ready\n", f"the child did not start: {self.log_of(process)}"

    @staticmethod
    def go(process: subprocess.Popen[str]) -> None:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()

    @staticmethod
    def kill(process: subprocess.Popen[str]) -> None:
        if process.poll() is None:
            process.kill()  # SIGKILL: no finally block, no polite QUIT, no rollback
        process.wait(timeout=60)

    def finish(self, process: subprocess.Popen[str]) -> dict[str, Any]:
        """Wait for a child let go to run to its end; its totals."""
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        code = process.wait(timeout=FINISH_TIMEOUT)
        output = process.stdout.read()
        assert code == 0, f"the child failed ({code}): {self.log_of(process)}"
        totals: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
        return totals

    def kill_all(self) -> None:
        for process, _ in self.started:
            self.kill(process)
            for stream in (process.stdin, process.stdout):
                if stream is not None and not stream.closed:
                    stream.close()


@contextmanager
def running(sink: SmtpSink, database_url: str, logs: Path) -> Iterator[Children]:
    children = Children(database_url, sink.url(), logs)
    sink.start()
    try:
        yield children
    finally:
        children.kill_all()
        sink.stop()


def wait_for_messages(sink: SmtpSink, count: int, process: subprocess.Popen[str]) -> None:
    """Until the sink holds `count` messages, or the child has ended (nothing left to send)."""
    deadline = time.monotonic() + FINISH_TIMEOUT
    while len(sink.messages) < count and process.poll() is None:
        assert time.monotonic() < deadline, "the dispatcher made no progress"
        time.sleep(0.002)


# --- what arrived, what was recorded -----------------------------------------------------


def delivery_ids_received(messages: list[ReceivedMessage]) -> Counter[int]:
    received: Counter[int] = Counter()
    for message in messages:
        match = MESSAGE_ID.fullmatch(str(message.parsed()["Message-ID"]))
        assert match is not None, f"a message without our Message-ID: {message.data[:300]!r}"
        received[int(match.group(1))] += 1
    return received


def deliveries(session: Session) -> list[Delivery]:
    session.expire_all()
    return list(session.exec(select(Delivery).order_by(col(Delivery.id))))


def backend_of(database_url: str) -> str:
    return database_url.split(":", 1)[0].split("+", 1)[0]


# --- specs -------------------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "window"), [(1540, 4), (2004, 4), (3113, 1), (1267, 8)])
def test_a_dispatcher_killed_at_random_points_never_duplicates_or_loses_a_delivery(
    database_url: str, session: Session, tmp_path: Path, seed: int, window: int
) -> None:
    queue(session, invent_pocs(session, 30), now=datetime.now(UTC))  # children: real clock
    rng = random.Random(seed)
    sink = SmtpSink()
    sink.delay = SINK_DELAY_SECONDS
    kill_after: list[int] = []
    arrived = 0
    with running(sink, database_url, tmp_path) as children:
        upcoming = children.spawn("killed-0", lease_seconds=KILL_LEASE_SECONDS, window=window)
        children.wait_ready(upcoming)
        for kill in range(KILLS):
            current = upcoming
            children.go(current)
            # the next one imports while this one works, so the kills are not spent waiting
            owner = f"killed-{kill + 1}" if kill + 1 < KILLS else "final"
            upcoming = children.spawn(owner, lease_seconds=KILL_LEASE_SECONDS, window=window)
            # by progress, not by the clock: once the sink holds `more` new messages (whose
            # replies it delays, so a window is in flight), or at once (before any sending)
            more = rng.choice([0, 1, 2, 3, 5, 8])
            kill_after.append(more)
            wait_for_messages(sink, arrived + more, current)
            children.kill(current)
            arrived = len(sink.messages)
            children.wait_ready(upcoming)
        time.sleep(KILL_LEASE_SECONDS + 0.3)  # every lease of the dead has run out
        children.go(upcoming)
        final = children.finish(upcoming)

    rows = deliveries(session)
    received = delivery_ids_received(sink.messages)
    recipients = Counter(address for message in sink.messages for address in message.rcpt_tos)
    states = Counter(str(row.state) for row in rows)
    uncertain = [row.id for row in rows if row.state == DeliveryState.UNCERTAIN]
    arrived_uncertain = [i for i in uncertain if received[i or 0]]
    # the sweep leaves a dead child's name on what it called uncertain: at most K each
    per_crash = Counter(str(row.lease_owner) for row in rows
                        if row.state == DeliveryState.UNCERTAIN)
    context = (f"seed {seed}, window {window}, kills after {kill_after} more messages: "
               f"states {dict(states)}, uncertain per crash {dict(per_crash)}, "
               f"received {dict(received)}, final child {final}")
    log.info("%s, seed %s: %d uncertain (%d of them arrived), final child %s",
             backend_of(database_url), seed, len(uncertain), len(arrived_uncertain), final)

    assert len(rows) == 30
    assert all(row.state in SETTLED for row in rows), context
    assert all(owner.startswith("killed-") for owner in per_crash), context
    assert all(count <= window for count in per_crash.values()), context
    assert {i: n for i, n in received.items() if n > 1} == {}, context
    assert {a: n for a, n in recipients.items() if n > 1} == {}, context
    assert set(received) <= {row.id for row in rows}, context
    for row in rows:
        assert row.id is not None
        if row.state == DeliveryState.SENT:
            assert received[row.id] == 1, f"delivery {row.id} recorded sent: {context}"
        if not received[row.id]:
            assert row.state in (DeliveryState.UNCERTAIN, DeliveryState.FAILED), (
                f"delivery {row.id} never arrived: {context}")


def test_two_dispatcher_processes_never_send_the_same_delivery(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    """Also run on SQLite: two processes there share one writer (WAL, busy timeout). Each
    sends a window of 4 at once over 4 connections."""
    queue(session, invent_pocs(session, 200), now=datetime.now(UTC))
    sink = SmtpSink()
    with running(sink, database_url, tmp_path) as children:
        both = [children.spawn(owner, lease_seconds=60, window=4)
                for owner in ("dispatcher-a", "dispatcher-b")]
        for process in both:
            children.wait_ready(process)
        for process in both:
            children.go(process)
        totals = [children.finish(process) for process in both]

    rows = deliveries(session)
    received = delivery_ids_received(sink.messages)
    shares = {str(total["owner"]): int(total["sent"]) for total in totals}
    log.info("%s: sent by each process: %s", backend_of(database_url), shares)  # one may do it all
    context = f"totals {totals}, states {Counter(str(row.state) for row in rows)}"
    assert [row.state for row in rows] == [DeliveryState.SENT] * 200, context
    assert sum(shares.values()) == 200, context
    assert len(sink.messages) == 200, context
    assert received == Counter({row.id: 1 for row in rows if row.id is not None}), context
