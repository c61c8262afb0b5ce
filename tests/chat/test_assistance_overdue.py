"""Staff are told in Telegram, once, of assistance requests that waited too long at a step;
and the staff's /assist hands a PoC's /assist to the handler listed after it.

The overdue notice goes through the real Telegram sender to the fake Bot API; both backends.
"""

import asyncio
import logging
import time
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from bot.channels.telegram import TelegramSender
from bot.chat.assistance import on_assist
from bot.chat.assistance_overdue import tell_staff
from bot.main import AppContext, _scheduler, _tick, build_dispatcher
from bot.settings import Settings
from scheduler.assistance import step_days
from scheduler.ticks import ASSISTANCE_JOB_ID
from tests.chat.test_assistance_chat import add_request
from tests.chat.test_one_handler_alone import alone
from tests.support.chat import command
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import NOW
from tests.support.personas import ADMIN, STAFF, STRANGER

POC = 5550020


@pytest.fixture
def late(session: Session) -> int:
    """Kenya's request, open to providers since 1 March 2026: 271 days, 90 allowed."""
    add_request(session, "PER", on=date(2026, 11, 20))  # received a week ago: in time
    return add_request(session, "KEN", "circulated", "open")


def sender(api: FakeBotApi) -> TelegramSender:
    return TelegramSender(FakeBotApi.TOKEN, api.base_url)


async def test_each_staff_member_is_told_once_across_two_ticks(
    api: FakeBotApi, engine: Engine, staff: None, late: int
) -> None:
    first = await tell_staff(engine, NOW, step_days(), sender(api))
    second = await tell_staff(engine, NOW, step_days(), sender(api))
    assert (first, second) == (2, 0)
    for member in (STAFF, ADMIN):
        [notice] = api.messages_to(member)
        assert notice.text.startswith("An assistance request has waited too long at its step")
        assert (f"#{late} Kenya (KEN): <i>Circulated to assistance providers</i> since "
                "2026-03-01, 271 days (allowed: 90)") in notice.text
        assert "Peru" not in notice.text


async def test_a_member_telegram_refuses_does_not_stop_the_others(
    api: FakeBotApi, engine: Engine, staff: None, late: int, caplog: pytest.LogCaptureFixture
) -> None:
    api.block_chat(STAFF)
    with caplog.at_level(logging.INFO):
        told = await tell_staff(engine, NOW, step_days(), sender(api))
    assert told == 1
    assert len(api.messages_to(ADMIN)) == 1 and api.messages_to(STAFF) == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
                and r.name == "bot.chat.assistance_overdue"]
    assert warnings == ["assistance: a staff member's overdue notice was not delivered "
                        "(permanent)"]
    assert str(STAFF) not in caplog.text and "Kenya" not in caplog.text


async def test_without_a_telegram_token_only_the_count_is_logged(
    api: FakeBotApi, engine: Engine, staff: None, late: int, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.chat.assistance_overdue"):
        told = await tell_staff(engine, NOW, step_days(), None)
    assert told == 0 and api.messages == []
    assert "assistance: 1 requests newly overdue, 2 staff to tell" in caplog.text
    assert "no Telegram token, 2 staff not told in Telegram" in caplog.text


def test_the_service_runs_the_assistance_tick_on_the_sweeps_rhythm(
    database_url: str, engine: Engine
) -> None:
    settings = Settings(database_url=database_url, sweep_every_seconds=123)
    context = AppContext(settings=settings, engine=engine, actor="test")
    job = _scheduler(context, build_dispatcher(context)).get_job(ASSISTANCE_JOB_ID)
    assert job is not None and job.trigger.interval.total_seconds() == 123


async def test_a_tick_stopped_by_the_shutdown_leaves_no_traceback(
    database_url: str, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """`outreach run` shuts its scheduler down without waiting: a tick waiting on the database
    in a thread is cancelled, and that is no error (it once printed a traceback)."""
    context = AppContext(settings=Settings(database_url=database_url), engine=engine,
                         actor="test")

    async def waits_in_a_thread() -> None:
        await asyncio.to_thread(time.sleep, 1)

    running = asyncio.create_task(_tick(context, waits_in_a_thread))
    await asyncio.sleep(0.1)
    running.cancel()
    await asyncio.wait_for(running, 10)  # returns: the cancellation was the tick's end
    assert "Traceback" not in caplog.text and not [
        record for record in caplog.records if record.levelno >= logging.WARNING]


async def test_a_pocs_assist_goes_on_to_the_handler_listed_after_the_staffs(
    engine: Engine, staff: None
) -> None:
    reached: list[int] = []

    async def pocs_assist(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_user is not None
        reached.append(update.effective_user.id)

    async with alone(engine, CommandHandler("assist", on_assist)) as (application, request):
        application.add_handler(CommandHandler("assist", pocs_assist))
        for update_id, user_id in enumerate((STAFF, POC, STRANGER), start=1):
            data: dict[str, Any] = command(update_id, user_id, "/assist KEN")
            await application.process_update(Update.de_json(data, application.bot))
    assert reached == [POC, STRANGER]  # the PoC's handler refuses whom it does not know
    [answer] = request.sent(STAFF)
    assert answer == "No assistance request is recorded for <b>Kenya</b> (KEN)."
    assert request.sent(POC) == request.sent(STRANGER) == []
