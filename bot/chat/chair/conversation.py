"""The Chair's quarterly messages in the staff's chat: /chair and its buttons.

    /chair new | edit ID | preview ID | approve ID | schedule ID now|default|YYYY-MM-DD HH:MM
          | audience ID all|key=value... | cancel ID | status ID | list

Only staff and admins: anyone else gets the staff bot's polite refusal (the `staff_role`
check of bot.chat.staff, passed in). The rules are storage.chair's (four eyes, an edit sends
an approved message back to draft, no cancel once a delivery left); this module asks, and
says what storage answered, with the words of templates/chat/<language>/chair.html.j2.
Writes are audited as actor "telegram:<user id>". The audience's words are read by
bot.chat.chair.audience (the CLI's keys and values).

`/chair new` and `/chair edit ID` are a short conversation (ConversationHandler, states in
`Step`), one language at a time; nothing is saved before Done:

    /chair new, /chair edit ID
            │
            ▼
        LANGUAGE ──(button ar…es, or the code typed)──▶ SUBJECT ──(text)──▶ BODY
            ▲                                                                │(text, with
            └──────────────(Add another language)──────── MORE ◀────────────┘ formatting)
                                                            │(Done)
                                   saved as draft, preview sent to the writer ◀┘
    /cancel at any step: nothing saved. Idle for CONVERSATION_TIMEOUT: dropped at the next
    message (the reply bot runs without a job queue, so the clock is read, as /log does).
    The draft (user_data, DRAFT_CODEC) and the step survive a restart
    (bot.chat.persistence).

The body keeps the formatting typed in Telegram (bold, italic, links...), converted to the
Markdown the storage keeps (bot.chat.chair.markdown). The preview sent after Done and by
`/chair preview ID` is, per language, the Telegram message exactly as a PoC receives it,
the e-mail as two files (HTML and text), then the recipients table with the buttons Approve
(`chair:approve:<id>:<revision>`: approving a text that changed since is refused), Send time
and Cancel. `/chair status ID` has a "Retry failed" button (`chair:retry:<id>`) when some
deliveries failed. Logs name user ids and message ids only.
"""

import asyncio
import logging
import re
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum, auto
from typing import Any

from sqlalchemy import Engine
from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.chat.chair import audience, calls
from bot.chat.chair.calls import SendTimeError, refusal, say
from bot.chat.chair.markdown import markdown_of
from bot.chat.persistence import Codec
from storage.chair import SUBJECT_MAX, ChairError, ChairState
from storage.chair_audience import CHAIR_LANGUAGES
from storage.staff import StaffRole

__all__ = ["CONVERSATION_KEY", "CONVERSATION_TIMEOUT", "DRAFT_CODEC", "NAME", "Step",
           "add_chair_handlers"]

log = logging.getLogger(__name__)

CONVERSATION_TIMEOUT = timedelta(minutes=30)
_KEY = CONVERSATION_KEY = "chair_conversation"  # the key of context.user_data: the draft
NAME = "chair"  # the ConversationHandler's name: its states are stored under it
_BUTTON_PATTERN = r"^chair:(approve|when|schedule|cancel|retry):(\d{1,12})(?::(\w{1,10}))?$"
_STALE_PATTERN = r"^chair:(lang:\w+|more|done)$"
_ID = re.compile(r"\d{1,12}")

App = Application[Any, Any, Any, Any, Any, Any]
StaffCheck = Callable[[Update], Awaitable[StaffRole | None]]


class Step(Enum):
    LANGUAGE = auto()
    SUBJECT = auto()
    BODY = auto()
    MORE = auto()


@dataclass
class _Conversation:
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
    def from_dict(cls, stored: dict[str, Any]) -> "_Conversation":
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
    if not isinstance(current, _Conversation) or now - current.last_seen > CONVERSATION_TIMEOUT:
        return None
    return current.to_dict()


def _decode(stored: dict[str, Any], now: datetime) -> _Conversation:
    return _Conversation.from_dict(stored)


# The /chair draft in user_data, across restarts (bot.chat.persistence).
DRAFT_CODEC = Codec(encode=_encode, decode=_decode)


def _actor(update: Update) -> str:
    user = update.effective_user
    return f"telegram:{0 if user is None else user.id}"


def _message_id(args: list[str]) -> int | None:
    """The ID after the subcommand, or None when there is none or it is not a number."""
    return int(args[1]) if len(args) >= 2 and _ID.fullmatch(args[1]) else None


def _language_keyboard() -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(f"{say('language_name', code=code)} ({code})",
                                    callback_data=f"chair:lang:{code}")
               for code in CHAIR_LANGUAGES]
    return InlineKeyboardMarkup([buttons[:3], buttons[3:]])


def _preview_keyboard(message_id: int, revision: int, state: str) -> InlineKeyboardMarkup:
    row = []
    if state == ChairState.DRAFT:
        row.append(InlineKeyboardButton(say("approve_button"),
                                        callback_data=f"chair:approve:{message_id}:{revision}"))
    if state in (ChairState.DRAFT, ChairState.APPROVED):
        row.append(InlineKeyboardButton(say("send_time_button"),
                                        callback_data=f"chair:when:{message_id}"))
    if state not in (ChairState.SENT, ChairState.CANCELLED):
        row.append(InlineKeyboardButton(say("cancel_button"),
                                        callback_data=f"chair:cancel:{message_id}"))
    return InlineKeyboardMarkup([row])


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML,
                                                  reply_markup=markup)


async def _answer(query: CallbackQuery, text: str | None = None) -> None:
    """Stop the button's spinner; a refusal (query too old) is logged, not raised."""
    try:
        await query.answer(text=text)
    except TelegramError as error:
        log.warning("telegram /chair button: callback not answered (%s)", type(error).__name__)


async def send_preview(bot: Bot, chat_id: int, engine: Engine, message_id: int) -> None:
    """Per language: a header, the PoC's Telegram message as is, the e-mail as .html and
    .txt; then the recipients table with the buttons. Raises MessageNotFound."""
    parts = await asyncio.to_thread(calls.preview_of, engine, message_id)
    for language, subject, telegram, email_html, email_text in parts.languages:
        await bot.send_message(chat_id, say("preview_header", message_id=message_id,
                                            revision=parts.revision, language=language,
                                            subject=subject), parse_mode=ParseMode.HTML)
        try:  # exactly as the dispatcher sends it (bot.channels.telegram)
            await bot.send_message(chat_id, telegram, parse_mode=ParseMode.HTML,
                                   link_preview_options=LinkPreviewOptions(is_disabled=True))
        except TelegramError as error:  # too long, or markup Telegram refuses: PoCs would fail
            log.warning("telegram /chair preview %s (%s): refused (%s)", message_id, language,
                        type(error).__name__)
            await bot.send_message(chat_id, say("telegram_refused", language=language,
                                                reason=error.message),
                                   parse_mode=ParseMode.HTML)
        for kind, content in (("html", email_html), ("txt", email_text)):
            await bot.send_document(chat_id, content.encode("utf-8"),
                                    filename=f"chair-{message_id}-{language}.{kind}",
                                    caption=say("email_caption", language=language, kind=kind),
                                    parse_mode=ParseMode.HTML)
    await bot.send_message(chat_id, parts.summary, parse_mode=ParseMode.HTML,
                           reply_markup=_preview_keyboard(message_id, parts.revision,
                                                          parts.state))


def add_chair_handlers(application: App, engine: Engine, clock: Callable[[], datetime],
                       staff_role: StaffCheck) -> None:
    """Register /chair (with its conversation) and its buttons. Call it before any
    catch-all command handler of the same group."""

    def conversation(context: ContextTypes.DEFAULT_TYPE) -> _Conversation | None:
        """The person's conversation if it is still fresh (then marked as seen now)."""
        data = context.user_data
        current = None if data is None else data.get(_KEY)
        if not isinstance(current, _Conversation):
            return None
        now = clock()
        if now - current.last_seen > CONVERSATION_TIMEOUT:
            return None
        current.last_seen = now
        return current

    def forget(context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.user_data is not None:
            context.user_data.pop(_KEY, None)

    async def timed_out(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
        forget(context)
        if update.callback_query is not None:
            await _answer(update.callback_query)
        minutes = int(CONVERSATION_TIMEOUT.total_seconds() // 60)
        await _reply(update, say("conversation_timed_out", minutes=minutes))
        return ConversationHandler.END

    async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE,
                    message_id: int | None) -> object:
        if context.user_data is None:
            return ConversationHandler.END
        context.user_data[_KEY] = _Conversation(message_id=message_id, last_seen=clock())
        await _reply(update, say("choose_language", message_id=message_id),
                     _language_keyboard())
        return Step.LANGUAGE

    async def on_chair(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
        """/chair SUBCOMMAND ...: a new conversation for new and edit; the rest answers at
        once and leaves a conversation under way as it is (None keeps its step)."""
        if await staff_role(update) is None:
            return None
        args = list(context.args or [])
        action = args[0].lower() if args else ""
        user_id = update.effective_user.id if update.effective_user else 0
        if action == "new":
            log.info("telegram /chair new by user %s", user_id)
            return await begin(update, context, None)
        if action == "list":
            await _reply(update, await asyncio.to_thread(calls.listing, engine))
            return None
        actions: dict[str, Callable[[int, list[str]], Awaitable[object]]] = {
            "edit": lambda message_id, _: edit(update, context, message_id),
            "preview": lambda message_id, _: preview(update, message_id),
            "approve": lambda message_id, _: act(update, calls.approve, message_id, None),
            "schedule": lambda message_id, rest: schedule(update, message_id, rest),
            "audience": lambda message_id, rest: act(update, audience.set_audience,
                                                     message_id, rest),
            "cancel": lambda message_id, _: act(update, calls.cancel, message_id),
            "status": lambda message_id, _: status(update, message_id),
        }
        message_id = _message_id(args)
        if action not in actions:
            await _reply(update, say("usage"))
            return None
        if message_id is None:
            if action == "audience":  # its usage lists the values, some from the database
                text = await asyncio.to_thread(audience.usage, engine)
            else:
                text = (say("schedule_usage") if action == "schedule"
                        else say("id_usage", action=action))
            await _reply(update, text)
            return None
        log.info("telegram /chair %s %s by user %s", action, message_id, user_id)
        try:
            return await actions[action](message_id, args[2:])
        except ChairError as error:
            log.info("telegram /chair %s %s by user %s refused: %s", action, message_id,
                     user_id, error.code)
            await _reply(update, refusal(error))
        except Exception:  # the database or Telegram failed: say so, never stay silent
            log.exception("telegram /chair %s %s by user %s failed", action, message_id,
                          user_id)
            await _reply(update, say("went_wrong"))
        return None

    async def edit(update: Update, context: ContextTypes.DEFAULT_TYPE,
                   message_id: int) -> object:
        await asyncio.to_thread(calls.check_editable, engine, message_id)
        return await begin(update, context, message_id)

    async def preview(update: Update, message_id: int) -> None:
        chat = update.effective_chat
        if chat is not None:
            await send_preview(application.bot, chat.id, engine, message_id)

    async def act(update: Update, call: Callable[..., str], message_id: int,
                  *extra: Any) -> None:
        """A write of storage.chair, as this person, now; its sentence as the answer."""
        text = await asyncio.to_thread(call, engine, message_id, *extra, _actor(update),
                                       clock())
        await _reply(update, text)

    async def schedule(update: Update, message_id: int, words: list[str]) -> None:
        try:
            send_at = calls.parse_send_time(words, clock())
        except SendTimeError as error:
            await _reply(update, error.text)
            return
        await act(update, calls.schedule, message_id, send_at)

    async def status(update: Update, message_id: int) -> None:
        text, failed = await asyncio.to_thread(calls.status_view, engine, message_id)
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(
            say("retry_button"), callback_data=f"chair:retry:{message_id}")]]) if failed else None
        await _reply(update, text, markup)

    # -- the conversation's steps ----------------------------------------------------------

    async def on_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
        current = conversation(context)
        if current is None:
            return await timed_out(update, context)
        query = update.callback_query
        if query is not None:
            await _answer(query)
            language = str(query.data).rsplit(":", 1)[1]
        else:
            message = update.effective_message
            language = (message.text or "").strip().lower() if message else ""
        if language not in CHAIR_LANGUAGES:
            await _reply(update, say("language_typed_usage", codes=CHAIR_LANGUAGES),
                         _language_keyboard())
            return Step.LANGUAGE
        current.language = language
        await _reply(update, say("ask_subject", language=language))
        return Step.SUBJECT

    async def on_subject(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
        current = conversation(context)
        if current is None:
            return await timed_out(update, context)
        message = update.effective_message
        subject = " ".join((message.text or "").split()) if message else ""
        if not subject:
            await _reply(update, say("empty_text"))
            return Step.SUBJECT
        if len(subject) > SUBJECT_MAX:
            await _reply(update, say("subject_too_long", limit=SUBJECT_MAX))
            return Step.SUBJECT
        current.subject = subject
        await _reply(update, say("ask_body", language=current.language))
        return Step.BODY

    async def on_body(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
        current = conversation(context)
        if current is None:
            return await timed_out(update, context)
        message = update.effective_message
        markdown = markdown_of(message.text_html) if message and message.text else ""
        if not markdown.strip():
            await _reply(update, say("empty_text"))
            return Step.BODY
        current.texts[current.language] = (current.subject, markdown)
        await _reply(update, say("written", languages=list(current.texts)),
                     InlineKeyboardMarkup([[
                         InlineKeyboardButton(say("another_button"), callback_data="chair:more"),
                         InlineKeyboardButton(say("done_button"), callback_data="chair:done")]]))
        return Step.MORE

    async def on_not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
        await _reply(update, say("not_text"))
        return None

    async def on_more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
        current = conversation(context)
        if current is None:
            return await timed_out(update, context)
        if update.callback_query is None:  # typed instead of pressed
            await _reply(update, say("press_a_button"))
            return Step.MORE
        await _answer(update.callback_query)
        if update.callback_query.data == "chair:more":
            await _reply(update, say("choose_language", message_id=current.message_id),
                         _language_keyboard())
            return Step.LANGUAGE
        return await done(update, context, current)

    async def done(update: Update, context: ContextTypes.DEFAULT_TYPE,
                   current: _Conversation) -> object:
        if await staff_role(update) is None:  # the role was taken away meanwhile
            forget(context)
            return ConversationHandler.END
        user_id = update.effective_user.id if update.effective_user else 0
        try:
            saved = await asyncio.to_thread(calls.save_bodies, engine, current.message_id,
                                            dict(current.texts), _actor(update), clock())
        except ChairError as error:  # e.g. released by the time Done was pressed
            forget(context)
            await _reply(update, refusal(error))
            return ConversationHandler.END
        except Exception:
            log.exception("telegram /chair by user %s: not saved", user_id)
            await _reply(update, say("failed"))  # the conversation stays: Done again
            return Step.MORE
        forget(context)
        log.info("telegram /chair by user %s: message %s saved (%s)", user_id,
                 saved.message_id, ", ".join(current.texts))
        await _reply(update, say("saved", message_id=saved.message_id, created=saved.created,
                                 returned_to_draft=saved.returned_to_draft))
        chat = update.effective_chat
        if chat is not None:
            try:
                await send_preview(application.bot, chat.id, engine, saved.message_id)
            except (TelegramError, ChairError) as error:  # saved all the same: say so
                log.warning("telegram /chair preview %s not sent (%s)", saved.message_id,
                            type(error).__name__)
                await _reply(update, say("preview_not_sent", message_id=saved.message_id))
        return ConversationHandler.END

    async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
        forget(context)
        await _reply(update, say("conversation_cancelled"))
        return ConversationHandler.END

    # -- buttons outside the conversation ---------------------------------------------------

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or not isinstance(query.data, str):
            return
        match = re.fullmatch(_BUTTON_PATTERN, query.data)
        if match is None:
            return
        await _answer(query)
        if await staff_role(update) is None:
            return
        action, message_id, extra = match.group(1), int(match.group(2)), match.group(3)
        log.info("telegram /chair button %s %s by user %s", action, message_id,
                 query.from_user.id)
        try:
            if action == "approve":
                revision = int(extra) if extra and extra.isdigit() else None
                await act(update, calls.approve, message_id, revision)
            elif action == "when":
                await send_time_choice(update, message_id)
            elif action == "schedule":
                await schedule(update, message_id, [extra or ""])
            elif action == "cancel":
                await act(update, calls.cancel, message_id)
            else:
                await act(update, calls.retry, message_id)
        except ChairError as error:
            log.info("telegram /chair button %s %s by user %s refused: %s", action,
                     message_id, query.from_user.id, error.code)
            await _reply(update, refusal(error))
        except Exception:
            log.exception("telegram /chair button %s %s by user %s failed", action,
                          message_id, query.from_user.id)
            await _reply(update, say("went_wrong"))

    async def send_time_choice(update: Update, message_id: int) -> None:
        text = await asyncio.to_thread(calls.send_time, engine, message_id)
        await _reply(update, text, InlineKeyboardMarkup([[
            InlineKeyboardButton(say("now_button"),
                                 callback_data=f"chair:schedule:{message_id}:now"),
            InlineKeyboardButton(say("default_button"),
                                 callback_data=f"chair:schedule:{message_id}:default")]]))

    async def on_stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await _answer(update.callback_query)
            await _reply(update, say("conversation_over"))

    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        # The language and Done buttons belong to the one conversation of this person in
        # this chat, so PTB's advice to track conversations per message does not apply.
        warnings.filterwarnings("ignore", message=".*per_message=False.*",
                                category=PTBUserWarning)
        chair_conversation = ConversationHandler(
            entry_points=[CommandHandler("chair", on_chair)],
            states={
                Step.LANGUAGE: [CallbackQueryHandler(on_language, pattern=r"^chair:lang:\w+$"),
                                MessageHandler(text, on_language)],
                Step.SUBJECT: [MessageHandler(text, on_subject),
                               MessageHandler(~filters.COMMAND, on_not_text)],
                Step.BODY: [MessageHandler(text, on_body),
                            MessageHandler(~filters.COMMAND, on_not_text)],
                Step.MORE: [CallbackQueryHandler(on_more, pattern=r"^chair:(more|done)$"),
                            MessageHandler(text, on_more)],
            },
            fallbacks=[CommandHandler("cancel", on_cancel)],
            allow_reentry=True,
            name=NAME,
            persistent=application.persistence is not None,
        )
    application.add_handler(chair_conversation)
    application.add_handler(CallbackQueryHandler(on_button, pattern=_BUTTON_PATTERN))
    application.add_handler(CallbackQueryHandler(on_stale_button, pattern=_STALE_PATTERN))
