"""A PoC's answer to a letter that expects a response, from Telegram: two buttons under the
letter and its reminders ("our response has been sent", "we will respond within 30 days";
bot.delivery.letter_words), and the handler that takes the presses.

The rules are the reminders' and the assistance follow-ups' (bot.chat.replies,
bot.chat.assistance_answers): recorded through storage.letter_answers only from the chat of
the PoC the message went to and only within OUTREACH_REPLY_LINK_DAYS of its sending; the
callback is answered with a thank-you in the PoC's language and the buttons go. A press from
any other chat, for an unknown delivery or a message that is no letter records nothing and
is answered "this button is not for this chat"; a failure to record keeps the buttons.

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
from bot.delivery.letter_words import expired, not_yours, parse_callback, thanks
from storage.letter_answers import LetterAnswer, LetterOutcome, LetterTaken, answer_letter

__all__ = ["on_letter_button"]

log = logging.getLogger(__name__)


def _record(engine: Engine, delivery_id: int, given: LetterAnswer, chat_id: int,
            now: datetime, valid_for: timedelta) -> LetterTaken | None:
    """The storage call, in a transaction of its own; plain values out, no ORM objects."""
    with Session(engine, expire_on_commit=False) as session:
        taken = answer_letter(session=session, delivery_id=delivery_id, answer=given,
                              channel="telegram", now=now, valid_for=valid_for,
                              telegram_chat_id=chat_id)
        session.commit()
        return taken


async def on_letter_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press of a letter's button (letter_words.CALLBACK_PATTERN)."""
    query = update.callback_query
    if query is None:
        return
    chat = update.effective_chat
    parsed = parse_callback(query.data) if isinstance(query.data, str) else None
    taken: LetterTaken | None = None
    if parsed is not None and chat is not None:
        found = services(context)
        try:
            taken = await asyncio.to_thread(_record, found.engine, *parsed, chat.id,
                                            found.clock(), found.reply_link_valid_for)
        except Exception:
            log.exception("letter answer to delivery %s (%s): not recorded", *parsed)
            await answer(query)
            return
    if parsed is None or taken is None:
        log.info("letter answer to delivery %s (%s): refused (unknown, not a letter, "
                 "or pressed outside the PoC's chat)",
                 *(parsed if parsed is not None else ("?", "unparsed")))
        await answer(query, not_yours())
        return
    delivery_id, given = parsed
    if taken.outcome is LetterOutcome.EXPIRED:
        log.info("letter answer to delivery %s (%s): refused, the letter is too old",
                 delivery_id, given.value)
        await answer(query, expired(taken.language))
    else:
        log.info("letter answer to delivery %s: %s %s", delivery_id, given.value,
                 "recorded" if taken.outcome is LetterOutcome.RECORDED else "unchanged")
        await answer(query, thanks(given, taken.language, taken.promised_by))
    await edit_buttons(query, None)  # the buttons go: the PoC sees the answer was taken
