"""Writing a Chair's message in the chat: the steps of `/chair new` and `/chair edit ID`.

A short conversation (states in `Step`), one language at a time; nothing is saved before
Done (bot.chat.chair.commands starts it and assembles the ConversationHandler):

    /chair new, /chair edit ID
            │
            ▼
        LANGUAGE ──(button ar…es, or the code typed)──▶ SUBJECT ──(text)──▶ BODY
            ▲                                                                │(text, with
            └──────────────(Add another language)──────── MORE ◀────────────┘ formatting)
                                                            │(Done)
                                   saved as draft, preview sent to the writer ◀┘
    /cancel at any step: nothing saved. Idle for CONVERSATION_TIMEOUT: dropped at the next
    message (its time is read then, as a restored /log does: no job to lose).
    The draft (user_data, DRAFT_CODEC) and the step survive a restart
    (bot.chat.persistence).

The body keeps the formatting typed in Telegram (bold, italic, links...), converted to the
Markdown the storage keeps (bot.chat.chair.markdown). Done saves every language at once
(bot.chat.chair.calls.save_bodies, audited as "telegram:<user id>"; an edit sends an
approved message back to draft) and sends the preview (bot.chat.chair.preview). A language
or Done button of a conversation that is over is answered so (on_stale_button). Words come
from templates/chat/en/chair.html.j2; logs name user ids and message ids only.
"""

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum, auto
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes, ConversationHandler

from bot.chat.access import actor, sender_id, staff_role
from bot.chat.chair import calls
from bot.chat.chair.calls import refusal, say
from bot.chat.chair.markdown import markdown_of
from bot.chat.chair.preview import send_preview
from bot.chat.common import answer, reply, services
from bot.chat.persistence import Codec
from storage.chair import SUBJECT_MAX, ChairError
from storage.chair_audience import CHAIR_LANGUAGES

__all__ = ["CONVERSATION_KEY", "CONVERSATION_TIMEOUT", "DRAFT_CODEC", "LANGUAGE_PATTERN",
           "MORE_PATTERN", "NAME", "STALE_PATTERN", "Step", "begin", "on_body", "on_cancel",
           "on_language", "on_more", "on_not_text", "on_stale_button", "on_subject"]

log = logging.getLogger(__name__)

CONVERSATION_TIMEOUT = timedelta(minutes=30)
CONVERSATION_KEY = "chair_conversation"  # the key of context.user_data: the draft
NAME = "chair"  # the ConversationHandler's name: its states are stored under it
LANGUAGE_PATTERN = r"^chair:lang:\w+$"
MORE_PATTERN = r"^chair:(more|done)$"
STALE_PATTERN = r"^chair:(lang:\w+|more|done)$"  # the same buttons, once it is over

Context = ContextTypes.DEFAULT_TYPE


class Step(Enum):
    LANGUAGE = auto()
    SUBJECT = auto()
    BODY = auto()
    MORE = auto()


@dataclass
class _Draft:
    message_id: int | None  # None: a new message
    last_seen: datetime
    language: str = ""
    subject: str = ""
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)  # (subject, Markdown)

    def to_dict(self) -> dict[str, Any]:
        return {"message_id": self.message_id, "last_seen": self.last_seen.isoformat(),
                "language": self.language, "subject": self.subject,
                "texts": {language: list(text) for language, text in self.texts.items()}}

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> "_Draft":
        message_id = stored.get("message_id")
        return cls(message_id=None if message_id is None else int(message_id),
                   last_seen=datetime.fromisoformat(stored["last_seen"]),
                   language=str(stored.get("language", "")),
                   subject=str(stored.get("subject", "")),
                   texts={str(language): (str(text[0]), str(text[1]))
                          for language, text in stored.get("texts", {}).items()})


def _encode(current: object, now: datetime) -> dict[str, Any] | None:
    """The draft as JSON; not written once idle for CONVERSATION_TIMEOUT (a copy read back
    after a restart still is kept in memory: its next message says it timed out)."""
    if not isinstance(current, _Draft) or now - current.last_seen > CONVERSATION_TIMEOUT:
        return None
    return current.to_dict()


def _decode(stored: dict[str, Any], now: datetime) -> _Draft:
    return _Draft.from_dict(stored)


# The /chair draft in user_data, across restarts (bot.chat.persistence).
DRAFT_CODEC = Codec(encode=_encode, decode=_decode)


def _language_keyboard() -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(f"{say('language_name', code=code)} ({code})",
                                    callback_data=f"chair:lang:{code}")
               for code in CHAIR_LANGUAGES]
    return InlineKeyboardMarkup([buttons[:3], buttons[3:]])


def _fresh(context: Context) -> _Draft | None:
    """The person's draft if it is still fresh (then marked as seen now)."""
    data = context.user_data
    current = None if data is None else data.get(CONVERSATION_KEY)
    if not isinstance(current, _Draft):
        return None
    now = services(context).clock()
    if now - current.last_seen > CONVERSATION_TIMEOUT:
        return None
    current.last_seen = now
    return current


def _forget(context: Context) -> None:
    if context.user_data is not None:
        context.user_data.pop(CONVERSATION_KEY, None)


async def _timed_out(update: Update, context: Context) -> object:
    _forget(context)
    if update.callback_query is not None:
        await answer(update.callback_query)
    minutes = int(CONVERSATION_TIMEOUT.total_seconds() // 60)
    await reply(update, say("conversation_timed_out", minutes=minutes))
    return ConversationHandler.END


async def begin(update: Update, context: Context, message_id: int | None) -> object:
    """A new draft (of message `message_id`, or of a new one): which language first?"""
    if context.user_data is None:
        return ConversationHandler.END
    context.user_data[CONVERSATION_KEY] = _Draft(message_id=message_id,
                                                 last_seen=services(context).clock())
    await reply(update, say("choose_language", message_id=message_id), _language_keyboard())
    return Step.LANGUAGE


async def on_language(update: Update, context: Context) -> object:
    current = _fresh(context)
    if current is None:
        return await _timed_out(update, context)
    query = update.callback_query
    if query is not None:
        await answer(query)
        language = str(query.data).rsplit(":", 1)[1]
    else:
        message = update.effective_message
        language = (message.text or "").strip().lower() if message else ""
    if language not in CHAIR_LANGUAGES:
        await reply(update, say("language_typed_usage", codes=CHAIR_LANGUAGES),
                    _language_keyboard())
        return Step.LANGUAGE
    current.language = language
    await reply(update, say("ask_subject", language=language))
    return Step.SUBJECT


async def on_subject(update: Update, context: Context) -> object:
    current = _fresh(context)
    if current is None:
        return await _timed_out(update, context)
    message = update.effective_message
    subject = " ".join((message.text or "").split()) if message else ""
    if not subject:
        await reply(update, say("empty_text"))
        return Step.SUBJECT
    if len(subject) > SUBJECT_MAX:
        await reply(update, say("subject_too_long", limit=SUBJECT_MAX))
        return Step.SUBJECT
    current.subject = subject
    await reply(update, say("ask_body", language=current.language))
    return Step.BODY


async def on_body(update: Update, context: Context) -> object:
    current = _fresh(context)
    if current is None:
        return await _timed_out(update, context)
    message = update.effective_message
    markdown = markdown_of(message.text_html) if message and message.text else ""
    if not markdown.strip():
        await reply(update, say("empty_text"))
        return Step.BODY
    current.texts[current.language] = (current.subject, markdown)
    await reply(update, say("written", languages=list(current.texts)),
                InlineKeyboardMarkup([[
                    InlineKeyboardButton(say("another_button"), callback_data="chair:more"),
                    InlineKeyboardButton(say("done_button"), callback_data="chair:done")]]))
    return Step.MORE


async def on_not_text(update: Update, context: Context) -> object:
    """A photo, a file...: the subject and the body are text."""
    await reply(update, say("not_text"))
    return None


async def on_more(update: Update, context: Context) -> object:
    current = _fresh(context)
    if current is None:
        return await _timed_out(update, context)
    if update.callback_query is None:  # typed instead of pressed
        await reply(update, say("press_a_button"))
        return Step.MORE
    await answer(update.callback_query)
    if update.callback_query.data == "chair:more":
        await reply(update, say("choose_language", message_id=current.message_id),
                    _language_keyboard())
        return Step.LANGUAGE
    return await _done(update, context, current)


async def _done(update: Update, context: Context, current: _Draft) -> object:
    """Save every language written, then send the writer the preview."""
    if await staff_role(update, context) is None:  # the role was taken away meanwhile
        _forget(context)
        return ConversationHandler.END
    user_id = sender_id(update) or 0
    found = services(context)
    try:
        saved = await asyncio.to_thread(calls.save_bodies, found.engine, current.message_id,
                                        dict(current.texts), actor(update), found.clock())
    except ChairError as error:  # e.g. released by the time Done was pressed
        _forget(context)
        await reply(update, refusal(error))
        return ConversationHandler.END
    except Exception:
        log.exception("telegram /chair by user %s: not saved", user_id)
        await reply(update, say("failed"))  # the conversation stays: Done again
        return Step.MORE
    _forget(context)
    log.info("telegram /chair by user %s: message %s saved (%s)", user_id,
             saved.message_id, ", ".join(current.texts))
    await reply(update, say("saved", message_id=saved.message_id, created=saved.created,
                            returned_to_draft=saved.returned_to_draft))
    chat = update.effective_chat
    if chat is not None:
        try:
            await send_preview(context.bot, chat.id, found.engine, saved.message_id)
        except (TelegramError, ChairError) as error:  # saved all the same: say so
            log.warning("telegram /chair preview %s not sent (%s)", saved.message_id,
                        type(error).__name__)
            await reply(update, say("preview_not_sent", message_id=saved.message_id))
    return ConversationHandler.END


async def on_cancel(update: Update, context: Context) -> object:
    """/cancel at any step: nothing saved."""
    _forget(context)
    await reply(update, say("conversation_cancelled"))
    return ConversationHandler.END


async def on_stale_button(update: Update, context: Context) -> None:
    """A language or Done button of a conversation that is over (STALE_PATTERN)."""
    if update.callback_query is not None:
        await answer(update.callback_query)
        await reply(update, say("conversation_over"))
