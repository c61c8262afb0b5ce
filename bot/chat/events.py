"""/events: the staff's list of recent events, five a page, with Edit and Delete buttons.

    /events [words]   the latest events, newest first (start date, then the later record);
                      words keep those whose title, city or host country contains them, or
                      whose host country has that ISO3 code, whatever the case
      ◀ / ▶           the same message shows the previous / next page
      Edit N          callback "event:edit:<id>", answered by the /log conversation
      Delete N        a new message asks "Delete <title> (<date>)?"  [Yes, delete] [Keep]
        Yes, delete   storage.events.soft_delete; the question becomes "Deleted: ..."
        Keep          the question becomes "Kept: ..."

Telegram takes at most 64 bytes of callback data: the words searched stay in
application.bot_data under a short random token ("events:page:<token>:<offset>") for an hour;
the Delete question's buttons carry the event id only, so they still work after a restart.
Each press checks the presser's role: only staff and admins may page, delete or keep; anyone
else is told so in the button's pop-up, logged with the Telegram user id only.
Words come from templates/chat/<language>/events.html.j2; database calls run in a worker
thread with a Session of their own.
"""

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from jinja2 import Template
from sqlalchemy import Engine
from sqlmodel import Session
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.chat.persistence import Codec
from bot.render.templates import DEFAULT_LANGUAGE, environment
from storage import events
from storage.events import Deletion, Event, EventView
from storage.staff import StaffRole, role_of

__all__ = ["PAGE_SIZE", "QUERY_LIMIT", "SEARCHES_CODEC", "SEARCHES_KEY", "SEARCH_LIFETIME",
           "add_events_handlers", "say"]

log = logging.getLogger(__name__)

PAGE_SIZE = 5
SEARCH_LIFETIME = timedelta(hours=1)
QUERY_LIMIT = 300  # characters: longer than any title could match
_SEARCHES = "events_searches"  # the key of application.bot_data holding the searches
_PAGE_PATTERN = r"^events:page:[A-Za-z0-9_-]{8}:[0-9]{1,9}$"
_DELETION_PATTERN = r"^event:(delete|yes|keep):[0-9]{1,12}$"

App = Application[Any, Any, Any, Any, Any, Any]
# bot.chat.staff's check: the sender's role, or None once they were refused
StaffCheck = Callable[[Update], Awaitable[StaffRole | None]]


def _template() -> Template:
    return environment().get_template(f"chat/{DEFAULT_LANGUAGE}/events.html.j2")


def say(message: str, **params: Any) -> str:
    """One message of the events template (Telegram HTML, what people typed escaped)."""
    return str(getattr(_template().module, message)(**params)).strip()


@dataclass(frozen=True)
class _Search:
    query: str
    expires: datetime


def _encode(searches: dict[str, _Search], now: datetime) -> dict[str, Any] | None:
    kept = {token: {"query": search.query, "expires": search.expires.isoformat()}
            for token, search in searches.items() if search.expires > now}
    return kept or None


def _decode(stored: dict[str, Any], now: datetime) -> dict[str, _Search]:
    searches = {str(token): _Search(query=str(value["query"]),
                                    expires=datetime.fromisoformat(value["expires"]))
                for token, value in stored.items()}
    return {token: search for token, search in searches.items() if search.expires > now}


# The searches' tokens in bot_data, across restarts (bot.chat.persistence); expired
# ones are not kept.
SEARCHES_CODEC = Codec(encode=_encode, decode=_decode)
SEARCHES_KEY = _SEARCHES


@dataclass(frozen=True)
class _Shown:
    """What one page of /events shows: the text and its buttons."""

    text: str
    markup: InlineKeyboardMarkup | None


@dataclass(frozen=True)
class _Summary:
    title: str
    start: date
    deleted: bool


# -- storage calls, each in a worker thread with a Session of its own ----------------------


def _item(number: int, view: EventView) -> dict[str, Any]:
    event = view.event
    return {"number": number, "title": event.title, "start": event.start_date,
            "end": event.end_date, "city": event.city, "mode": event.mode, "type": event.type,
            "country": view.country.name if view.country is not None else "",
            "audiences": view.audiences}


def _page(engine: Engine, query: str, offset: int, token: str) -> _Shown:
    """The page at `offset`, or the last one when events went away since the list was shown."""
    with Session(engine) as session:
        views, total = events.search(session=session, query=query, offset=offset,
                                     limit=PAGE_SIZE)
        if not views and total:
            offset = (total - 1) // PAGE_SIZE * PAGE_SIZE
            views, total = events.search(session=session, query=query, offset=offset,
                                         limit=PAGE_SIZE)
        if not views:
            return _Shown(say("nothing_found", query=query), None)
        items = [_item(offset + index, view) for index, view in enumerate(views, start=1)]
    rows = [[InlineKeyboardButton(say("edit_button", number=item["number"]),
                                  callback_data=f"event:edit:{view.event.id}"),
             InlineKeyboardButton(say("delete_button", number=item["number"]),
                                  callback_data=f"event:delete:{view.event.id}")]
            for item, view in zip(items, views, strict=True)]
    paging = []
    if offset > 0:
        paging.append(InlineKeyboardButton(
            say("previous_button"),
            callback_data=f"events:page:{token}:{max(0, offset - PAGE_SIZE)}"))
    if offset + PAGE_SIZE < total:
        paging.append(InlineKeyboardButton(
            say("next_button"), callback_data=f"events:page:{token}:{offset + PAGE_SIZE}"))
    if paging:
        rows.append(paging)
    text = say("page", items=items, query=query, first=offset + 1, last=offset + len(items),
               total=total)
    return _Shown(text, InlineKeyboardMarkup(rows))


def _summary(engine: Engine, event_id: int) -> _Summary | None:
    with Session(engine) as session:
        event = session.get(Event, event_id)
        if event is None:
            return None
        return _Summary(event.title, event.start_date, event.deleted_at is not None)


def _delete(engine: Engine, event_id: int, actor: str, now: datetime
            ) -> tuple[Deletion, _Summary | None]:
    with Session(engine) as session:
        outcome, event = events.soft_delete(session=session, event_id=event_id, actor=actor,
                                            now=now)
        summary = None if event is None else _Summary(event.title, event.start_date, True)
        session.commit()
    return outcome, summary


def _is_member(engine: Engine, user_id: int) -> bool:
    with Session(engine) as session:
        return role_of(session=session, telegram_user_id=user_id) is not None


# -- the handlers -------------------------------------------------------------------------


def add_events_handlers(application: App, engine: Engine, clock: Callable[[], datetime],
                        staff_role: StaffCheck) -> None:
    """Register /events and its buttons (paging, Delete, Yes / Keep; not Edit).

    `staff_role` answers a command from anyone but staff with the bot's refusal and returns
    None (bot.chat.staff's check, shared so that every command refuses alike).
    """

    def searches_of(context: ContextTypes.DEFAULT_TYPE) -> dict[str, _Search]:
        """Read at call time: PTB replaces bot_data with the stored one at initialize."""
        searches: dict[str, _Search] = context.bot_data.setdefault(_SEARCHES, {})
        return searches

    async def member(query: CallbackQuery) -> bool:
        """Whether the presser is staff; anyone else is answered in the pop-up."""
        user_id = query.from_user.id
        if await asyncio.to_thread(_is_member, engine, user_id):
            return True
        log.info("telegram /events button refused for user %s", user_id)
        await _quietly(query.answer(text=say("buttons_refused")))
        return False

    async def on_events(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if await staff_role(update) is None or message is None:
            return
        query = " ".join(context.args or []).strip()
        if len(query) > QUERY_LIMIT:
            await message.reply_text(say("query_too_long", limit=QUERY_LIMIT),
                                     parse_mode=ParseMode.HTML)
            return
        now, searches = clock(), searches_of(context)
        for stale in [token for token, search in searches.items() if search.expires <= now]:
            del searches[stale]
        token = secrets.token_urlsafe(6)
        searches[token] = _Search(query=query, expires=now + SEARCH_LIFETIME)
        shown = await asyncio.to_thread(_page, engine, query, 0, token)
        await message.reply_text(shown.text, parse_mode=ParseMode.HTML,
                                 reply_markup=shown.markup)

    async def on_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or not isinstance(query.data, str) or not await member(query):
            return
        _, _, token, offset = query.data.split(":")
        searches = searches_of(context)
        search = searches.get(token)
        if search is None or search.expires <= clock():
            searches.pop(token, None)
            await _quietly(query.answer(text=say("expired")))
            return
        shown = await asyncio.to_thread(_page, engine, search.query, int(offset), token)
        await _quietly(query.answer())
        await _edit(query, shown.text, shown.markup)

    async def on_deletion(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        chat = update.effective_chat
        if (query is None or chat is None or not isinstance(query.data, str)
                or not await member(query)):
            return
        _, action, event_id = query.data.split(":")
        await _quietly(query.answer())
        user_id = query.from_user.id
        if action == "yes":
            outcome, done = await asyncio.to_thread(_delete, engine, int(event_id),
                                                    f"telegram:{user_id}", clock())
            log.info("telegram /events by user %s: event %s %s", user_id, event_id,
                     outcome.value)
            await _edit(query, _outcome_text(outcome, done), None)
            return
        summary = await asyncio.to_thread(_summary, engine, int(event_id))
        if action == "keep":
            await _edit(query, say("unknown_event") if summary is None else
                        say("kept", title=summary.title, start=summary.start), None)
            return
        if summary is None or summary.deleted:
            outcome = Deletion.UNKNOWN if summary is None else Deletion.ALREADY_DELETED
            await _send(context, chat.id, _outcome_text(outcome, summary), None)
            return
        buttons = InlineKeyboardMarkup([[
            InlineKeyboardButton(say("yes_button"), callback_data=f"event:yes:{event_id}"),
            InlineKeyboardButton(say("keep_button"), callback_data=f"event:keep:{event_id}"),
        ]])
        await _send(context, chat.id, say("confirm_delete", title=summary.title,
                                          start=summary.start), buttons)

    application.add_handler(CommandHandler("events", on_events))
    application.add_handler(CallbackQueryHandler(on_page, pattern=_PAGE_PATTERN))
    application.add_handler(CallbackQueryHandler(on_deletion, pattern=_DELETION_PATTERN))


def _outcome_text(outcome: Deletion, summary: _Summary | None) -> str:
    if summary is None:
        return say("unknown_event")
    message = "deleted" if outcome is Deletion.DELETED else "already_deleted"
    return say(message, title=summary.title, start=summary.start)


async def _quietly(call: Awaitable[object]) -> None:
    """Await an answerCallbackQuery; a refusal (query too old) is logged, not raised."""
    try:
        await call
    except TelegramError as error:
        log.warning("telegram /events button: callback not answered (%s)",
                    type(error).__name__)


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Show `text` in the pressed message; "not modified" (the same page) is no news."""
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except TelegramError as error:
        if "not modified" not in error.message.lower():
            log.warning("telegram /events message not edited (%s)", type(error).__name__)


async def _send(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str,
                markup: InlineKeyboardMarkup | None) -> None:
    await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML,
                                   reply_markup=markup)
