"""The reply bot: one python-telegram-bot Application with every handler of the chat, in the
order they are tried, and the loop that feeds it updates.

build_application assembles it: the Services the handlers read from bot_data (the engine,
the clock, the guided /log's timeout: bot.chat.common), the database persistence that keeps
drafts and conversation steps across restarts (bot.chat.persistence), the handlers below,
and the error handler. Before any of them, in a group of its own, every update sets the
language the bot speaks to its sender (bot.chat.access.remember_language: a staff member's
own, else English; group LANGUAGE_GROUP). Then a State's PoC's guided /assist
(bot.chat.assist.conversation, group EARLY) takes /assist only from a bound PoC and lets
staff's /assist go on. Then an update goes to the first handler (of the one group of
commands) that takes it; where two could, the comments say why the order is what it is.

on_error takes what a handler raised: the log names the error's kind, the update id and
where in our code it happened (frames, never the error's message nor the update: people's
words and names must not reach the logs), and the person is told, in a template sentence
(templates/telegram/en/errors.html.j2, worded by telegram.po in the language of their
Telegram app when it is a UN language), that something went wrong.

run_bot runs it until asked to stop: long polling getUpdates, or in webhook mode the posts
Telegram makes to `outreach run` (bot.chat.webhook).
"""

import asyncio
import logging
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.chat import (
    assistance,
    events,
    inbox,
    matrices,
    poc,
    staff,
    staff_language,
    stats,
)
from bot.chat.access import remember_language
from bot.chat.answers import on_answer_button
from bot.chat.assist import conversation as poc_assist
from bot.chat.chair import commands as chair
from bot.chat.chair import conversation as chair_steps
from bot.chat.common import SERVICES_KEY, Services, say, send
from bot.chat.log import conversation as guided_log
from bot.chat.log import one_liner
from bot.chat.log.answers import on_stale
from bot.chat.log.steps import Step as LogStep
from bot.chat.persistence import DatabasePersistence
from bot.chat.responses import on_responses
from bot.chat.submit import conversation as poc_submit
from bot.chat.tolerant_bot import TolerantBot
from bot.chat.webhook import ALLOWED_UPDATES, TelegramWebhook
from bot.delivery.answer_kinds import CALLBACK_PATTERN as ANSWER_PATTERN
from bot.render.templates import DEFAULT_LANGUAGE
from scheduler.clock import utc_now
from storage.parties import UN_LANGUAGES
from storage.reminders import REPLY_LINK_DAYS

__all__ = ["build_application", "handlers", "on_error", "run_bot"]

log = logging.getLogger(__name__)

# Handler groups run in order and each takes an update once: the reader's language first
# (every update), then the PoC's /assist (poc_assist.EARLY), then the commands (group 0).
LANGUAGE_GROUP = poc_assist.EARLY - 1

App = Application[Any, Any, Any, Any, Any, Any]


def handlers(log_timeout: timedelta, persistent: bool) -> list[BaseHandler[Any, Any, Any]]:
    """Every handler of the chat, in the order an update tries them."""
    return [
        # A PoC's answer to a reminder, an assistance follow-up or a letter (every kind of
        # bot.delivery.answer_kinds): first, so that nothing added below can take it.
        CallbackQueryHandler(on_answer_button, pattern=ANSWER_PATTERN),
        # /assist: the staff's, before anything else that may take /assist; anyone else's
        # goes on to the next handler that takes it (a PoC's /assist, wherever it is listed
        # below: bot.chat.assistance.pass_on).
        CommandHandler("assist", assistance.on_assist),
        # The conversations, before any command or catch-all: while one waits for an
        # answer, the person's words (and /cancel) are that answer. The guided /log takes
        # /log alone, the one-liner's Edit button and /events' Edit buttons.
        guided_log.log_conversation(log_timeout, persistent),
        # A guided /log's button once the conversation is over: "already answered".
        CallbackQueryHandler(on_stale, pattern=guided_log.STALE_PATTERN),
        # /chair with every subcommand; new and edit go on as a conversation.
        chair.chair_conversation(persistent),
        CallbackQueryHandler(chair.on_button, pattern=chair.BUTTON_PATTERN),
        CallbackQueryHandler(chair_steps.on_stale_button, pattern=chair_steps.STALE_PATTERN),
        # A PoC's /submit: a conversation, before the catch-alls (its file and words).
        poc_submit.submit_conversation(log_timeout, persistent),
        CallbackQueryHandler(poc_submit.on_stale, pattern=poc_submit.STALE_PATTERN),
        # A PoC's commands. /start with a token is an invitation; /start alone is /help.
        CommandHandler("start", poc.on_invitation, has_args=True),
        CommandHandler(["start", "help"], staff.on_help),
        CommandHandler("mystatus", poc.on_mystatus),
        CommandHandler("language", staff_language.on_language),  # a PoC's, or staff's
        CommandHandler("stop", poc.on_stop),
        # The staff's commands. /log with a line (the conversation took /log alone).
        CommandHandler("log", one_liner.on_log),
        CallbackQueryHandler(one_liner.on_button, pattern=one_liner.BUTTON_PATTERN),
        CommandHandler("events", events.on_events),
        CallbackQueryHandler(events.on_page, pattern=events.PAGE_PATTERN),
        CallbackQueryHandler(events.on_deletion, pattern=events.DELETION_PATTERN),
        CommandHandler("requests", assistance.on_requests),
        CallbackQueryHandler(assistance.on_page, pattern=assistance.PAGE_PATTERN),
        CallbackQueryHandler(assistance.on_action, pattern=assistance.ACTION_PATTERN),
        CallbackQueryHandler(assistance.on_stale, pattern=assistance.STALE_PATTERN),
        CommandHandler("inbox", inbox.on_inbox),
        CommandHandler("state", staff.on_state),
        CommandHandler("org", staff.on_org),
        CommandHandler("nonreporting", staff.on_nonreporting),
        CommandHandler("invite", staff.on_invite),
        CommandHandler("matrix", matrices.on_matrix),
        CommandHandler("stats", stats.on_stats),
        CommandHandler("responses", on_responses),
        CommandHandler("report", stats.on_report),
        CommandHandler("grant", staff.on_grant),
        CommandHandler("revoke", staff.on_revoke),
        # Last, what nothing above took: any other command gets the sender's /help, and
        # words in a private chat that no question waits for are told so.
        MessageHandler(filters.COMMAND, staff.on_other_command),
        MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
                       & ~filters.COMMAND, staff.on_stray_text),
    ]


def build_application(
    token: str,
    base_url: str,
    engine: Engine,
    clock: Callable[[], datetime] = utc_now,
    log_timeout: timedelta = guided_log.CONVERSATION_TIMEOUT,
    reply_link_days: int = REPLY_LINK_DAYS,
    inbox_place: inbox.InboxPlace | None = None,
) -> App:
    """The reply bot: python-telegram-bot's Application with every handler of the chat.

    `base_url` is the Bot API URL up to and including /bot (Settings.telegram_api_url).
    The staff's unsaved drafts and conversation steps are kept in the database
    (bot.chat.persistence): a restart, or a fail-over to another host, finds them. The
    JobQueue (in memory) only ends guided /log conversations left without an answer for
    `log_timeout` (after a restart, the draft's next answer does); the reminders' and the
    dispatcher's ticks are the service's own scheduler's. `inbox_place`: where the documents
    PoCs send are kept and their size cap (OUTREACH_DATA_DIR, OUTREACH_UPLOAD_MAX_BYTES).
    """
    services = Services(engine=engine, clock=clock, log_timeout=log_timeout,
                        reply_link_valid_for=timedelta(days=reply_link_days))
    persistence = DatabasePersistence(
        engine, clock,
        # PTB replaces bot_data with what this returns
        resident={SERVICES_KEY: services,
                  inbox.INBOX_KEY: inbox_place or inbox.InboxPlace(Path("outreach-data"))},
        bot_codecs={guided_log.GUIDED_KEY: guided_log.guided_codec(log_timeout),
                    one_liner.DRAFTS_KEY: one_liner.DRAFTS_CODEC,
                    events.SEARCHES_KEY: events.SEARCHES_CODEC,
                    poc_assist.DRAFTS_KEY: poc_assist.draft_codec(log_timeout),
                    poc_submit.DRAFTS_KEY: poc_submit.draft_codec(log_timeout)},
        user_codecs={chair_steps.CONVERSATION_KEY: chair_steps.DRAFT_CODEC},
        states={guided_log.NAME: LogStep, chair_steps.NAME: chair_steps.Step,
                poc_assist.NAME: poc_assist.Step, poc_submit.NAME: poc_submit.Step},
    )
    application = (ApplicationBuilder().bot(TolerantBot(token, base_url))
                   .persistence(persistence).post_init(staff.set_staff_commands).build())
    # First for every update, in a group of its own: the sender's chat language.
    application.add_handler(TypeHandler(Update, remember_language), group=LANGUAGE_GROUP)
    application.add_handlers({poc_assist.EARLY: poc_assist.early_handlers(log_timeout, True),
                              0: handlers(log_timeout, persistent=True)})
    application.add_error_handler(on_error)
    return application


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What a handler (or the persistence) raised: logged without a word of the person's,
    and the person told something went wrong."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    kind = type(error).__name__
    # The frames say where (our code, never values); the error's message may quote what
    # was typed, or a PoC's name from the database.
    frames = "" if error is None else "".join(traceback.format_tb(error.__traceback__))
    log.error("telegram update %s: %s raised\n%s", update_id, kind, frames.rstrip())
    if not isinstance(update, Update) or update.effective_chat is None:
        return  # e.g. a write of the persistence: nobody to tell
    user = update.effective_user
    # Telegram's language_code is the app's IETF tag ("fr", "pt-br"): no database read
    # here, where the database may be what failed.
    code = (user.language_code or "").split("-")[0].lower() if user is not None else ""
    language = code if code in UN_LANGUAGES else DEFAULT_LANGUAGE
    await send(context.bot, update.effective_chat.id, say("errors", "went_wrong", language))


async def run_bot(application: App, stop: asyncio.Event,
                  webhook: TelegramWebhook | None = None) -> None:
    """Take button presses and commands until `stop` is set, then shut down cleanly: by
    long polling, or, given a `webhook`, from the posts the service's HTTP server receives
    (bot.web.server, with the route of bot.chat.webhook).

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
