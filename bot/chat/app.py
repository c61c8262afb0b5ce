"""A PoC's answer to a reminder from Telegram: three buttons under the message, and the bot
that takes the presses.

Each reminder sent by Telegram carries one button a row (OutgoingTelegram.buttons), labelled
in the PoC's language from templates/telegram/<language>/replies.j2:

    Received | Report in preparation: remind me in 30 days | I am not the right contact

with callback data "r:<delivery id>:<answer>". The reply bot (build_application, run by
run_bot) long-polls getUpdates, or in webhook mode takes the updates Telegram posts to
`outreach run` (bot.chat.webhook); on a press it records the answer through
storage.reminders.reply_to_delivery, which takes it only from the PoC's own chat, answers the
callback with a thank-you in the PoC's language, and removes the buttons so the PoC sees the
answer was taken. A press from any other chat, or for an unknown delivery or a message that
is not a reminder, records nothing and is answered "this button is not for this chat".

Logs name the delivery id and the answer only: never a chat id, a name or the token.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes

from bot.chat.chair import conversation as chair
from bot.chat.events import SEARCHES_CODEC, SEARCHES_KEY
from bot.chat.log.conversation import CONVERSATION_TIMEOUT, GUIDED_KEY, guided_codec
from bot.chat.log.conversation import NAME as LOG_NAME
from bot.chat.log.one_liner import DRAFTS_CODEC, DRAFTS_KEY
from bot.chat.log.steps import Step as LogStep
from bot.chat.persistence import DatabasePersistence
from bot.chat.staff import add_staff_handlers
from bot.chat.tolerant_bot import TolerantBot
from bot.chat.webhook import ALLOWED_UPDATES, TelegramWebhook
from bot.delivery.reply_words import (
    CALLBACK_PATTERN,
    WRONG_CONTACT_ALERT,
    acknowledgement,
    not_yours,
    parse_callback,
)
from storage.reminders import ReplyAnswer, reply_to_delivery

__all__ = ["build_application", "run_bot"]

log = logging.getLogger(__name__)

CHANNEL = "telegram"


# -- the bot ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Recorded:
    language: str
    snooze_until: date | None


def _record(
    engine: Engine, delivery_id: int, answer: ReplyAnswer, chat_id: int, now: datetime
) -> _Recorded | None:
    """The storage call, in a transaction of its own; plain values out, no ORM objects."""
    with Session(engine, expire_on_commit=False) as session:
        taken = reply_to_delivery(
            session=session,
            delivery_id=delivery_id,
            answer=answer,
            channel=CHANNEL,
            now=now,
            telegram_chat_id=chat_id,
        )
        if taken is None:
            session.rollback()
            return None
        reply, poc = taken
        recorded = _Recorded(
            language=poc.language,
            snooze_until=reply.snooze_until.date() if reply.snooze_until else None,
        )
        session.commit()
        return recorded


def _utc_now() -> datetime:
    return datetime.now(UTC)


def build_application(
    token: str,
    base_url: str,
    engine: Engine,
    clock: Callable[[], datetime] = _utc_now,
    log_timeout: timedelta = CONVERSATION_TIMEOUT,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The reply bot: python-telegram-bot's Application with the button handler and the
    staff's commands (bot.chat.staff).

    `base_url` is the Bot API URL up to and including /bot (Settings.telegram_api_url).
    The staff's unsaved drafts and conversation steps are kept in the database
    (bot.chat.persistence): a restart, or a fail-over to another host, finds them. The
    JobQueue (in memory) only ends guided /log conversations left without an answer for
    `log_timeout` (after a restart, the draft's next answer does); the reminders' and the
    dispatcher's ticks are the service's own scheduler's.
    """

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        chat = update.effective_chat
        parsed = parse_callback(query.data) if isinstance(query.data, str) else None
        recorded: _Recorded | None = None
        if parsed is not None and chat is not None:
            delivery_id, answer = parsed
            try:
                recorded = await asyncio.to_thread(
                    _record, engine, delivery_id, answer, chat.id, clock()
                )
            except Exception:
                # Nothing recorded: stop the spinner, keep the buttons so the PoC can retry.
                log.exception("telegram reply to delivery %s (%s): not recorded", *parsed)
                await _answer(query.answer(), parsed)
                return
        if parsed is None or recorded is None:
            log.info(
                "telegram reply to delivery %s (%s): refused (unknown, not a reminder, "
                "or pressed outside the PoC's chat)",
                *(parsed if parsed is not None else ("?", "unparsed")),
            )
            await _answer(query.answer(text=not_yours()), parsed)
            return
        delivery_id, answer = parsed
        log.info("telegram reply to delivery %s: %s recorded", delivery_id, answer.value)
        if answer is ReplyAnswer.WRONG_CONTACT:
            log.warning(WRONG_CONTACT_ALERT, delivery_id)
        text = acknowledgement(answer, recorded.language, recorded.snooze_until)
        await _answer(query.answer(text=text), parsed)
        if query.message is not None:
            try:  # the buttons go: the PoC sees the answer was taken
                await context.bot.edit_message_reply_markup(
                    chat_id=query.message.chat.id,
                    message_id=query.message.message_id,
                    reply_markup=None,
                )
            except TelegramError as error:  # "message is not modified", too old to edit...
                if "not modified" not in error.message.lower():
                    log.warning(
                        "telegram reply to delivery %s: buttons not removed (%s)",
                        delivery_id,
                        type(error).__name__,
                    )

    persistence = DatabasePersistence(
        engine, clock,
        bot_codecs={GUIDED_KEY: guided_codec(log_timeout), DRAFTS_KEY: DRAFTS_CODEC,
                    SEARCHES_KEY: SEARCHES_CODEC},
        user_codecs={chair.CONVERSATION_KEY: chair.DRAFT_CODEC},
        states={LOG_NAME: LogStep, chair.NAME: chair.Step},
    )
    application = (ApplicationBuilder().bot(TolerantBot(token, base_url))
                   .persistence(persistence).build())
    application.add_handler(CallbackQueryHandler(on_button, pattern=CALLBACK_PATTERN))
    add_staff_handlers(application, engine, clock, log_timeout)
    return application


async def _answer(call: Awaitable[object], parsed: tuple[int, ReplyAnswer] | None) -> None:
    """Await answerCallbackQuery; a failure (query too old, network) is logged, not raised."""
    try:
        await call
    except TelegramError as error:
        log.warning(
            "telegram reply to delivery %s: callback not answered (%s)",
            parsed[0] if parsed is not None else "?",
            type(error).__name__,
        )


async def run_bot(
    application: Application[Any, Any, Any, Any, Any, Any],
    stop: asyncio.Event,
    webhook: TelegramWebhook | None = None,
) -> None:
    """Take button presses and staff commands until `stop` is set, then shut down cleanly:
    by long polling, or, given a `webhook`, from the posts bot.service receives.

    Bot API calls at start: getMe; setMyCommands (the application's post_init, the staff's
    command menus: a refusal is a warning); then deleteWebhook (a refusal is a warning) and
    getUpdates, or setWebhook.
    """
    async with application:
        await application.start()
        try:
            if application.post_init is not None:
                await application.post_init(application)
            if webhook is not None:
                await webhook.register(application)
            else:
                updater = application.updater
                if updater is None:
                    raise RuntimeError("the reply application was built without an updater")
                await updater.start_polling(
                    allowed_updates=list(ALLOWED_UPDATES), drop_pending_updates=False
                )
            await stop.wait()
        finally:
            if webhook is not None:
                webhook.unregister()
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            await application.stop()
