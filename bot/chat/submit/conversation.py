"""A PoC sends a document to the secretariat in the chat (bot/chat/submit/conversation.mmd):

    /submit -> what it is [national report | additional information | action plan |
               response to a letter | comments on the draft matrix, only while the
               party's draft matrix review awaits its answer] -> (which letter, when the
               party has several open; bot.chat.submit.letters) -> the file ->
               "Send ... as ...?" [Send | Cancel]

Send fetches the file through the Bot API (getFile, then its file URL) and records it for
the PoC's own State or organisation (storage.inbox.store.receive: checked by content, at most
OUTREACH_UPLOAD_MAX_BYTES, a duplicate recorded as such); the PoC is told, in their language,
that it was received, was already received, or was refused and why (nothing kept); staff are
told at once (bot.chat.inbox_notice). /cancel at any step writes nothing; a conversation
left without an answer for the Services' `log_timeout` is dropped.

Who: only the PoC the chat is bound to (bot.chat.access.poc_role; anyone else is told the
command is for PoCs). One conversation per person and chat; the draft (Telegram's file_id,
never the bytes) and the step survive a restart (bot.chat.persistence, DRAFTS_KEY with
draft_codec, NAME with Step). Words: templates/inbox/en/telegram.html.j2 (domain inbox).
Logs name chat ids, PoC ids and document ids only.
"""

import asyncio
import logging
import warnings
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.chat.access import poc_role
from bot.chat.common import answer, edit, reply, send, services
from bot.chat.inbox import place
from bot.chat.inbox_notice import announce
from bot.chat.submit.draft import DRAFTS_KEY, Draft, Step, draft_codec, drafts, key
from bot.chat.submit.letters import LETTER_PATTERN, OpenLetter, callback_data, chosen, open_letters
from bot.render.templates import macro
from storage.db import session_scope
from storage.inbox import store
from storage.inbox.model import InboxChannel, InboxStatus, Purpose
from storage.matrices import reviews
from storage.parties import Party
from storage.party_names import party_name

__all__ = ["DRAFTS_KEY", "NAME", "STALE_PATTERN", "Step", "draft_codec", "on_stale",
           "submit_conversation", "words"]

log = logging.getLogger(__name__)

NAME = "poc_submit"
TEMPLATE = "inbox/telegram.html.j2"
STALE_PATTERN = r"^ps:"
Context = ContextTypes.DEFAULT_TYPE


def words(message: str, language: str, /, **params: Any) -> str:
    return macro(TEMPLATE, message, language, **params)


def _limit_mb(context: Context) -> float:
    return round(place(context).max_bytes / 1024 / 1024, 1)


def _purposes(language: str, review_awaits: bool) -> InlineKeyboardMarkup:
    """A button per purpose; "comments on the draft matrix" only while the party's review
    awaits its answer (the store refuses such comments otherwise)."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(
        words("purpose_button", language, purpose=purpose.value),
        callback_data=f"ps:purpose:{purpose.value}")] for purpose in Purpose
        if review_awaits or purpose != Purpose.MATRIX_COMMENTS])


def _letters(found: list[OpenLetter], language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(
        words("letter_button", language, sent=item.sent_on, due=item.due_on),
        callback_data=callback_data(item.letter_id))] for item in found])


def _confirm(language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(words("send_button", language), callback_data="ps:confirm:send"),
        InlineKeyboardButton(words("cancel_button", language),
                             callback_data="ps:confirm:cancel")]])


def _party(engine: Any, party_id: int, language: str) -> tuple[str, bool]:
    """The party's name, and whether a draft matrix review of it awaits its answer."""
    with session_scope(engine) as session:
        party = session.get(Party, party_id)
        awaits = reviews.awaiting(session=session, party_id=party_id) is not None
        return (party_name(party, language).text if party else ""), awaits


async def _current(update: Update, context: Context) -> Draft | None:
    """The PoC's draft, marked seen; None (and the PoC told) when it is gone or waited
    longer than the timeout (a restart lost PTB's timeout job)."""
    found = key(update)
    draft = None if found is None else drafts(context).get(found)
    now = services(context).clock()
    if draft is not None and draft.waited(now) < services(context).log_timeout:
        draft.seen(now)
        return draft
    if found is not None:
        drafts(context).pop(found, None)
    poc = await poc_role(update, context)
    if poc is not None:
        await _tell(update, words("draft_gone", poc.language))
    return None


async def _tell(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await answer(update.callback_query)
        await edit(update.callback_query, text)
    else:
        await reply(update, text)


async def on_submit(update: Update, context: Context) -> object:
    found = key(update)
    poc = await poc_role(update, context)
    if poc is None or found is None:
        return ConversationHandler.END
    party, review_awaits = await asyncio.to_thread(_party, services(context).engine,
                                                   poc.party_id, poc.language)
    draft = Draft(poc_id=poc.id, party_id=poc.party_id, language=poc.language, party=party)
    draft.seen(services(context).clock())
    drafts(context)[found] = draft
    log.info("telegram /submit started by PoC %s", poc.id)
    await reply(update, words("ask_purpose", poc.language, party=party),
                _purposes(poc.language, review_awaits))
    return Step.PURPOSE


async def on_purpose(update: Update, context: Context) -> object:
    draft, query = await _current(update, context), update.callback_query
    if draft is None or query is None:
        return ConversationHandler.END
    draft.purpose = Purpose((query.data or "").rsplit(":", 1)[-1]).value
    await answer(query)
    if draft.purpose == Purpose.LETTER_RESPONSE:
        return await _ask_letter(query, context, draft)
    await edit(query, _ask_file(context, draft))
    return Step.FILE


def _ask_file(context: Context, draft: Draft, before: str = "") -> str:
    ask = words("ask_file", draft.language, what=draft.purpose, limit=_limit_mb(context))
    return f"{before}\n\n{ask}" if before else ask


async def _ask_letter(query: Any, context: Context, draft: Draft) -> object:
    """Which letter: none open (said, the document names none), one (said), several (a
    button each)."""
    found = await asyncio.to_thread(open_letters, services(context).engine, draft.party_id)
    if len(found) > 1:
        await edit(query, words("ask_letter", draft.language, party=draft.party),
                   _letters(found, draft.language))
        return Step.LETTER
    if found:
        draft.letter_id = found[0].letter_id
        said = words("letter_named", draft.language, party=draft.party,
                     sent=found[0].sent_on, due=found[0].due_on)
    else:
        said = words("no_open_letter", draft.language, party=draft.party)
    await edit(query, _ask_file(context, draft, said))
    return Step.FILE


async def on_letter(update: Update, context: Context) -> object:
    draft, query = await _current(update, context), update.callback_query
    if draft is None or query is None:
        return ConversationHandler.END
    letter_id = chosen(query.data or "")
    found = await asyncio.to_thread(open_letters, services(context).engine, draft.party_id)
    match = next((item for item in found if item.letter_id == letter_id), None)
    if match is None:  # answered meanwhile, or not the party's: the question stands
        await answer(query, words("stale_button", draft.language))
        return Step.LETTER
    draft.letter_id = match.letter_id
    await answer(query)
    await edit(query, _ask_file(context, draft, words(
        "letter_named", draft.language, party=draft.party, sent=match.sent_on,
        due=match.due_on)))
    log.info("telegram /submit: PoC %s answers letter %s", draft.poc_id, match.letter_id)
    return Step.FILE


async def on_file(update: Update, context: Context) -> object:
    draft = await _current(update, context)
    message = update.effective_message
    if draft is None or message is None or message.document is None:
        return ConversationHandler.END
    document = message.document
    if document.file_size is not None and document.file_size > place(context).max_bytes:
        await reply(update, words("refused", draft.language, problem="inbox_too_large",
                                  limit=_limit_mb(context)))
        return Step.FILE
    draft.file_id, draft.file_name = document.file_id, document.file_name or ""
    await reply(update, words("ask_confirm", draft.language, what=draft.purpose,
                              file=draft.file_name), _confirm(draft.language))
    return Step.CONFIRM


async def on_hint(update: Update, context: Context) -> object:
    """Words (or a photo) where a button or a file is expected: a hint, same step."""
    draft = await _current(update, context)
    if draft is None:
        return ConversationHandler.END
    state = Step.FILE if draft.purpose and not draft.file_id else (
        Step.CONFIRM if draft.file_id else Step.PURPOSE)
    await reply(update, words("file_expected" if state is Step.FILE else "buttons_expected",
                              draft.language))
    return state


async def on_letter_hint(update: Update, context: Context) -> object:
    """Words or a file where a letter's button is expected: a hint, same step."""
    draft = await _current(update, context)
    if draft is None:
        return ConversationHandler.END
    await reply(update, words("buttons_expected", draft.language))
    return Step.LETTER


def _receive(context: Context, draft: Draft, content: bytes) -> tuple[str, str | None]:
    """(the PoC's answer's name, the refusal's code) after recording the file."""
    incoming = store.Incoming(poc_id=draft.poc_id, purpose=draft.purpose,
                              original_name=draft.file_name, content=content,
                              channel=InboxChannel.TELEGRAM,
                              letter_id=draft.letter_id or None)
    try:
        with session_scope(services(context).engine) as session:
            document = store.receive(session=session, incoming=incoming,
                                     data_dir=place(context).data_dir,
                                     max_bytes=place(context).max_bytes,
                                     now=services(context).clock())
            log.info("telegram /submit: document %s received from PoC %s (%s)", document.id,
                     draft.poc_id, document.status)
            duplicate = document.status == InboxStatus.DUPLICATE
    except store.InboxError as error:
        log.info("telegram /submit: PoC %s's file refused (%s)", draft.poc_id, error.code)
        return "refused", error.code
    return ("duplicate" if duplicate else "received"), None


async def on_confirm(update: Update, context: Context) -> object:
    draft, query = await _current(update, context), update.callback_query
    if draft is None or query is None:
        return ConversationHandler.END
    found = key(update)
    if found is not None:
        drafts(context).pop(found, None)
    await answer(query)
    if (query.data or "").endswith(":cancel"):
        await edit(query, words("cancelled", draft.language))
        return ConversationHandler.END
    try:
        file = await context.bot.get_file(draft.file_id)
        content = bytes(await file.download_as_bytearray())
    except TelegramError as error:
        log.warning("telegram /submit: file not fetched (%s)", type(error).__name__)
        await edit(query, words("not_downloaded", draft.language))
        return ConversationHandler.END
    said, problem = await asyncio.to_thread(_receive, context, draft, content)
    params: dict[str, Any] = ({"problem": problem, "limit": _limit_mb(context)}
                              if problem else {})
    await edit(query, words(said, draft.language, **params))
    if said == "received":
        bot = context.bot

        async def tell(user_id: int, text: str) -> bool:
            await send(bot, user_id, text)
            return True

        await announce(services(context).engine, services(context).clock(), tell)
    return ConversationHandler.END


async def on_cancel(update: Update, context: Context) -> object:
    found = key(update)
    draft = None if found is None else drafts(context).pop(found, None)
    if draft is not None:
        await reply(update, words("cancelled", draft.language))
    return ConversationHandler.END


async def on_timeout(update: Update, context: Context) -> None:
    found = key(update)
    draft = None if found is None else drafts(context).pop(found, None)
    chat = update.effective_chat
    if draft is not None and chat is not None:
        minutes = round(services(context).log_timeout.total_seconds() / 60) or 1
        await send(context.bot, chat.id, words("timed_out", draft.language, minutes=minutes))


async def on_stale(update: Update, context: Context) -> None:
    """A button of an earlier question, or of a conversation that is over."""
    query = update.callback_query
    if query is None:
        return
    found = key(update)
    draft = None if found is None else drafts(context).get(found)
    poc_language = draft.language if draft else "en"
    await answer(query, words("stale_button", poc_language))


def submit_conversation(timeout: timedelta, persistent: bool = False
                        ) -> ConversationHandler[Any]:
    """/submit as one ConversationHandler (states: Step; `persistent`: kept under NAME)."""
    typed = filters.UpdateType.MESSAGE & ~filters.COMMAND & ~filters.Document.ALL
    states: dict[object, list[Any]] = {
        Step.PURPOSE: [CallbackQueryHandler(on_purpose, pattern=r"^ps:purpose:\w+$"),
                       MessageHandler(typed | filters.Document.ALL, on_hint)],
        Step.LETTER: [CallbackQueryHandler(on_letter, pattern=LETTER_PATTERN),
                      MessageHandler(typed | filters.Document.ALL, on_letter_hint)],
        Step.FILE: [MessageHandler(filters.Document.ALL, on_file),
                    MessageHandler(typed, on_hint)],
        Step.CONFIRM: [CallbackQueryHandler(on_confirm, pattern=r"^ps:confirm:(send|cancel)$"),
                       MessageHandler(typed | filters.Document.ALL, on_hint)],
        ConversationHandler.TIMEOUT: [TypeHandler(Update, on_timeout)],
    }
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"If 'per_message=False'",
                                category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler("submit", on_submit)],
            states=states,
            fallbacks=[CommandHandler("cancel", on_cancel),
                       CallbackQueryHandler(on_stale, pattern=STALE_PATTERN)],
            allow_reentry=True, per_chat=True, per_user=True, per_message=False,
            conversation_timeout=timeout, name=NAME, persistent=persistent)
