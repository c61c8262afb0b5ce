"""The composition root: the one place that builds objects and wires them together.

    Settings (OUTREACH_*, read once)  ->  AppContext (engine, audit actor, clock)
      every CLI command:  build_context (bot.cli.common)
      `outreach run`:     prepare_registry -> build_dispatcher (senders) -> the ticks
                          (dispatch, reminder sweep, Chair's release, assistance
                          chasing) -> the scheduler lock
                          -> LeaderDuties (ticks and the Telegram Application of
                          bot.chat.app) -> HTTP (bot.web.server) until SIGTERM

The libraries only `outreach run` needs (python-telegram-bot, tornado, APScheduler) are
imported inside the functions that use them: every CLI command imports this module, and
`outreach status` must not wait for a Telegram client it never uses.
"""

import asyncio
import contextlib
import getpass
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy import Engine
from sqlmodel import Session

from bot.settings import Settings
from scheduler.clock import utc_now
from storage.audit import ACTOR_LENGTH
from storage.db import make_engine, prepare
from storage.reference_data import ReferenceLoad, load_reference_data
from storage.reminders import ensure_default_policies
from storage.staff import bootstrap_admins

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from bot.channels.contract import OutgoingTelegram, Sender
    from bot.chat.webhook import TelegramWebhook
    from bot.delivery.dispatcher import Dispatcher, LinkSettings

__all__ = ["AppContext", "build_context", "build_dispatcher", "link_settings",
           "prepare_registry", "run_service"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AppContext:
    """What every command and the service share, built once from the settings."""

    settings: Settings
    engine: Engine
    actor: str  # the audit log's "who" for changes made from the command line
    clock: Callable[[], datetime] = field(default=utc_now)


def build_context(settings: Settings) -> AppContext:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url, settings.sqlite_busy_seconds)
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, as in some containers
        login = "unknown"
    # a login longer than the audit column (some directory services allow it) is cut to fit:
    # it only labels the entry, and an audited write must not fail on it
    fallback = f"cli:{login}"[:ACTOR_LENGTH]
    return AppContext(settings=settings, engine=engine, actor=settings.actor or fallback)


def prepare_registry(engine: Engine, *, now: datetime,
                     admin_ids: Sequence[int] = ()) -> ReferenceLoad:
    """What `outreach init` and every `outreach run` start with: the current schema, the
    reference data, the default reminder policies; safe to repeat or race.

    `admin_ids` (OUTREACH_ADMIN_TELEGRAM_IDS) are made admin if they are not already.
    """
    loads: list[ReferenceLoad] = []

    def fill(session: Session) -> None:
        loads.append(load_reference_data(session=session, now=now))
        ensure_default_policies(session=session, today=now.date(), now=now)
        bootstrap_admins(session=session, ids=admin_ids, now=now)

    prepare(engine, fill)
    return loads[-1]


def link_settings(settings: Settings) -> "LinkSettings":
    """Signed links (List-Unsubscribe, replies) and Message-IDs on OUTREACH_PUBLIC_URL's host,
    signed with OUTREACH_SECRET_KEY: for every sender of real-looking mail, the service's and
    `outreach demo`'s alike."""
    from bot.delivery.dispatcher import LinkSettings

    secret = settings.secret_key.get_secret_value() if settings.secret_key else None
    domain = urlsplit(settings.public_url).hostname if settings.public_url else None
    return LinkSettings(public_url=settings.public_url, secret=secret,
                        message_id_domain=domain or LinkSettings.message_id_domain)


def build_dispatcher(context: AppContext) -> "Dispatcher":
    """The dispatcher with the senders the settings ask for (Telegram only with a token)."""
    from bot.channels.email import sender_from_settings
    from bot.delivery.dispatcher import Dispatcher

    settings = context.settings
    telegram = None
    if settings.telegram_token is not None:
        from bot.channels.telegram import TelegramSender

        telegram = TelegramSender(token=settings.telegram_token.get_secret_value(),
                                  base_url=settings.telegram_api_url)
    return Dispatcher(engine=context.engine, email=sender_from_settings(settings),
                      telegram=telegram, links=link_settings(settings),
                      working_hours=settings.working_hours, clock=context.clock,
                      window=settings.mail_window, data_dir=settings.data_dir)


# -- `outreach run` ---------------------------------------------------------------------------


async def _sweep_reminders(context: AppContext) -> None:
    from scheduler.sweep import sweep

    with Session(context.engine, expire_on_commit=False) as session:
        report = sweep(session=session, now=context.clock(),
                       hours=context.settings.working_hours)
    if report.queued or report.without_poc:
        log.info("reminders: %d queued, %d due without a PoC to write to",
                 len(report.queued), len(report.without_poc))


async def _release_chair_messages(context: AppContext) -> None:
    from scheduler.chair_tick import release_and_settle

    with Session(context.engine, expire_on_commit=False) as session:
        report = release_and_settle(session=session, now=context.clock())
    for released in report.released:
        log.info("chair message %d released: %d deliveries, %d PoCs without a channel",
                 released.message_id, released.deliveries, len(released.unreachable))
    for message_id in report.settled:
        log.info("chair message %d: every delivery finished", message_id)


async def _chase_assistance(context: AppContext, telegram: "Sender[OutgoingTelegram] | None"
                            ) -> None:
    """The assistance sweep (follow-ups and digests queued once staff turned chasing on);
    staff told in Telegram of requests newly overdue at a step."""
    from bot.chat.assistance_overdue import tell_staff

    settings = context.settings
    await tell_staff(context.engine, context.clock(), settings.assistance_step_days, telegram,
                     settings.working_hours)


async def _announce_documents(context: AppContext,
                              telegram: "Sender[OutgoingTelegram] | None") -> None:
    """Staff told in Telegram of the documents PoCs sent (the upload page's; /submit tells
    them at once itself), each document once."""
    from bot.chat.inbox_notice import tell_staff

    await tell_staff(context.engine, context.clock(), telegram)


def _staff_telegram(context: AppContext, dispatcher: "Dispatcher"
                    ) -> "Sender[OutgoingTelegram] | None":
    """A Telegram sender of the staff's notices, paced with the dispatcher's (None: no token)."""
    from bot.channels.telegram import TelegramSender

    settings = context.settings
    if settings.telegram_token is None:
        return None
    shared = dispatcher.telegram
    return TelegramSender(token=settings.telegram_token.get_secret_value(),
                          base_url=settings.telegram_api_url,
                          pacer=shared.pacer if isinstance(shared, TelegramSender) else None)


class LeaderDuties:
    """What only the leading process does: the ticks, and reading Telegram's updates (two
    processes polling one bot token would make Telegram answer 409 Conflict; in webhook mode
    the others answer Telegram's posts 503)."""

    def __init__(self, scheduler: "AsyncIOScheduler", context: AppContext,
                 webhook: "TelegramWebhook | None" = None) -> None:
        self._scheduler = scheduler
        self._context = context
        self._webhook = webhook
        self._bot_stop: asyncio.Event | None = None
        self._bot_task: asyncio.Task[None] | None = None

    def gain(self) -> None:
        from bot.chat.app import build_application, run_bot

        self._scheduler.resume()
        settings = self._context.settings
        running = self._bot_task is not None and not (self._bot_stop and self._bot_stop.is_set())
        if settings.telegram_token is not None and not running:
            from bot.chat.inbox import InboxPlace

            application = build_application(
                settings.telegram_token.get_secret_value(), settings.telegram_api_url,
                self._context.engine, clock=self._context.clock,
                reply_link_days=settings.reply_link_days,
                inbox_place=InboxPlace(settings.data_dir, settings.upload_max_bytes))
            self._bot_stop = asyncio.Event()
            self._bot_task = asyncio.create_task(
                run_bot(application, self._bot_stop, self._webhook))
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


def _webhook(settings: Settings) -> "TelegramWebhook | None":
    """Webhook mode's receiving end, or None when the leader long-polls (the default)."""
    if settings.webhook_url is None or settings.webhook_secret is None:
        return None
    from bot.chat.webhook import TelegramWebhook

    return TelegramWebhook(settings.webhook_url, settings.webhook_secret.get_secret_value())


def _scheduler(context: AppContext, dispatcher: "Dispatcher") -> "AsyncIOScheduler":
    """The ticks, paused until this process leads."""
    from scheduler.ticks import (
        ASSISTANCE_JOB_ID,
        CHAIR_JOB_ID,
        DISPATCH_JOB_ID,
        INBOX_JOB_ID,
        SWEEP_JOB_ID,
        add_tick,
        build_scheduler,
    )

    settings = context.settings
    scheduler = build_scheduler()
    add_tick(scheduler, DISPATCH_JOB_ID, partial(_tick, context, dispatcher.run_once),
             settings.dispatch_every_seconds)
    add_tick(scheduler, SWEEP_JOB_ID, partial(_tick, context, partial(_sweep_reminders, context)),
             settings.sweep_every_seconds)
    # the Chair's messages are released on the dispatch rhythm: "now" means the next tick
    add_tick(scheduler, CHAIR_JOB_ID,
             partial(_tick, context, partial(_release_chair_messages, context)),
             settings.dispatch_every_seconds)
    # overdue assistance requests on the sweep's rhythm: staff told once per step reached
    add_tick(scheduler, ASSISTANCE_JOB_ID,
             partial(_tick, context, partial(_chase_assistance, context,
                                             _staff_telegram(context, dispatcher))),
             settings.sweep_every_seconds)
    # documents PoCs sent, on the dispatch rhythm: staff told once per document
    add_tick(scheduler, INBOX_JOB_ID,
             partial(_tick, context, partial(_announce_documents, context,
                                             _staff_telegram(context, dispatcher))),
             settings.dispatch_every_seconds)
    return scheduler


async def _tick(context: AppContext, run: Callable[[], Awaitable[object]]) -> None:
    """One tick; a database gone away meanwhile is one log line (the next tick tries again,
    /healthz says 503), not a traceback every few seconds. Other failures keep theirs."""
    from sqlalchemy.exc import DatabaseError

    from bot.render.templates import message
    from storage.db import database_name, database_problem

    try:
        await run()
    except asyncio.CancelledError:
        # The service is stopping (the scheduler is shut down without waiting): what the
        # tick wrote is committed or not at all, and the ledger says which; no traceback.
        log.debug("a tick was stopped by the shutdown")
        return
    except DatabaseError as error:
        url = context.engine.url
        problem = database_problem(error, url)
        if problem is None:
            raise
        log.warning("%s", message(problem.value, database=database_name(url),
                                  seconds=f"{context.settings.sqlite_busy_seconds:g}"))


async def _serve(context: AppContext) -> None:
    """HTTP at once (so /healthz can say 503 while the database is away), the registry
    prepared as soon as the database answers, then the ticks until SIGTERM."""
    from bot.render.templates import message
    from bot.web.server import build_web_application

    settings = context.settings
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    webhook = _webhook(settings)
    secret = settings.secret_key.get_secret_value() if settings.secret_key else None
    routes = [] if webhook is None else [webhook.route()]
    server = build_web_application(context.engine, secret, context.clock, routes,
                                   reply_link_days=settings.reply_link_days,
                                   data_dir=settings.data_dir,
                                   upload_max_bytes=settings.upload_max_bytes).listen(
        settings.http_port, address=settings.http_host,
        # an upload over the cap still reaches the page, which says why it is refused
        max_body_size=max(settings.upload_max_bytes + 1024 * 1024, 100 * 1024 * 1024))
    if await _registry_prepared(context, stop):
        _log_active_policies(context)
        await _run_until_stopped(context, stop, webhook)
    server.stop()
    await server.close_all_connections()
    log.info("%s", message("run_stopped"))


# How long `outreach run` waits before trying an unreachable database again: doubling from
# the first wait up to the longest, so a short outage heals fast and a long one logs little.
FIRST_DATABASE_WAIT = 1.0
LONGEST_DATABASE_WAIT = 60.0


async def _registry_prepared(context: AppContext, stop: asyncio.Event) -> bool:
    """Prepare the registry, waiting for a database that cannot be reached or opened, one
    log line per try; False when stopped first. Any other failure is a bug and raises."""
    from sqlalchemy.exc import DatabaseError

    from bot.render.templates import message
    from storage.db import database_name, database_problem

    url = context.engine.url
    wait = FIRST_DATABASE_WAIT
    while True:
        try:
            await asyncio.to_thread(prepare_registry, context.engine, now=context.clock(),
                                    admin_ids=context.settings.admin_ids)
            return True
        except DatabaseError as error:
            problem = database_problem(error, url)
            if problem is None:
                raise
            said = message(problem.value, database=database_name(url),
                           seconds=f"{context.settings.sqlite_busy_seconds:g}")
            log.warning("%s", message("database_waiting", problem=said, retry=f"{wait:g}"))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)
            return False
        wait = min(wait * 2, LONGEST_DATABASE_WAIT)


async def _run_until_stopped(context: AppContext, stop: asyncio.Event,
                             webhook: "TelegramWebhook | None") -> None:
    from bot.render.templates import message
    from scheduler.leader import Leadership, lock_for

    settings = context.settings
    dispatcher = build_dispatcher(context)
    if dispatcher.telegram is None:
        log.info("%s", message("telegram_off"))
    scheduler = _scheduler(context, dispatcher)
    # Only one process runs the ticks: the holder of the scheduler lock (PostgreSQL advisory
    # lock, or a lock file beside the SQLite database). The others stand by and take over.
    lock = lock_for(context.engine)
    duties = LeaderDuties(scheduler, context, webhook)
    scheduler.start(paused=True)
    leadership: asyncio.Task[Any] | None = None
    if lock is None:
        duties.gain()
    else:
        leadership = asyncio.create_task(Leadership(lock).run(
            on_gain=duties.gain, on_lose=duties.lose, stop=stop,
            retry_seconds=settings.leader_retry_seconds))
    log.info("%s", message("run_started", host=settings.http_host, port=settings.http_port))
    await stop.wait()
    if leadership is not None:
        await leadership
    else:
        duties.lose()
    await duties.stopped()
    scheduler.shutdown(wait=False)


def _log_active_policies(context: AppContext) -> None:
    """Say at start which reminder policies may write to States (names and ids only), so that
    whoever starts the service sees what it will send on its own."""
    from bot.render.templates import message
    from storage.reminders import policies

    with Session(context.engine) as session:
        active = [f"{p.id} ({p.name})" for p in policies(session=session) if not p.paused]
    if active:
        log.info("%s", message("policies_active", policies=", ".join(active)))
    else:
        log.info("%s", message("no_policy_active"))


def run_service(context: AppContext) -> None:
    """`outreach run`: logging, then serve until SIGTERM (the registry brought up to date
    as soon as the database answers)."""
    from bot.logs import configure_logging

    configure_logging(context.settings.log_level)
    asyncio.run(_serve(context))
