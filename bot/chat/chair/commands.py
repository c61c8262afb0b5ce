"""The Chair's quarterly messages in the staff's chat: /chair and its buttons.

    /chair new | edit ID           write one, language by language (bot.chat.chair.conversation)
    /chair preview ID              what PoCs will receive (bot.chat.chair.preview)
    /chair approve ID              four eyes: not the writer
    /chair schedule ID now|default|YYYY-MM-DD HH:MM   the send time, New York time
    /chair audience ID all|key=value...               who receives it (bot.chat.chair.audience)
    /chair cancel ID | status ID | list

    buttons  chair:approve:<id>:<revision>  chair:when:<id>  chair:schedule:<id>:now|default
             chair:cancel:<id>  chair:retry:<id> ("Retry failed" under /chair status)

Only staff and admins: anyone else gets bot.chat.access's polite refusal. The rules are
storage.chair's (four eyes, an edit sends an approved message back to draft, no cancel once
a delivery left); this module asks, and says what storage answered (bot.chat.chair.calls),
with the words of templates/chat/en/chair.html.j2; a failure of the database or of Telegram
is said too, never silence. Writes are audited as actor "telegram:<user id>". /chair is
the entry point of the writing conversation, whose ConversationHandler is assembled here
(chair_conversation): the other subcommands answer at once and leave a conversation under
way as it is. Logs name user ids and message ids only.
"""

import asyncio
import logging
import re
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.chat.access import actor, sender_id, staff_role
from bot.chat.chair import audience, calls
from bot.chat.chair import conversation as steps
from bot.chat.chair.calls import SendTimeError, refusal, say
from bot.chat.chair.preview import send_preview
from bot.chat.common import answer, reply, services
from storage.chair import ChairError

__all__ = ["BUTTON_PATTERN", "chair_conversation", "on_button", "on_chair"]

log = logging.getLogger(__name__)

BUTTON_PATTERN = r"^chair:(approve|when|schedule|cancel|retry):(\d{1,12})(?::(\w{1,10}))?$"
_ID = re.compile(r"\d{1,12}")

Context = ContextTypes.DEFAULT_TYPE


def _message_id(args: list[str]) -> int | None:
    """The ID after the subcommand, or None when there is none or it is not a number."""
    return int(args[1]) if len(args) >= 2 and _ID.fullmatch(args[1]) else None


async def on_chair(update: Update, context: Context) -> object:
    """/chair SUBCOMMAND ...: a new conversation for new and edit; the rest answers at
    once and leaves a conversation under way as it is (None keeps its step)."""
    if await staff_role(update, context) is None:
        return None
    args = list(context.args or [])
    action = args[0].lower() if args else ""
    user_id = sender_id(update) or 0
    if action == "new":
        log.info("telegram /chair new by user %s", user_id)
        return await steps.begin(update, context, None)
    if action == "list":
        await reply(update, await asyncio.to_thread(calls.listing, services(context).engine))
        return None
    actions: dict[str, Callable[[int, list[str]], Awaitable[object]]] = {
        "edit": lambda message_id, _: _write_again(update, context, message_id),
        "preview": lambda message_id, _: _preview(update, context, message_id),
        "approve": lambda message_id, _: _act(update, context, calls.approve, message_id,
                                              None),
        "schedule": lambda message_id, rest: _schedule(update, context, message_id, rest),
        "audience": lambda message_id, rest: _act(update, context, audience.set_audience,
                                                  message_id, rest),
        "cancel": lambda message_id, _: _act(update, context, calls.cancel, message_id),
        "status": lambda message_id, _: _status(update, context, message_id),
    }
    message_id = _message_id(args)
    if action not in actions:
        await reply(update, say("usage"))
        return None
    if message_id is None:
        await reply(update, await _usage(context, action))
        return None
    log.info("telegram /chair %s %s by user %s", action, message_id, user_id)
    try:
        return await actions[action](message_id, args[2:])
    except ChairError as error:
        log.info("telegram /chair %s %s by user %s refused: %s", action, message_id,
                 user_id, error.code)
        await reply(update, refusal(error))
    except Exception:  # the database or Telegram failed: say so, never stay silent
        log.exception("telegram /chair %s %s by user %s failed", action, message_id,
                      user_id)
        await reply(update, say("went_wrong"))
    return None


async def _usage(context: Context, action: str) -> str:
    """How to write the subcommand: its ID is missing or not a number."""
    if action == "audience":  # its usage lists the values, some from the database
        return await asyncio.to_thread(audience.usage, services(context).engine)
    if action == "schedule":
        return say("schedule_usage")
    return say("id_usage", action=action)


async def _write_again(update: Update, context: Context, message_id: int) -> object:
    """/chair edit ID: the writing conversation, once storage says it may still change."""
    await asyncio.to_thread(calls.check_editable, services(context).engine, message_id)
    return await steps.begin(update, context, message_id)


async def _preview(update: Update, context: Context, message_id: int) -> None:
    chat = update.effective_chat
    if chat is not None:
        await send_preview(context.bot, chat.id, services(context).engine, message_id)


async def _act(update: Update, context: Context, call: Callable[..., str], message_id: int,
               *extra: Any) -> None:
    """A write of storage.chair, as this person, now; its sentence as the answer."""
    found = services(context)
    text = await asyncio.to_thread(call, found.engine, message_id, *extra, actor(update),
                                   found.clock())
    await reply(update, text)


async def _schedule(update: Update, context: Context, message_id: int,
                    words: list[str]) -> None:
    try:
        send_at = calls.parse_send_time(words, services(context).clock())
    except SendTimeError as error:
        await reply(update, error.text)
        return
    await _act(update, context, calls.schedule, message_id, send_at)


async def _status(update: Update, context: Context, message_id: int) -> None:
    text, failed = await asyncio.to_thread(calls.status_view, services(context).engine,
                                           message_id)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(
        say("retry_button"), callback_data=f"chair:retry:{message_id}")]]) if failed else None
    await reply(update, text, markup)


async def _send_time_choice(update: Update, context: Context, message_id: int) -> None:
    text = await asyncio.to_thread(calls.send_time, services(context).engine, message_id)
    await reply(update, text, InlineKeyboardMarkup([[
        InlineKeyboardButton(say("now_button"),
                             callback_data=f"chair:schedule:{message_id}:now"),
        InlineKeyboardButton(say("default_button"),
                             callback_data=f"chair:schedule:{message_id}:default")]]))


async def on_button(update: Update, context: Context) -> None:
    """A button under a preview, a send time or a status (BUTTON_PATTERN)."""
    query = update.callback_query
    if query is None or not isinstance(query.data, str):
        return
    match = re.fullmatch(BUTTON_PATTERN, query.data)
    if match is None:
        return
    await answer(query)
    if await staff_role(update, context) is None:
        return
    action, message_id, extra = match.group(1), int(match.group(2)), match.group(3)
    user_id = query.from_user.id
    log.info("telegram /chair button %s %s by user %s", action, message_id, user_id)
    try:
        if action == "approve":
            revision = int(extra) if extra and extra.isdigit() else None
            await _act(update, context, calls.approve, message_id, revision)
        elif action == "when":
            await _send_time_choice(update, context, message_id)
        elif action == "schedule":
            await _schedule(update, context, message_id, [extra or ""])
        elif action == "cancel":
            await _act(update, context, calls.cancel, message_id)
        else:
            await _act(update, context, calls.retry, message_id)
    except ChairError as error:
        log.info("telegram /chair button %s %s by user %s refused: %s", action,
                 message_id, user_id, error.code)
        await reply(update, refusal(error))
    except Exception:
        log.exception("telegram /chair button %s %s by user %s failed", action,
                      message_id, user_id)
        await reply(update, say("went_wrong"))


def chair_conversation(persistent: bool = False) -> ConversationHandler[Any]:
    """/chair with every subcommand; new and edit go on as the writing conversation (its
    states: bot.chat.chair.conversation.Step; `persistent`: kept under its NAME)."""
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        # The language and Done buttons belong to the one conversation of this person in
        # this chat, so PTB's advice to track conversations per message does not apply.
        warnings.filterwarnings("ignore", message=".*per_message=False.*",
                                category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler("chair", on_chair)],
            states={
                steps.Step.LANGUAGE: [
                    CallbackQueryHandler(steps.on_language, pattern=steps.LANGUAGE_PATTERN),
                    MessageHandler(text, steps.on_language)],
                steps.Step.SUBJECT: [MessageHandler(text, steps.on_subject),
                                     MessageHandler(~filters.COMMAND, steps.on_not_text)],
                steps.Step.BODY: [MessageHandler(text, steps.on_body),
                                  MessageHandler(~filters.COMMAND, steps.on_not_text)],
                steps.Step.MORE: [
                    CallbackQueryHandler(steps.on_more, pattern=steps.MORE_PATTERN),
                    MessageHandler(text, steps.on_more)],
            },
            fallbacks=[CommandHandler("cancel", steps.on_cancel)],
            allow_reentry=True,
            name=steps.NAME,
            persistent=persistent,
        )
