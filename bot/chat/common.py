"""What every handler of the chat shares: its services, its words, and Bot API calls that do
not stop it.

Services. A handler is a plain `async def on_x(update, context)`: it finds the database
engine, the clock and the guided /log's timeout in `context.bot_data` (Services, under
SERVICES_KEY), read at call time. build_application (bot.chat.app) puts them there, and the
persistence hands them back at Application.initialize (bot.chat.persistence, `resident`),
when python-telegram-bot replaces bot_data with what it loads; so a spec can drive one
handler through Application.process_update with Services of its own.

Words. Every sentence is a macro of a Telegram HTML template (what people typed escaped):
what a Point of Contact reads ("poc", "errors") of templates/telegram/en/<file>.html.j2, its
marked words translated in the catalogue (telegram.po); the staff's of
templates/chat/en/<file>.html.j2, translated in chat.po: `say`. Words come in the language a
caller names, else the language of the person this update comes from (`reading_in`, set once
per update by bot.chat.access.remember_language before any handler runs; English for anyone
else and outside an update). A list that may not fit in one message (Telegram takes
MESSAGE_LIMIT characters) is shown with as many items as fit and a "…and N more" line:
`fitted` drops items, never cuts the HTML (a cut tag would make Telegram refuse the whole
message).

Bot API calls. An answer that Telegram refuses (a query too old to answer, a message
already without buttons, a chat that blocked the bot) changes nothing the person could
act on: reply, send, answer, edit and edit_buttons log the refusal's kind as a warning
and go on. "Message is not modified" (the same page shown again) is no news at all.
"""

import logging
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine
from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.render.markdown import TELEGRAM_LIMIT as MESSAGE_LIMIT
from bot.render.templates import DEFAULT_LANGUAGE, has_macro, macro
from storage.reminders import REPLY_LINK_DAYS

__all__ = ["MESSAGE_LIMIT", "SERVICES_KEY", "Services", "answer", "edit",
           "edit_buttons", "fitted", "has_message", "reader_language", "reading_in", "reply",
           "say", "send", "services"]

log = logging.getLogger(__name__)

SERVICES_KEY = "services"  # the key of application.bot_data holding the Services


@dataclass(frozen=True)
class Services:
    """What the handlers need besides the update: never persisted, given to each Application."""

    engine: Engine
    clock: Callable[[], datetime]
    log_timeout: timedelta  # a guided /log left this long without an answer is dropped
    # a reminder's answer buttons are taken this long after it was sent (REPLY_LINK_DAYS)
    reply_link_valid_for: timedelta = timedelta(days=REPLY_LINK_DAYS)

    def __deepcopy__(self, memo: dict[int, Any]) -> "Services":
        # PTB deep-copies bot_data before handing it to the persistence: these are shared
        # handles (an engine and its pool), the same ones in the copy, never duplicated.
        return self


class _HasBotData(Protocol):
    """A handler's CallbackContext, or the Application itself (at start)."""

    @property
    def bot_data(self) -> Mapping[Any, Any]: ...


def services(holder: _HasBotData) -> Services:
    """The Services in bot_data, read now (PTB replaces bot_data at initialize)."""
    found = holder.bot_data.get(SERVICES_KEY)
    if not isinstance(found, Services):
        raise RuntimeError("bot_data holds no Services: build the Application with "
                           "bot.chat.app.build_application, or put them under SERVICES_KEY")
    return found


# -- words ----------------------------------------------------------------------------------

# What the bot says to Points of Contact (and to anyone, on an error), in every UN language;
# the other files are the staff chat's.
POC_FILES = frozenset({"poc", "errors"})

# The language of the person the bot answers now: each update runs in a context of its own
# (asyncio tasks copy it), where bot.chat.access.remember_language sets it first.
_READER_LANGUAGE: ContextVar[str] = ContextVar("reader_language", default=DEFAULT_LANGUAGE)


def reading_in(language: str) -> None:
    """Words `say` gives without a language are in `language` for the rest of this update."""
    _READER_LANGUAGE.set(language)


def reader_language() -> str:
    return _READER_LANGUAGE.get()


def _template(file: str) -> str:
    area = "telegram" if file in POC_FILES else "chat"
    return f"{area}/{file}.html.j2"


def say(file: str, message: str, language: str | None = None, /, **params: Any) -> str:
    """The macro `message` of the Telegram HTML template `file` (templates/telegram/ for
    POC_FILES, else templates/chat/) in `language`, else the reader's (reader_language).
    `file`, `message` and `language` are positional, so that a macro may take a parameter
    named `language`."""
    return macro(_template(file), message, language or reader_language(), **params)




def has_message(file: str, message: str) -> bool:
    """Whether the template `file` has a macro `message` (in English)."""
    return has_macro(_template(file), message)


def fitted(file: str, message: str, items: Sequence[Any], /, **params: Any) -> str:
    """The macro `message` showing as many of `items` as one Telegram message takes; the
    macro says how many more there are (its parameters `items` and `more`).

    Items are dropped, the text is never cut: the longest list that fits is searched
    (halving), so a list of hundreds costs a dozen renderings. Should even no item fit, the
    text without items is returned whole, for Telegram to refuse rather than to garble."""

    def shown(count: int) -> str:
        return say(file, message, items=list(items[:count]), more=len(items) - count,
                   **params)

    whole = shown(len(items))
    if len(whole) <= MESSAGE_LIMIT:
        return whole
    best, low, high = shown(0), 1, len(items) - 1
    while low <= high:
        middle = (low + high) // 2
        text = shown(middle)
        if len(text) <= MESSAGE_LIMIT:
            best, low = text, middle + 1
        else:
            high = middle - 1
    return best


# -- Bot API calls whose refusal is logged, not raised ----------------------------------------


def _refused(call: str, error: TelegramError) -> None:
    if "not modified" in error.message.lower():
        return  # the message already shows this: nothing was lost
    # stacklevel: the record names the handler that made the call, not this helper
    log.warning("telegram %s refused (%s)", call, type(error).__name__, stacklevel=3)


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer in the chat of the update's message."""
    message = update.effective_message
    if message is None:
        return
    try:
        await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except TelegramError as error:
        _refused("sendMessage", error)


async def send(bot: Bot, chat_id: int, text: str,
               markup: InlineKeyboardMarkup | None = None) -> None:
    """A new message in the chat `chat_id`."""
    try:
        await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except TelegramError as error:
        _refused("sendMessage", error)


async def answer(query: CallbackQuery, text: str | None = None) -> None:
    """Stop the pressed button's spinner, with `text` in a pop-up."""
    try:
        await query.answer(text=text)
    except TelegramError as error:
        _refused("answerCallbackQuery", error)


async def edit(query: CallbackQuery, text: str,
               markup: InlineKeyboardMarkup | None = None) -> None:
    """Show `text` in the pressed button's message; its buttons become `markup`."""
    if query.message is None:
        return
    try:  # by chat and message id: a message too old to come whole can still be edited
        await query.get_bot().edit_message_text(
            text, chat_id=query.message.chat.id, message_id=query.message.message_id,
            parse_mode=ParseMode.HTML, reply_markup=markup)
    except TelegramError as error:
        _refused("editMessageText", error)


async def edit_buttons(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    """Change (None: remove) the buttons of the pressed button's message."""
    if query.message is None:
        return
    try:
        await query.get_bot().edit_message_reply_markup(
            chat_id=query.message.chat.id, message_id=query.message.message_id,
            reply_markup=markup)
    except TelegramError as error:
        _refused("editMessageReplyMarkup", error)
