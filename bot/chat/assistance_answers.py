"""A requesting State's answer to an assistance follow-up from Telegram: three buttons under
the message (met, partly met, still needed; bot.delivery.assistance_answer_words), and the
handler that takes the presses.

The rules are the reminders' (bot.chat.replies): the answer is recorded through
storage.assistance.follow_up_answers, which takes it only from the chat of the PoC the
follow-up went to and only within OUTREACH_REPLY_LINK_DAYS of its sending; the callback is
answered with a thank-you in the PoC's language and the buttons go. A press from any other
chat, for an unknown delivery or a message that is no follow-up records nothing and is
answered "this button is not for this chat"; a failure to record keeps the buttons.

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
from bot.delivery.assistance_answer_words import expired, not_yours, parse_callback, thanks
from storage.assistance.follow_up_answers import AnswerOutcome, AnswerTaken, answer_follow_up
from storage.assistance.model import FeedbackAnswer

__all__ = ["on_answer_button"]

log = logging.getLogger(__name__)

CHANNEL = "telegram"


def _record(engine: Engine, delivery_id: int, given: FeedbackAnswer, chat_id: int,
            now: datetime, valid_for: timedelta) -> AnswerTaken | None:
    """The storage call, in a transaction of its own; plain values out, no ORM objects."""
    with Session(engine, expire_on_commit=False) as session:
        taken = answer_follow_up(session=session, delivery_id=delivery_id, answer=given,
                                 channel=CHANNEL, now=now, valid_for=valid_for,
                                 telegram_chat_id=chat_id)
        session.commit()
        return taken


async def on_answer_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press of a follow-up's button (assistance_answer_words.CALLBACK_PATTERN)."""
    query = update.callback_query
    if query is None:
        return
    chat = update.effective_chat
    parsed = parse_callback(query.data) if isinstance(query.data, str) else None
    taken: AnswerTaken | None = None
    if parsed is not None and chat is not None:
        found = services(context)
        try:
            taken = await asyncio.to_thread(_record, found.engine, *parsed, chat.id,
                                            found.clock(), found.reply_link_valid_for)
        except Exception:
            # Nothing recorded: stop the spinner, keep the buttons so the PoC can retry.
            log.exception("assistance answer to delivery %s (%s): not recorded", *parsed)
            await answer(query)
            return
    if parsed is None or taken is None:
        log.info("assistance answer to delivery %s (%s): refused (unknown, not a follow-up, "
                 "or pressed outside the PoC's chat)",
                 *(parsed if parsed is not None else ("?", "unparsed")))
        await answer(query, not_yours())
        return
    delivery_id, given = parsed
    if taken.outcome is AnswerOutcome.EXPIRED:
        log.info("assistance answer to delivery %s (%s): refused, the follow-up is too old",
                 delivery_id, given.value)
        await answer(query, expired(taken.language))
    else:
        log.info("assistance answer to delivery %s: %s %s", delivery_id, given.value,
                 "recorded" if taken.outcome is AnswerOutcome.RECORDED else "already recorded")
        await answer(query, thanks(taken.language))
    await edit_buttons(query, None)  # the buttons go: the PoC sees the answer was taken
