"""The service's HTTP application: which path goes to which handler, and the access log.

    GET  /healthz                                  bot.web.handlers.HealthHandler
    GET, POST /unsubscribe/<poc id>/<signature>     ...UnsubscribeHandler (RFC 8058)
    GET, POST /reply/<delivery id>/<answer>/<sig>   bot.web.answers, one rule per kind of
    GET, POST /assistance-answer/<delivery id>/<answer>/<sig>  bot.delivery.answer_kinds
    GET, POST /letter-answer/<delivery id>/<answer>/<sig>
    GET, POST /assistance-request/<poc id>/<issued YYYYMMDD>/<sig>
                                                   bot.web.assistance_form
    GET, POST /upload/<poc id>/<purpose>/<issued YYYYMMDD>/<sig>
                                                   bot.web.upload (with a data folder)
    GET, POST /letter-upload/<poc id>/<letter id>/<issued YYYYMMDD>/<sig>
                                                   bot.web.upload, a letter's response
    POST <path of OUTREACH_WEBHOOK_URL>            bot.chat.webhook, in webhook mode: added
                                                   by bot.main as an extra route

A handler whose answer is an expected 503 (a standing-by process: the leading one will
answer) says so with `expected_unavailable = True`, and its 503s are logged at INFO.
"""

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from tornado.log import access_log
from tornado.web import Application, RequestHandler

from bot.web.answers import answer_routes
from bot.web.assistance_form import AssistanceFormHandler
from bot.web.handlers import HealthHandler, UnsubscribeHandler
from bot.web.safety import NotFoundHandler, loggable_path
from bot.web.upload import LetterUploadHandler, UploadHandler
from storage.inbox.model import Purpose
from storage.inbox.store import DEFAULT_MAX_BYTES
from storage.reminders import REPLY_LINK_DAYS

__all__ = ["build_web_application"]


def build_web_application(engine: Engine, secret: str | None, clock: Callable[[], datetime],
                          extra_routes: Sequence[Any] = (),
                          reply_link_days: int = REPLY_LINK_DAYS,
                          data_dir: Path | None = None,
                          upload_max_bytes: int = DEFAULT_MAX_BYTES) -> Application:
    """`secret` signs the PoCs' links (OUTREACH_SECRET_KEY); without it every link is
    refused. `extra_routes`: tornado rules served beside them (Telegram's webhook).
    `reply_link_days` (OUTREACH_REPLY_LINK_DAYS): how long after a reminder is sent its
    answer links (and a PoC's assistance form link after its issue) are taken; unsubscribe
    links never expire (RFC 8058)."""
    signed: dict[str, Any] = {"engine": engine, "secret": secret, "clock": clock}
    return Application([
        (r"/healthz", HealthHandler, {"engine": engine}),
        (r"/unsubscribe/([0-9]{1,12})/([0-9a-f]{32})", UnsubscribeHandler, signed),
        *answer_routes(signed, timedelta(days=reply_link_days)),
        (r"/assistance-request/([0-9]{1,12})/([0-9]{8})/([0-9a-f]{32})", AssistanceFormHandler,
         {**signed, "valid_for": timedelta(days=reply_link_days)}),
        *([] if data_dir is None else [(
            rf"/upload/([0-9]{{1,12}})/({'|'.join(Purpose)})/([0-9]{{8}})/([0-9a-f]{{32}})",
            UploadHandler, {**signed, "valid_for": timedelta(days=reply_link_days),
                            "data_dir": data_dir, "max_bytes": upload_max_bytes})]),
        *([] if data_dir is None else [(
            r"/letter-upload/([0-9]{1,12})/([0-9]{1,12})/([0-9]{8})/([0-9a-f]{32})",
            LetterUploadHandler, {**signed, "valid_for": timedelta(days=reply_link_days),
                                  "data_dir": data_dir, "max_bytes": upload_max_bytes})]),
        *extra_routes,
    ], log_function=_access_log, default_handler_class=NotFoundHandler)


def _access_log(handler: RequestHandler) -> None:
    """tornado's access log line, except that a standing-by process answering Telegram 503
    is expected (Telegram posts again; the leading process answers), so INFO, not ERROR."""
    status = handler.get_status()
    expected = status == 503 and getattr(handler, "expected_unavailable", False)
    level = (logging.INFO if status < 400 or expected
             else logging.WARNING if status < 500 else logging.ERROR)
    request = handler.request
    # the path without its signature: a logged link would let its reader act for the PoC
    access_log.log(level, "%d %s %s (%s) %.2fms", status, request.method, loggable_path(request),
                   request.remote_ip, 1000.0 * request.request_time())
