"""The few recurring ticks of the long-lived process, on APScheduler.

The database is the single source of truth: the scheduler holds only fixed-id jobs that are
rebuilt at every start, never pickled per-message jobs. A tick that overlaps itself or that
was missed while the process slept runs once, not once per missed interval.
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

DISPATCH_JOB_ID = "dispatch"
SWEEP_JOB_ID = "reminder-sweep"
CHAIR_JOB_ID = "chair-release"
ASSISTANCE_JOB_ID = "assistance-chase"
INBOX_JOB_ID = "inbox-notice"


def build_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone=UTC)


def add_tick(
    scheduler: AsyncIOScheduler,
    job_id: str,
    tick: Callable[[], Awaitable[Any]],
    every_seconds: float,
) -> None:
    scheduler.add_job(
        tick,
        trigger="interval",
        seconds=every_seconds,
        id=job_id,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(max(every_seconds, 30)),
        next_run_time=datetime.now(UTC),  # first tick at start, not one interval later
    )
