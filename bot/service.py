"""`outreach run`: the long-lived process: migrations, the dispatcher tick, and HTTP
(/healthz for monitors, /unsubscribe for PoCs). The Telegram bot joins it in a later release.
"""

import asyncio
import logging
import signal
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import text
from sqlmodel import Session
from tornado.web import Application, RequestHandler

from bot.context import CliContext
from bot.links import unsubscribe_signature_valid
from bot.render import message, render
from bot.wiring import build_dispatcher
from scheduler.leader import Leadership, lock_for
from scheduler.sweep import sweep
from scheduler.ticks import DISPATCH_JOB_ID, SWEEP_JOB_ID, add_tick, build_scheduler
from storage import pocs
from storage.db import migrate, session_scope
from storage.reference_data import load_reference_data
from storage.reminders import ensure_default_policies

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


async def _sweep_reminders(context: CliContext) -> None:
    with Session(context.engine, expire_on_commit=False) as session:
        report = sweep(session=session, now=datetime.now(UTC))
    if report.queued or report.without_poc:
        log.info("reminders: %d queued, %d due without a PoC to write to",
                 len(report.queued), len(report.without_poc))


async def _serve(context: CliContext) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    application = Application([
        (r"/healthz", HealthHandler, {"context": context}),
        (r"/unsubscribe/([0-9]{1,12})/([0-9a-f]{32})", UnsubscribeHandler, {"context": context}),
    ])
    server = application.listen(context.settings.http_port, address=context.settings.http_host)
    dispatcher = build_dispatcher(context)
    if dispatcher.telegram is None:
        log.info("%s", message("telegram_off"))
    scheduler = build_scheduler()
    add_tick(scheduler, DISPATCH_JOB_ID, dispatcher.run_once,
             context.settings.dispatch_every_seconds)
    add_tick(scheduler, SWEEP_JOB_ID, partial(_sweep_reminders, context),
             context.settings.sweep_every_seconds)
    # Only one process runs the ticks: the holder of the scheduler lock (PostgreSQL advisory
    # lock, or a lock file beside the SQLite database). The others stand by and take over.
    lock = lock_for(context.engine)
    scheduler.start(paused=lock is not None)
    leadership = None
    if lock is not None:
        leadership = asyncio.create_task(Leadership(lock).run(
            on_gain=scheduler.resume, on_lose=scheduler.pause, stop=stop,
            retry_seconds=context.settings.leader_retry_seconds))
    log.info("%s", message("run_started", host=context.settings.http_host,
                           port=context.settings.http_port))
    await stop.wait()
    if leadership is not None:
        await leadership
    scheduler.shutdown(wait=False)
    server.stop()
    await server.close_all_connections()
    log.info("%s", message("run_stopped"))


def serve(context: CliContext) -> None:
    logging.basicConfig(level=context.settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO, and a Bot API URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per tick is noise
    migrate(context.engine)
    with session_scope(context.engine) as session:
        load_reference_data(session=session)
        now = datetime.now(UTC)
        ensure_default_policies(session=session, today=now.date(), now=now)
    asyncio.run(_serve(context))
