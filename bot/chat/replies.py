"""A PoC's answer to a reminder from Telegram: three buttons under the message, and the
handler that takes the presses.

Each reminder sent by Telegram carries one button a row (OutgoingTelegram.buttons), labelled
in the PoC's language from templates/telegram/en/replies.j2 (words in telegram.po):

    Received | Report in preparation: remind me in 30 days | I am not the right contact

with callback data "r:<delivery id>:<answer>" (bot.delivery.reply_words). On a press the
answer is recorded through storage.reminders.reply_to_delivery, which takes it only from
the PoC's own chat; the callback is answered with a thank-you in the PoC's language, and the
buttons go, so the PoC sees the answer was taken. A press from any other chat, or for an
unknown delivery or a message that is not a reminder, records nothing and is answered "this
button is not for this chat". A failure to record keeps the buttons, for the PoC to retry.
The same answer again changes nothing (storage keeps it once); a press on a reminder sent
more than OUTREACH_REPLY_LINK_DAYS ago records nothing, says so, and the buttons go.

Logs name the delivery id and the answer only: never a chat id, a name or the token.
"""

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Update
from telegram.ext import ContextTypes

from bot.chat.common import answer, edit_buttons, services
from bot.delivery.reply_words import (
    WRONG_CONTACT_ALERT,
    acknowledgement,
    expired,
    not_yours,
    parse_callback,
)
from storage.reminders import ReplyAnswer, ReplyOutcome, ReplyTaken, reply_to_delivery

__all__ = ["CHANNEL", "on_reply_button"]

log = logging.getLogger(__name__)

CHANNEL = "telegram"


def _record(
    engine: Engine, delivery_id: int, reply: ReplyAnswer, chat_id: int, now: datetime,
    valid_for: timedelta,
) -> ReplyTaken | None:
    """The storage call, in a transaction of its own; plain values out, no ORM objects."""
    with Session(engine, expire_on_commit=False) as session:
        taken = reply_to_delivery(
            session=session,
            delivery_id=delivery_id,
            answer=reply,
            channel=CHANNEL,
            now=now,
            valid_for=valid_for,
            telegram_chat_id=chat_id,
        )
        session.commit()
        return taken


async def on_reply_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press of a reminder's button (bot.delivery.reply_words.CALLBACK_PATTERN)."""
    query = update.callback_query
    if query is None:
        return
    chat = update.effective_chat
    parsed = parse_callback(query.data) if isinstance(query.data, str) else None
    recorded: ReplyTaken | None = None
    if parsed is not None and chat is not None:
        delivery_id, reply = parsed
        found = services(context)
        try:
            recorded = await asyncio.to_thread(
                _record, found.engine, delivery_id, reply, chat.id, found.clock(),
                found.reply_link_valid_for,
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
    if recorded.outcome is ReplyOutcome.EXPIRED:
        log.info("telegram reply to delivery %s (%s): refused, the reminder is too old",
                 delivery_id, reply.value)
        await answer(query, expired(recorded.language))
        await edit_buttons(query, None)  # they would only say the same again
        return
    first = recorded.outcome is ReplyOutcome.RECORDED
    log.info("telegram reply to delivery %s: %s %s", delivery_id, reply.value,
             "recorded" if first else "already recorded")
    if first and reply is ReplyAnswer.WRONG_CONTACT:
        log.warning(WRONG_CONTACT_ALERT, delivery_id)
    until = recorded.snooze_until.date() if recorded.snooze_until else None
    await answer(query, acknowledgement(reply, recorded.language, until))
    await edit_buttons(query, None)  # the buttons go: the PoC sees the answer was taken
