"""Webhook mode (OUTREACH_WEBHOOK_URL): Telegram posts each update to `outreach run`.

    Telegram --https POST--> reverse proxy --http--> any `outreach run`, at the URL's path
      X-Telegram-Bot-Api-Secret-Token wrong or missing   403, nothing read, logged without it
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
from tornado.web import RequestHandler

__all__ = ["ALLOWED_UPDATES", "SECRET_HEADER", "TelegramWebhook", "TelegramWebhookHandler"]

log = logging.getLogger(__name__)

# The update kinds the reply bot handles: commands and button presses.
ALLOWED_UPDATES = ("callback_query", "message")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_AFTER_SECONDS = 5  # a hint to whatever reads the 503; Telegram retries on its own

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
        self._application = application
        await application.bot.set_webhook(
            url=self.url, secret_token=self._secret.decode(),
            allowed_updates=list(ALLOWED_UPDATES), drop_pending_updates=False)
        log.info("telegram webhook set; updates arrive at %s", self.path)

    def route(self) -> tuple[str, type[RequestHandler], dict[str, Any]]:
        """The tornado rule serving Telegram's posts at the URL's path."""
        return (re.escape(self.path), TelegramWebhookHandler, {"webhook": self})

    def unregister(self) -> None:
        """Stop taking updates (the webhook stays set: the next leader takes them)."""
        self._application = None


class TelegramWebhookHandler(RequestHandler):
    SUPPORTED_METHODS = ("POST",)
    expected_unavailable = True  # a standing-by process answers 503: logged at INFO

    def initialize(self, webhook: TelegramWebhook) -> None:
        self.webhook = webhook

    def _answer(self, status: int) -> None:
        self.set_status(status)
        self.finish()

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER)
        if given is None or not self.webhook.secret_matches(given):
            log.warning("telegram webhook: a post refused (secret token %s)",
                        "missing" if given is None else "wrong")
            self._answer(403)
            return
        application = self.webhook.application
        if application is None:  # standing by: the leading process takes Telegram's posts
            self.set_header("Retry-After", str(RETRY_AFTER_SECONDS))
            self._answer(503)
            return
        try:
            update = Update.de_json(json.loads(self.request.body), application.bot)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            log.warning("telegram webhook: an update not understood (%s)", type(error).__name__)
            self._answer(400)
            return
        await application.update_queue.put(update)
        self._answer(200)
