"""Telegram channel: one message per delivery through the Bot API (python-telegram-bot).

Only sendMessage is used (sendDocument for an item with a document: telegram_document.py;
and getMe, once per batch, to check the token); the bot never
polls getUpdates here (bot/chat/app.py answers the PoCs' button presses). An item's
buttons go out as an inline keyboard, one button a row. Sends are paced under Telegram's
limits (about 30 messages a second overall, one a second per chat) by a Pacer keyed on the chat
id, and a 429 retry_after pauses every later send.

Telegram's answers map onto the contract:

- 429 Too Many Requests -> transient, with retry_after; the pacer pauses for that long;
- 403 Forbidden (bot blocked, user deactivated), 400 chat not found / user is deactivated
  -> permanent, recipient_unreachable;
- 400 group upgraded to a supergroup -> sent once more, at once, to the new chat id; the
  result carries migrated_to_chat_id so the dispatcher saves it;
- any other 400 -> permanent, with Telegram's description;
- the token rejected (401/404) -> permanent "Telegram token rejected";
- network errors before the request left (connection refused, connect or pool timeout),
  5xx -> transient;
- a timeout after the request left (read/write timeout) -> raises UncertainDelivery: Telegram
  may well have delivered it. The dispatcher records the delivery `uncertain` and never
  resends it on its own.

Logs name the delivery id only: never the text, the chat id or the token.
"""

import dataclasses
import datetime as dtm
import logging
import warnings
from types import TracebackType
from typing import Self

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot.channels.contract import Attachment, OutgoingTelegram, SendResult, UncertainDelivery
from bot.channels.pacing import Pacer
from bot.channels.telegram_document import send_document

__all__ = ["TelegramSender", "UncertainDelivery"]

log = logging.getLogger(__name__)

TOKEN_REJECTED = "Telegram token rejected"
# Telegram's 400 descriptions that mean the chat can never be reached.
_UNREACHABLE = ("chat not found", "user is deactivated", "bot was kicked", "peer_id_invalid")
# Timeouts raised before the request left: nothing can have been delivered.
_NOT_SENT_TIMEOUTS = (httpx.ConnectTimeout, httpx.PoolTimeout)
# Sends of one batch wait for the pacer, then for a connection of our own pool: a wait there
# is ours, not Telegram's, so it may last (a busy machine once made the 1 s default refuse
# sends of a 45-message batch as "Telegram unreachable").
CONNECTIONS = 8
POOL_TIMEOUT_SECONDS = 60.0


class TelegramSender:
    """Sends OutgoingTelegram items; use as `async with sender:` then `await sender.send(item)`.

    `base_url` is the Bot API URL up to and including /bot (python-telegram-bot's base_url,
    Settings.telegram_api_url). `pacer` may be shared with other senders of the same bot;
    without one, a Pacer(per_second, per_chat_per_second) of this sender's own is used: a
    margin under Telegram's 30/s and 1/s per chat, so that network jitter (a message
    reaching Telegram later than the next one to the same chat) does not cost a 429.
    `read_timeout` is how long to wait for Telegram's answer once a request has left.
    """

    def __init__(
        self,
        token: str,
        base_url: str,
        pacer: Pacer | None = None,
        per_second: float = 29.5,
        per_chat_per_second: float = 0.95,
        *,
        read_timeout: float = 5.0,
    ) -> None:
        self._token = token
        self._base_url = base_url
        self._pacer = (
            pacer
            if pacer is not None
            else Pacer(per_second=per_second, per_key_per_second=per_chat_per_second)
        )
        self._read_timeout = read_timeout
        self._bot: Bot | None = None
        self._ready = False  # the token was checked (getMe) in this batch
        self._token_rejected = False

    @property
    def pacer(self) -> Pacer:
        return self._pacer

    async def __aenter__(self) -> Self:
        self._token_rejected = False
        self._ready = False
        try:
            self._bot = Bot(self._token, base_url=self._base_url, request=HTTPXRequest(
                connection_pool_size=CONNECTIONS, pool_timeout=POOL_TIMEOUT_SECONDS))
        except InvalidToken:  # an empty token: python-telegram-bot refuses it at once
            self._bot = None
            self._token_rejected = True
            log.error("%s", TOKEN_REJECTED)
            return self
        await self._initialize()  # failures are remembered and answered by send()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        bot, self._bot, self._ready = self._bot, None, False
        if bot is not None:
            try:
                await bot.shutdown()
            except Exception:
                log.warning("Telegram client did not shut down cleanly")

    async def _initialize(self) -> SendResult | None:
        """Check the token (getMe); None when ready, else the result every send gets."""
        if self._token_rejected:
            return SendResult.permanent(TOKEN_REJECTED)
        if self._bot is None:
            raise RuntimeError("use `async with sender:` before send()")
        if self._ready:
            return None
        try:
            await self._bot.initialize()
        except InvalidToken:
            # PTB's message quotes the token: never log or keep it.
            self._token_rejected = True
            log.error("%s", TOKEN_REJECTED)
            return SendResult.permanent(TOKEN_REJECTED)
        except TelegramError as error:  # unreachable, timed out, 5xx: try again next send
            reason = self._reason("Telegram unreachable", error)
            log.warning("%s", reason)
            return SendResult.transient(reason)
        self._ready = True
        return None

    async def send(self, item: OutgoingTelegram) -> SendResult:
        not_ready = await self._initialize()
        if not_ready is not None:
            log.info("telegram delivery %s: %s", item.delivery_id, not_ready.reason)
            return not_ready
        try:
            result = await self._send_following_migration(item)
        except UncertainDelivery:
            log.warning(
                "telegram delivery %s: no answer after sending; it may have arrived",
                item.delivery_id,
            )
            raise
        log.info(
            "telegram delivery %s: %s%s",
            item.delivery_id,
            result.outcome,
            f" ({result.reason})" if result.reason else "",
        )
        return result

    async def _send_following_migration(self, item: OutgoingTelegram) -> SendResult:
        """Send; if the group became a supergroup, send once more, at once, to its new id."""
        keyboard = _keyboard(item.buttons)
        try:
            return await self._send_once(item.chat_id, item.html, keyboard, item.document)
        except ChatMigrated as migrated:
            new_chat_id = int(migrated.new_chat_id)
        log.info("telegram delivery %s: group moved to a supergroup, resending", item.delivery_id)
        try:
            result = await self._send_once(new_chat_id, item.html, keyboard, item.document)
        except ChatMigrated as again:  # moved twice in a row: the next attempt follows
            new_chat_id = int(again.new_chat_id)
            result = SendResult.transient("group chat was upgraded to a supergroup")
        return dataclasses.replace(result, migrated_to_chat_id=new_chat_id)

    async def _send_once(
        self, chat_id: int, html: str, keyboard: InlineKeyboardMarkup | None,
        document: Attachment | None = None,
    ) -> SendResult:
        """One paced sendMessage; raises ChatMigrated (to retry) and UncertainDelivery."""
        if self._bot is None:
            raise RuntimeError("use `async with sender:` before send()")
        await self._pacer.wait(chat_id)
        try:
            if document is not None:  # the message as the file's caption
                message = await send_document(self._bot, chat_id, html, document, keyboard,
                                              self._read_timeout)
            else:
                message = await self._bot.send_message(
                    chat_id=chat_id,
                    text=html,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                    reply_markup=keyboard,
                    read_timeout=self._read_timeout,
                )
        except ChatMigrated:
            raise
        except RetryAfter as error:
            seconds = _retry_after_seconds(error)
            self._pacer.pause(seconds)
            return SendResult.transient(
                f"Telegram flood control: retry after {seconds:g} s", retry_after=seconds
            )
        except Forbidden as error:  # bot blocked by the user, user deactivated, kicked
            return SendResult.permanent(self._reason("", error), recipient_unreachable=True)
        except InvalidToken:
            self._token_rejected = True
            return SendResult.permanent(TOKEN_REJECTED)
        except BadRequest as error:  # before NetworkError: BadRequest is one in PTB
            reason = self._reason("", error)
            unreachable = any(marker in reason.lower() for marker in _UNREACHABLE)
            return SendResult.permanent(reason, recipient_unreachable=unreachable)
        except TimedOut as error:
            if isinstance(error.__cause__, _NOT_SENT_TIMEOUTS):
                return SendResult.transient(self._reason("Telegram unreachable", error))
            raise UncertainDelivery(
                "Telegram did not answer after the message was handed over"
            ) from error
        except NetworkError as error:  # connection refused, reset, 5xx
            return SendResult.transient(self._reason("Telegram unreachable", error))
        except TelegramError as error:  # anything else Telegram said no to
            return SendResult.permanent(self._reason("", error))
        return SendResult.sent(external_id=str(message.message_id))

    def _reason(self, prefix: str, error: TelegramError) -> str:
        """Telegram's words for a person to read, without the token."""
        text = error.message or type(error).__name__
        if self._token:
            text = text.replace(self._token, "<token>")
        return f"{prefix}: {text}" if prefix else text


def _keyboard(buttons: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup | None:
    """One inline button a row, or no keyboard at all."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data)] for label, data in buttons]
    )


def _retry_after_seconds(error: RetryAfter) -> float:
    """retry_after in seconds: PTB 22 gives an int (deprecated) or a timedelta (PTB_TIMEDELTA)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | float | dtm.timedelta = error.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    return float(value)
