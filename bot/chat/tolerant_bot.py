"""The reply bot's Bot API client, for servers that refuse the calls it can do without.

Starting needs getMe and then getUpdates (polling) or setWebhook (webhook mode). Before
polling, python-telegram-bot's Updater calls deleteWebhook, so that a webhook left from
webhook mode does not block getUpdates; a Bot API server that refuses it (a local or
third-party server answering 404 "method not found", or an error result) would stop the bot
at start. Here such a refusal is one warning and the bot goes on. The command menus
(setMyCommands) are optional too: bot.chat.staff.set_staff_commands logs their refusal.
"""

import logging
from typing import Any

from telegram.error import TelegramError
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

__all__ = ["TolerantBot"]

log = logging.getLogger(__name__)

# python-telegram-bot's ApplicationBuilder defaults: many calls at once, one long poll.
_CONNECTIONS = 256


def file_url(base_url: str) -> str:
    """Where the Bot API serves files (getFile's file_path), beside its methods: Telegram's
    https://api.telegram.org/file/bot for https://api.telegram.org/bot, and the same shape
    for a local Bot API server (OUTREACH_TELEGRAM_API_URL)."""
    base = base_url.rstrip("/")
    head, _, tail = base.rpartition("/")
    return f"{head}/file/{tail}" if tail.startswith("bot") else f"{base}/file/bot"


class TolerantBot(ExtBot[None]):
    def __init__(self, token: str, base_url: str) -> None:
        super().__init__(token, base_url=base_url, base_file_url=file_url(base_url),
                         request=HTTPXRequest(connection_pool_size=_CONNECTIONS),
                         get_updates_request=HTTPXRequest(connection_pool_size=1))

    async def delete_webhook(self, *args: Any, **kwargs: Any) -> bool:
        """deleteWebhook, or False with a warning when the server refuses it."""
        try:
            return await super().delete_webhook(*args, **kwargs)
        except TelegramError as error:
            log.warning("telegram deleteWebhook refused (%s: %s); polling anyway (if a "
                        "webhook is still set, getUpdates will fail with Conflict)",
                        type(error).__name__, error.message)
            return False
