"""Shared set-up for the benchmark scripts: a throw-away database, invented PoCs, a broadcast.

Imported by bench/*.py after they put the repository root on sys.path. Nothing here times
anything; each script measures what it is about.
"""

import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, insert, make_url, text
from sqlmodel import Session, col, select

from bot.channels.contract import NothingToOpen, OutgoingEmail, SendResult
from storage import outbox
from storage.db import make_engine, migrate, session_scope
from storage.outbox import Channel, Recipient
from storage.parties import Party, PartyKind
from storage.pocs import PocEmail, PocStatus, PointOfContact
from storage.reference_data import load_reference_data

Backend = Literal["sqlite", "postgresql"]
BACKENDS: tuple[Backend, ...] = ("sqlite", "postgresql")

POSTGRES_ENV = "OUTREACH_BENCH_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

ACTOR = "bench"
# The six UN languages: PoCs rotate through them, so every translation gets rendered.
LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")


def out(line: str = "") -> None:
    """One line of the report on stdout (print() is reserved for the specs by the linter)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def mib(kib: float) -> float:
    return kib / 1024


def addresses_for(index: int) -> tuple[str, ...]:
    """Invented addresses: every fourth PoC has a second one (two RCPT TO, as in real life)."""
    first = f"poc{index:05d}@example.org"
    if index % 4 == 3:
        return (first, f"poc{index:05d}.office@example.org")
    return (first,)


@contextmanager
def database(backend: Backend, workdir: Path) -> Iterator[str]:
    """A migrated database with the reference data loaded; its URL. Dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        _prepare(url)
        yield url
        return
    base = make_url(os.environ.get(POSTGRES_ENV) or DEFAULT_POSTGRES_URL)
    name = f"outreach_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = base.set(database=name).render_as_string(hide_password=False)
            _prepare(url)
            yield url
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _prepare(url: str) -> None:
    engine = make_engine(url)
    try:
        migrate(engine)
        with session_scope(engine) as session:
            load_reference_data(session=session, now=datetime.now(UTC))
    finally:
        engine.dispose()


def create_pocs(
    engine: Engine, count: int, *, with_email: bool, first_chat_id: int | None = None
) -> list[int]:
    """`count` active invented PoCs spread over the Member States, in one transaction.

    Core multi-row inserts (no audit entries): the set-up is not what is measured. A PoC
    gets addresses_for(i) when `with_email`, and chat id first_chat_id + i when given.
    """
    now = datetime.now(UTC)
    with engine.begin() as connection:
        states = list(connection.execute(
            select(col(Party.id)).where(Party.kind == PartyKind.STATE.value)
            .order_by(col(Party.code))
        ).scalars())
        rows: list[dict[str, Any]] = [
            {
                "party_id": states[index % len(states)],
                "role": "national",
                "full_name": f"Bench Person {index:05d}",
                "title": "Dr." if index % 3 == 0 else "",
                "agency": "Ministry of Invented Affairs",
                "phone": "",
                "telegram_handle": None,
                "telegram_chat_id": None if first_chat_id is None else first_chat_id + index,
                "language": LANGUAGES[index % len(LANGUAGES)],
                "timezone": "UTC",
                "status": PocStatus.ACTIVE.value,
                "created_at": now,
                "updated_at": now,
            }
            for index in range(count)
        ]
        ids = [int(poc_id) for poc_id in connection.execute(
            insert(PointOfContact).returning(col(PointOfContact.id), sort_by_parameter_order=True),
            rows,
        ).scalars() if poc_id is not None]
        assert len(ids) == count
        if with_email:
            connection.execute(insert(PocEmail), [
                {"poc_id": poc_id, "position": position, "address": address}
                for index, poc_id in enumerate(ids)
                for position, address in enumerate(addresses_for(index))
            ])
    return ids


def enqueue_broadcast(
    engine: Engine, recipients: list[Recipient], *, template: str = "contact_check",
    dedupe_key: str | None = None,
) -> int:
    """One message with a delivery per recipient, as `outreach send` would queue it."""
    with session_scope(engine) as session:
        message = outbox.enqueue(
            session=session, kind="one_off", template=template, context={},
            audience="bench", recipients=recipients, created_by=ACTOR,
            now=datetime.now(UTC),  # due at once: the dispatcher runs on the real clock
            dedupe_key=dedupe_key,
        )
        assert message.id is not None
        return message.id


def audience(engine: Engine, poc_ids: list[int], channel: Channel) -> list[Recipient]:
    """The recipients storage.outbox.audience_of finds for these PoCs, on one channel."""
    with Session(engine) as session:
        found = outbox.audience_of(session=session, poc_ids=poc_ids)
    return [recipient for recipient in found.recipients if recipient.channel == channel]


def delivery_states(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return outbox.counts_by_state(session=session)


class UnusedEmailSender(NothingToOpen):
    """An e-mail channel for runs that must not send e-mail: any use is a bench bug."""

    async def send(self, item: OutgoingEmail) -> SendResult:
        raise AssertionError(f"delivery {item.delivery_id}: no e-mail was expected in this run")


def vm_hwm_kib() -> int:
    """This process's peak resident set so far (VmHWM), in KiB; 0 where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


REPORT_ENV = "OUTREACH_BENCH_REPORT"
PROFILE_ENV = "OUTREACH_BENCH_PROFILE"


def run_cli_timed(command: list[str]) -> None:
    """Runs in a bench's child process: `outreach <command>`, timed from inside (wall and
    CPU), profiled when PROFILE_ENV names a file; its figures and its own VmHWM go to the
    file REPORT_ENV names."""
    import json
    import time

    from bot.cli import main

    sys.argv = ["outreach", *command]
    code = 0
    profile_path = os.environ.get(PROFILE_ENV)
    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        main()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if profiler is not None and profile_path:
        profiler.disable()
        profiler.dump_stats(profile_path)
    Path(os.environ[REPORT_ENV]).write_text(json.dumps(
        {"seconds": seconds, "cpu": cpu, "hwm": vm_hwm_kib(), "code": code}))
