"""Webhook mode (OUTREACH_WEBHOOK_URL): Telegram posts each update to `outreach run`.

    Telegram --https POST--> reverse proxy --http--> any `outreach run`, at the URL's path
      X-Telegram-Bot-Api-Secret-Token wrong or missing   403 on the headers, the body never
                                                         read; logged without the token
      a body over MAX_UPDATE_BYTES                       413, the rest never read
      a body that is no update (bad JSON, too deep)      400
      the process standing by                            503: Telegram posts it again later
      the leading process                                the update goes on the Application's
                                                         update_queue, the same handlers as
                                                         in polling mode answer it; 200

The leading process starts its Application (python-telegram-bot's Application.initialize and
start, without the Updater and its own web server) and calls setWebhook with the secret and
the update kinds the bot handles; the posts arrive at the service's tornado application
(bot.web.server, given this route by bot.main), as PTB's own TelegramHandler
(telegram/ext/_utils/webhookhandler.py) would take them. The secret is compared in constant
time; updates are never logged (they carry people's names and words).
"""

import hmac
import json
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application
from tornado.web import RequestHandler, stream_request_body

from bot.web.safety import SafeHeaders

__all__ = ["ALLOWED_UPDATES", "MAX_UPDATE_BYTES", "SECRET_HEADER", "TelegramWebhook",
           "TelegramWebhookHandler"]

log = logging.getLogger(__name__)

# The update kinds the reply bot handles: commands and button presses.
ALLOWED_UPDATES = ("callback_query", "message")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_AFTER_SECONDS = 5  # a hint to whatever reads the 503; Telegram retries on its own
# Telegram's updates are a few KiB (a message's text is at most 4,096 characters); a post
# over this is no update of Telegram's, and is refused (413) without being kept in memory.
MAX_UPDATE_BYTES = 1024 * 1024

App = Application[Any, Any, Any, Any, Any, Any]


class TelegramWebhook:
    """This process's end of the webhook: where Telegram posts, the secret it sends, and the
    Application that takes the updates while this process leads (None: standing by)."""

    def __init__(self, url: str, secret: str) -> None:
        self.url = url
        self.path = urlsplit(url).path or "/"
        self._secret = secret.encode()
        self._application: App | None = None

    def secret_matches(self, given: str) -> bool:
        return hmac.compare_digest(given.encode(), self._secret)

    @property
    def application(self) -> App | None:
        return self._application

    async def register(self, application: App) -> None:
        """Take updates into the started `application`, then have Telegram post them here."""
        self.take_updates(application)
        await application.bot.set_webhook(
            url=self.url, secret_token=self._secret.decode(),
            allowed_updates=list(ALLOWED_UPDATES), drop_pending_updates=False)
        log.info("telegram webhook set; updates arrive at %s", self.path)

    def take_updates(self, application: App) -> None:
        """From now on, the posts that arrive go on `application`'s update queue."""
        self._application = application

    def route(self) -> tuple[str, type[RequestHandler], dict[str, Any]]:
        """The tornado rule serving Telegram's posts at the URL's path."""
        return (re.escape(self.path), TelegramWebhookHandler, {"webhook": self})

    def unregister(self) -> None:
        """Stop taking updates (the webhook stays set: the next leader takes them)."""
        self._application = None


@stream_request_body  # prepare() runs on the headers alone, before any of the body is read
class TelegramWebhookHandler(SafeHeaders):
    SUPPORTED_METHODS = ("POST",)
    expected_unavailable = True  # a standing-by process answers 503: logged at INFO

    def initialize(self, webhook: TelegramWebhook) -> None:
        self.webhook = webhook
        self._chunks: list[bytes] = []
        self._received = 0

    def _answer(self, status: int) -> None:
        self.set_status(status)
        self.finish()

    def _too_large(self) -> None:
        log.warning("telegram webhook: a post refused (over %d bytes)", MAX_UPDATE_BYTES)
        self._chunks.clear()
        self._answer(413)

    def prepare(self) -> None:
        """Refuse on the headers: a post answered here is never read (tornado closes the
        connection rather than read the rest)."""
        given = self.request.headers.get(SECRET_HEADER)
        if given is None or not self.webhook.secret_matches(given):
            log.warning("telegram webhook: a post refused (secret token %s)",
                        "missing" if given is None else "wrong")
            self._answer(403)
            return
        if self.webhook.application is None:  # standing by: the leader takes Telegram's posts
            self.set_header("Retry-After", str(RETRY_AFTER_SECONDS))
            self._answer(503)
            return
        declared = self.request.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_UPDATE_BYTES:
            self._too_large()

    def data_received(self, chunk: bytes) -> None:
        if self._finished:
            return
        self._received += len(chunk)
        if self._received > MAX_UPDATE_BYTES:  # a chunked body says its size only as it comes
            self._too_large()
            return
        self._chunks.append(chunk)

    async def post(self) -> None:
        application = self.webhook.application
        if self._finished or application is None:
            if not self._finished:  # the leadership was lost while the body came
                self._answer(503)
            return
        try:
            update = Update.de_json(json.loads(b"".join(self._chunks)), application.bot)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
            # RecursionError: JSON nested deeper than Python's stack ("[" x 100,000)
            log.warning("telegram webhook: an update not understood (%s)", type(error).__name__)
            self._answer(400)
            return
        await application.update_queue.put(update)
        self._answer(200)
