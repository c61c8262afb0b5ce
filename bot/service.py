"""`outreach run`: the long-lived process: migrations; in the leading process, the ticks
(dispatch, reminder sweep, Chair's message release) and the Telegram bot (reply buttons,
staff commands); in every process, HTTP (/healthz for monitors, /unsubscribe and /reply for
PoCs, and in webhook mode the path of OUTREACH_WEBHOOK_URL for Telegram: see
bot.telegram_webhook).
"""

import asyncio
import contextlib
import logging
import re
import signal
from datetime import UTC, datetime
from functools import partial

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text
from sqlmodel import Session
from tornado.log import access_log
from tornado.web import Application, RequestHandler

from bot.context import CliContext
from bot.links import reply_signature_valid, unsubscribe_signature_valid
from bot.log_format import PrivateFormatter
from bot.render import message, render
from bot.reply_words import WRONG_CONTACT_ALERT
from bot.startup import prepare_registry
from bot.telegram_replies import build_reply_application, run_reply_bot
from bot.telegram_webhook import TelegramWebhook, TelegramWebhookHandler
from bot.wiring import build_dispatcher
from scheduler.chair_tick import release_and_settle
from scheduler.leader import Leadership, lock_for
from scheduler.sweep import sweep
from scheduler.ticks import (
    CHAIR_JOB_ID,
    DISPATCH_JOB_ID,
    SWEEP_JOB_ID,
    add_tick,
    build_scheduler,
)
from storage import pocs
from storage.db import session_scope
from storage.outbox import Delivery
from storage.reminders import ReplyAnswer, reply_to_delivery

log = logging.getLogger(__name__)


class HealthHandler(RequestHandler):
    def initialize(self, context: CliContext) -> None:
        self.context = context

    def _database_answers(self) -> bool:
        try:
            with self.context.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # any failure means "not healthy"; the type says why
            log.warning("health check: database unreachable (%s)", type(error).__name__)
            return False
        return True

    async def get(self) -> None:
        # in a worker thread: a database that does not answer must not stall the loop
        loop = asyncio.get_running_loop()
        if await loop.run_in_executor(None, self._database_answers):
            self.finish({"status": "ok"})
            return
        self.set_status(503)
        self.finish({"status": "database unreachable"})


class UnsubscribeHandler(RequestHandler):
    """One-click unsubscribe (RFC 8058): GET shows a confirmation, POST acts."""

    def initialize(self, context: CliContext) -> None:
        self.context = context

    def _valid(self, poc_id: str, signature: str) -> bool:
        secret = self.context.settings.secret_key
        return secret is not None and unsubscribe_signature_valid(
            secret.get_secret_value(), int(poc_id), signature)

    def _page(self, state: str, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(render("web/unsubscribe.html.j2", state=state))

    def get(self, poc_id: str, signature: str) -> None:
        if not self._valid(poc_id, signature):
            self._page("invalid", 404)
            return
        self._page("confirm")

    def post(self, poc_id: str, signature: str) -> None:
        if not self._valid(poc_id, signature):
            self._page("invalid", 404)
            return
        with session_scope(self.context.engine) as session:
            opted_out = pocs.opt_out_of_email(session=session, poc_id=int(poc_id),
                                              actor=f"poc:{poc_id}", now=datetime.now(UTC))
        log.info("poc %s: e-mail unsubscribe (%s)", poc_id,
                 "recorded" if opted_out else "already recorded")
        self._page("done")


class ReplyHandler(RequestHandler):
    """A PoC's answer to a reminder by e-mail link: GET asks to confirm, POST records."""

    def initialize(self, context: CliContext) -> None:
        self.context = context

    def _language(self, delivery_id: int) -> str | None:
        with session_scope(self.context.engine) as session:
            delivery = session.get(Delivery, delivery_id)
            poc = session.get(pocs.PointOfContact, delivery.poc_id) if delivery else None
            return poc.language if poc else None

    def _valid(self, delivery_id: str, answer: str, signature: str) -> bool:
        secret = self.context.settings.secret_key
        return secret is not None and reply_signature_valid(
            secret.get_secret_value(), int(delivery_id), answer, signature)

    def _page(self, name: str, language: str, status: int = 200, **values: object) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(render(name, language, **values))

    def get(self, delivery_id: str, answer: str, signature: str) -> None:
        language = self._language(int(delivery_id))
        if language is None or not self._valid(delivery_id, answer, signature):
            self._page("web/reply.html.j2", "en", 404, state="invalid", snooze_until="")
            return
        self._page("web/reply_confirm.html.j2", language, answer=answer)

    def post(self, delivery_id: str, answer: str, signature: str) -> None:
        if not self._valid(delivery_id, answer, signature):
            self._page("web/reply.html.j2", "en", 404, state="invalid", snooze_until="")
            return
        with session_scope(self.context.engine) as session:
            recorded = reply_to_delivery(session=session, delivery_id=int(delivery_id),
                                         answer=ReplyAnswer(answer), channel="email",
                                         now=datetime.now(UTC))
            language = recorded[1].language if recorded else "en"
            until = recorded[0].snooze_until if recorded else None
        if recorded is None:
            self._page("web/reply.html.j2", "en", 404, state="invalid", snooze_until="")
            return
        log.info("delivery %s: reply %s recorded", delivery_id, answer)
        if answer == ReplyAnswer.WRONG_CONTACT:
            log.warning(WRONG_CONTACT_ALERT, delivery_id)
        self._page("web/reply.html.j2", language, state=answer,
                   snooze_until=until.date().isoformat() if until else "")


async def _sweep_reminders(context: CliContext) -> None:
    with Session(context.engine, expire_on_commit=False) as session:
        report = sweep(session=session, now=datetime.now(UTC),
                       hours=context.settings.working_hours)
    if report.queued or report.without_poc:
        log.info("reminders: %d queued, %d due without a PoC to write to",
                 len(report.queued), len(report.without_poc))


async def _release_chair_messages(context: CliContext) -> None:
    with Session(context.engine, expire_on_commit=False) as session:
        report = release_and_settle(session=session, now=datetime.now(UTC))
    for released in report.released:
        log.info("chair message %d released: %d deliveries, %d PoCs without a channel",
                 released.message_id, released.deliveries, len(released.unreachable))
    for message_id in report.settled:
        log.info("chair message %d: every delivery finished", message_id)


class LeaderDuties:
    """What only the leading process does: the ticks, and reading Telegram's updates (two
    processes polling one bot token would make Telegram answer 409 Conflict; in webhook mode
    the others answer Telegram's posts 503)."""

    def __init__(self, scheduler: AsyncIOScheduler, context: CliContext,
                 webhook: TelegramWebhook | None = None) -> None:
        self._scheduler = scheduler
        self._context = context
        self._webhook = webhook
        self._bot_stop: asyncio.Event | None = None
        self._bot_task: asyncio.Task[None] | None = None

    def gain(self) -> None:
        self._scheduler.resume()
        token = self._context.settings.telegram_token
        running = self._bot_task is not None and not (self._bot_stop and self._bot_stop.is_set())
        if token is not None and not running:
            application = build_reply_application(
                token.get_secret_value(), self._context.settings.telegram_api_url,
                self._context.engine)
            self._bot_stop = asyncio.Event()
            self._bot_task = asyncio.create_task(
                run_reply_bot(application, self._bot_stop, self._webhook))
            self._bot_task.add_done_callback(_report_bot_failure)

    def lose(self) -> None:
        self._scheduler.pause()
        if self._bot_stop is not None:
            self._bot_stop.set()

    async def stopped(self) -> None:
        if self._bot_task is not None:
            with contextlib.suppress(Exception):  # a failure was logged when it happened
                await self._bot_task


def _report_bot_failure(task: "asyncio.Task[None]") -> None:
    """Say at once why the bot stopped (e.g. Telegram refused setWebhook); HTTP and the ticks
    go on without it until the next start or take-over."""
    if task.cancelled() or task.exception() is None:
        return
    log.error("telegram bot stopped; the service goes on without it until it restarts",
              exc_info=task.exception())


def _access_log(handler: RequestHandler) -> None:
    """tornado's access log line, except that a standing-by process answering Telegram 503
    is expected (Telegram posts again; the leading process answers), so INFO, not ERROR."""
    status = handler.get_status()
    expected = status == 503 and isinstance(handler, TelegramWebhookHandler)
    level = (logging.INFO if status < 400 or expected
             else logging.WARNING if status < 500 else logging.ERROR)
    request = handler.request
    access_log.log(level, "%d %s %s (%s) %.2fms", status, request.method, request.uri,
                   request.remote_ip, 1000.0 * request.request_time())


def _webhook(context: CliContext) -> TelegramWebhook | None:
    """Webhook mode's receiving end, or None when the leader long-polls (the default)."""
    settings = context.settings
    if settings.webhook_url is None or settings.webhook_secret is None:
        return None
    return TelegramWebhook(settings.webhook_url, settings.webhook_secret.get_secret_value())


async def _serve(context: CliContext) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    webhook = _webhook(context)
    application = Application([
        (r"/healthz", HealthHandler, {"context": context}),
        (r"/unsubscribe/([0-9]{1,12})/([0-9a-f]{32})", UnsubscribeHandler, {"context": context}),
        (r"/reply/([0-9]{1,12})/(received|snooze|wrong_contact)/([0-9a-f]{32})", ReplyHandler,
         {"context": context}),
        *([] if webhook is None else
          [(re.escape(webhook.path), TelegramWebhookHandler, {"webhook": webhook})]),
    ], log_function=_access_log)
    server = application.listen(context.settings.http_port, address=context.settings.http_host)
    dispatcher = build_dispatcher(context)
    if dispatcher.telegram is None:
        log.info("%s", message("telegram_off"))
    scheduler = build_scheduler()
    add_tick(scheduler, DISPATCH_JOB_ID, dispatcher.run_once,
             context.settings.dispatch_every_seconds)
    add_tick(scheduler, SWEEP_JOB_ID, partial(_sweep_reminders, context),
             context.settings.sweep_every_seconds)
    # the Chair's messages are released on the dispatch rhythm: "now" means the next tick
    add_tick(scheduler, CHAIR_JOB_ID, partial(_release_chair_messages, context),
             context.settings.dispatch_every_seconds)
    # Only one process runs the ticks: the holder of the scheduler lock (PostgreSQL advisory
    # lock, or a lock file beside the SQLite database). The others stand by and take over.
    lock = lock_for(context.engine)
    duties = LeaderDuties(scheduler, context, webhook)
    scheduler.start(paused=True)
    leadership = None
    if lock is None:
        duties.gain()
    else:
        leadership = asyncio.create_task(Leadership(lock).run(
            on_gain=duties.gain, on_lose=duties.lose, stop=stop,
            retry_seconds=context.settings.leader_retry_seconds))
    log.info("%s", message("run_started", host=context.settings.http_host,
                           port=context.settings.http_port))
    await stop.wait()
    if leadership is not None:
        await leadership
    else:
        duties.lose()
    await duties.stopped()
    scheduler.shutdown(wait=False)
    server.stop()
    await server.close_all_connections()
    log.info("%s", message("run_stopped"))


def serve(context: CliContext) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=context.settings.log_level.upper(), handlers=[handler])
    # httpx logs every request URL at INFO, and a Bot API URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # python-telegram-bot's DEBUG lines quote whole updates: people's names and words.
    level = logging.getLevelName(context.settings.log_level.upper())
    logging.getLogger("telegram").setLevel(max(level, logging.INFO))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per tick is noise
    prepare_registry(context.engine, admin_ids=context.settings.admin_ids)
    asyncio.run(_serve(context))
