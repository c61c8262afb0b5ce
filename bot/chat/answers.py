"""A PoC's press of an answer button under a message (a reminder, an assistance follow-up, a
letter: the kinds of bot.delivery.answer_kinds), and the one handler that takes them all.

The answer is recorded through the kind's storage function, which takes it only from the
chat of the PoC the message went to and only within OUTREACH_REPLY_LINK_DAYS of its sending
(storage.delivery_answers). The callback is answered with a thank-you in the PoC's language
and the buttons go, so the PoC sees the answer was taken; a press on a message too old says
so and the buttons go too. A press from any other chat, for an unknown delivery or a message
of another kind records nothing and is answered "this button is not for this chat"; a
failure to record keeps the buttons, for the PoC to retry. The same answer again changes
nothing (each kind's storage keeps it once).

Logs name the kind, the delivery id and the answer only: never a chat id, a name or the token.
"""

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Update
from telegram.ext import ContextTypes

from bot.chat.common import answer, edit_buttons, services
from bot.delivery.answer_kinds import AnswerKind, expired, not_yours, parse_callback, thanks
from storage.delivery_answers import AnswerOutcome, AnswerTaken

__all__ = ["CHANNEL", "on_answer_button"]

log = logging.getLogger(__name__)

CHANNEL = "telegram"


def _record(engine: Engine, kind: AnswerKind, delivery_id: int, given: str, chat_id: int,
            now: datetime, valid_for: timedelta) -> AnswerTaken | None:
    """The storage call, in a transaction of its own; plain values out, no ORM objects."""
    with Session(engine, expire_on_commit=False) as session:
        taken = kind.record(session=session, delivery_id=delivery_id,
                            answer=kind.answers(given), channel=CHANNEL, now=now,
                            valid_for=valid_for, telegram_chat_id=chat_id)
        session.commit()
        return taken


async def on_answer_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press of an answer button (answer_kinds.CALLBACK_PATTERN)."""
    query = update.callback_query
    if query is None:
        return
    chat = update.effective_chat
    parsed = parse_callback(query.data) if isinstance(query.data, str) else None
    if parsed is None or chat is None:
        log.info("answer button: refused (callback data not one of ours)")
        await answer(query, not_yours())
        return
    kind, delivery_id, given = parsed
    found = services(context)
    try:
        taken = await asyncio.to_thread(_record, found.engine, kind, delivery_id, given,
                                        chat.id, found.clock(), found.reply_link_valid_for)
    except Exception:
        log.exception("%s to delivery %s (%s): not recorded", kind.name, delivery_id, given)
        await answer(query)  # stop the spinner, keep the buttons so the PoC can retry
        return
    if taken is None:
        log.info("%s to delivery %s (%s): refused (unknown, another kind of message, or "
                 "pressed outside the PoC's chat)", kind.name, delivery_id, given)
        await answer(query, not_yours(kind))
        return
    if taken.outcome is AnswerOutcome.EXPIRED:
        log.info("%s to delivery %s (%s): refused, the message is too old",
                 kind.name, delivery_id, given)
        await answer(query, expired(kind, taken.language))
    else:
        first = taken.outcome is AnswerOutcome.RECORDED
        log.info("%s to delivery %s: %s %s", kind.name, delivery_id, given,
                 "recorded" if first else "already recorded")
        if first and given in kind.alerts:
            log.warning(kind.alerts[given], delivery_id)
        until = taken.until.isoformat() if taken.until is not None else None
        await answer(query, thanks(kind, given, taken.language, until))
    await edit_buttons(query, None)  # the buttons go: the PoC sees the answer was taken
