"""Staff told in Telegram of the documents PoCs send (issue 16), each document once.

`announce` marks the newly received documents as told (storage.inbox.store.tell_staff_once:
a conditional update, so two processes never both announce one) and sends every active
staff member and admin one message in their own chat language. A PoC's /submit calls it at
once with the bot it answers through; `outreach run` calls it on the dispatch rhythm with
the staff's Telegram sender (bot.main), for the upload page's documents. A member Telegram
does not deliver to is logged with the outcome only; `/inbox` lists every document waiting.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextvars import copy_context
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from bot.channels.contract import Outcome, OutgoingTelegram, Sender, UncertainDelivery
from bot.chat.common import fitted, reading_in
from storage.inbox import store
from storage.inbox.model import ReceivedDocument
from storage.parties import Party
from storage.staff import members

__all__ = ["announce", "item_of", "notice_of", "tell_staff"]

log = logging.getLogger(__name__)

Send = Callable[[int, str], Awaitable[bool]]  # (Telegram user id, text) -> delivered


def item_of(document: ReceivedDocument, party: Party) -> dict[str, Any]:
    return {"id": document.id, "code": party.code, "purpose": document.purpose,
            "file": document.original_name, "type": document.detected_type,
            "size": document.size, "day": document.received_at.date().isoformat(),
            "letter": document.letter_id}


def notice_of(engine: Engine, now: datetime) -> list[tuple[str, list[int]]]:
    """One text per language staff read and who reads it; [] when nothing is new."""
    with Session(engine, expire_on_commit=False) as session:
        new = store.tell_staff_once(session=session, now=now)
        if not new:
            return []
        items = [item_of(document, party) for document, party in new]
        readers: dict[str, list[int]] = {}
        for member in members(session=session):
            readers.setdefault(member.language, []).append(member.telegram_user_id)
        session.commit()
    log.info("inbox: %d documents newly received, %d staff to tell", len(items),
             sum(len(ids) for ids in readers.values()))
    return [(copy_context().run(_render, language, items), ids)
            for language, ids in sorted(readers.items())]


def _render(language: str, items: list[dict[str, Any]]) -> str:
    reading_in(language)
    return fitted("inbox", "arrived", items)


async def announce(engine: Engine, now: datetime, send: Send) -> int:
    """Tell staff of what is newly received; how many members were told."""
    notice = await asyncio.to_thread(notice_of, engine, now)
    told = 0
    for text, ids in notice:
        for user_id in ids:
            if await send(user_id, text):
                told += 1
            else:
                log.warning("inbox: a staff member's notice was not delivered")
    return told


async def tell_staff(engine: Engine, now: datetime,
                     sender: Sender[OutgoingTelegram] | None) -> int:
    """`announce` through the service's Telegram sender (None: no token, nothing sent and
    nothing marked, so the bot announces them once it has one)."""
    if sender is None:
        return 0

    async def send(user_id: int, text: str) -> bool:
        try:
            result = await sender.send(OutgoingTelegram(delivery_id=0, chat_id=user_id,
                                                        html=text))
        except UncertainDelivery:
            return False
        return result.outcome is Outcome.SENT

    async with sender:
        return await announce(engine, now, send)
