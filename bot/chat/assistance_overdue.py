"""Staff told in Telegram of assistance requests that waited too long at a step (issue 14).

`outreach run` calls tell_staff on the reminder sweep's rhythm (bot.main): the assistance
sweep (scheduler.assistance_sweep.chase) records each newly overdue step as told, once, and
queues the follow-ups and digests staff turned on; every active staff member and admin
(storage.staff) then gets one message, in their chat language, listing the newly overdue
requests: the State, the step, the days waited and allowed. Nothing new: nothing sent.

The notice goes through a Telegram sender of its own (bot.main gives it the dispatcher's
pacer, so the bot's limits hold across both); without a Telegram token only the count is
logged. A member Telegram does not deliver to is logged with the outcome only (no user id,
no text) and the others still get theirs; the steps stay recorded as told (`outreach
assistance overdue` lists every overdue request at any time).
"""

import asyncio
import logging
from collections.abc import Mapping
from contextvars import copy_context
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.channels.contract import (
    Outcome,
    OutgoingTelegram,
    Sender,
    SendResult,
    UncertainDelivery,
)
from bot.chat.common import fitted, reading_in
from scheduler.assistance_sweep import chase
from scheduler.working_hours import WorkingHours
from storage.parties import Party
from storage.staff import members

__all__ = ["Notice", "notice_of", "tell_staff"]

log = logging.getLogger(__name__)

Notice = list[tuple[str, list[int]]]  # each text, and the members (Telegram ids) reading it


def notice_of(engine: Engine, now: datetime, durations: Mapping[str, int],
              hours: WorkingHours | None = None) -> Notice | None:
    """Run the assistance sweep; the notice of the newly overdue requests and who gets it,
    or None when nothing is newly overdue: one text per language the members read."""
    with Session(engine, expire_on_commit=False) as session:
        report = chase(session=session, now=now, durations=durations, hours=hours)
        if report.follow_ups or report.digests or report.without_contact:
            log.info("assistance: %d follow-ups and %d digests queued, %d parties without "
                     "a contact", len(report.follow_ups), len(report.digests),
                     len(report.without_contact))
        if not report.told:
            return None
        ids = {o.party_id for o in report.told}
        parties = {party.id: party for party in session.exec(
            select(Party).where(col(Party.id).in_(ids)))}
        items: list[dict[str, Any]] = [
            {"id": o.request_id, "state": parties[o.party_id].name,
             "code": parties[o.party_id].code, "status": o.status, "since": o.since,
             "days_waited": o.days_waited, "allowed_days": o.allowed_days}
            for o in report.told]
        readers: dict[str, list[int]] = {}
        for member in members(session=session):
            readers.setdefault(member.language, []).append(member.telegram_user_id)
    log.info("assistance: %d requests newly overdue, %d staff to tell", len(items),
             sum(len(readers_of) for readers_of in readers.values()))
    return [(copy_context().run(_render, language, items), user_ids)
            for language, user_ids in sorted(readers.items())]


def _render(language: str, items: list[dict[str, Any]]) -> str:
    """The notice in `language` (run in a context of its own: the reader's is set here)."""
    reading_in(language)
    return fitted("assistance", "overdue", items)


async def _send(sender: Sender[OutgoingTelegram], user_id: int, text: str) -> SendResult | None:
    """One notice; None when Telegram may or may not have it (a timeout after sending)."""
    try:
        return await sender.send(OutgoingTelegram(delivery_id=0, chat_id=user_id, html=text))
    except UncertainDelivery:
        return None


async def tell_staff(engine: Engine, now: datetime, durations: Mapping[str, int],
                     sender: Sender[OutgoingTelegram] | None,
                     hours: WorkingHours | None = None) -> int:
    """One assistance sweep, and each active staff member told of what became overdue;
    how many were told. `sender` None (no Telegram token): the count is logged only.
    `hours`: the working hours the sweep's follow-ups and digests wait for (the settings')."""
    notice = await asyncio.to_thread(notice_of, engine, now, durations, hours)
    if notice is None:
        return 0
    staff = [(text, user_id) for text, ids in notice for user_id in ids]
    if sender is None:
        log.info("assistance: no Telegram token, %d staff not told in Telegram", len(staff))
        return 0
    told = 0
    async with sender:
        for text, user_id in staff:
            result = await _send(sender, user_id, text)
            if result is not None and result.outcome is Outcome.SENT:
                told += 1
            else:
                log.warning("assistance: a staff member's overdue notice was not delivered "
                            "(%s)", "uncertain" if result is None else result.outcome)
    return told
