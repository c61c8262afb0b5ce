"""`outreach run`: the long-lived process. For now: migrations and a health endpoint.

The Telegram bot, the dispatcher and the scheduler join this process in later releases.
"""

import asyncio
import logging
import signal

from sqlalchemy import text
from tornado.web import Application, RequestHandler

from bot.context import CliContext
from bot.render import message
from storage.db import migrate, session_scope
from storage.reference_data import load_reference_data

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


async def _serve(context: CliContext) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    application = Application([(r"/healthz", HealthHandler, {"context": context})])
    server = application.listen(context.settings.http_port, address=context.settings.http_host)
    log.info("%s", message("run_started", host=context.settings.http_host,
                           port=context.settings.http_port))
    await stop.wait()
    server.stop()
    await server.close_all_connections()
    log.info("%s", message("run_stopped"))


def serve(context: CliContext) -> None:
    logging.basicConfig(level=context.settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    migrate(context.engine)
    with session_scope(context.engine) as session:
        load_reference_data(session=session)
    asyncio.run(_serve(context))
