"""A PoC's answer to a reminder from Telegram: three buttons under the message, and the
handler that takes the presses.

Each reminder sent by Telegram carries one button a row (OutgoingTelegram.buttons), labelled
in the PoC's language from templates/telegram/<language>/replies.j2:

    Received | Report in preparation: remind me in 30 days | I am not the right contact

with callback data "r:<delivery id>:<answer>" (bot.delivery.reply_words). On a press the
answer is recorded through storage.reminders.reply_to_delivery, which takes it only from
the PoC's own chat; the callback is answered with a thank-you in the PoC's language, and the
buttons go, so the PoC sees the answer was taken. A press from any other chat, or for an
unknown delivery or a message that is not a reminder, records nothing and is answered "this
button is not for this chat". A failure to record keeps the buttons, for the PoC to retry.

Logs name the delivery id and the answer only: never a chat id, a name or the token.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Update
from telegram.ext import ContextTypes

from bot.chat.common import answer, edit_buttons, services
from bot.delivery.reply_words import (
    WRONG_CONTACT_ALERT,
    acknowledgement,
    not_yours,
    parse_callback,
)
from storage.reminders import ReplyAnswer, reply_to_delivery

__all__ = ["CHANNEL", "on_reply_button"]

log = logging.getLogger(__name__)

CHANNEL = "telegram"


@dataclass(frozen=True)
class _Recorded:
    language: str
    snooze_until: date | None


def _record(
    engine: Engine, delivery_id: int, reply: ReplyAnswer, chat_id: int, now: datetime
) -> _Recorded | None:
    """The storage call, in a transaction of its own; plain values out, no ORM objects."""
    with Session(engine, expire_on_commit=False) as session:
        taken = reply_to_delivery(
            session=session,
            delivery_id=delivery_id,
            answer=reply,
            channel=CHANNEL,
            now=now,
            telegram_chat_id=chat_id,
        )
        if taken is None:
            session.rollback()
            return None
        recorded_reply, poc = taken
        recorded = _Recorded(
            language=poc.language,
            snooze_until=(recorded_reply.snooze_until.date()
                          if recorded_reply.snooze_until else None),
        )
        session.commit()
        return recorded


async def on_reply_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press of a reminder's button (bot.delivery.reply_words.CALLBACK_PATTERN)."""
    query = update.callback_query
    if query is None:
        return
    chat = update.effective_chat
    parsed = parse_callback(query.data) if isinstance(query.data, str) else None
    recorded: _Recorded | None = None
    if parsed is not None and chat is not None:
        delivery_id, reply = parsed
        found = services(context)
        try:
            recorded = await asyncio.to_thread(
                _record, found.engine, delivery_id, reply, chat.id, found.clock()
            )
        except Exception:
            # Nothing recorded: stop the spinner, keep the buttons so the PoC can retry.
            log.exception("telegram reply to delivery %s (%s): not recorded", *parsed)
            await answer(query)
            return
    if parsed is None or recorded is None:
        log.info(
            "telegram reply to delivery %s (%s): refused (unknown, not a reminder, "
            "or pressed outside the PoC's chat)",
            *(parsed if parsed is not None else ("?", "unparsed")),
        )
        await answer(query, not_yours())
        return
    delivery_id, reply = parsed
    log.info("telegram reply to delivery %s: %s recorded", delivery_id, reply.value)
    if reply is ReplyAnswer.WRONG_CONTACT:
        log.warning(WRONG_CONTACT_ALERT, delivery_id)
    await answer(query, acknowledgement(reply, recorded.language, recorded.snooze_until))
    await edit_buttons(query, None)  # the buttons go: the PoC sees the answer was taken
