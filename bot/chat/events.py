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
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.chat import common
from bot.chat.access import is_member, staff_role
from bot.chat.common import answer, edit, reply, send, services
from bot.chat.persistence import Codec
from storage import events
from storage.events import Deletion, Event, EventView

__all__ = ["DELETION_PATTERN", "PAGE_PATTERN", "PAGE_SIZE", "QUERY_LIMIT", "SEARCHES_CODEC",
           "SEARCHES_KEY", "SEARCH_LIFETIME", "on_deletion", "on_events", "on_page", "say"]

log = logging.getLogger(__name__)

PAGE_SIZE = 5
SEARCH_LIFETIME = timedelta(hours=1)
QUERY_LIMIT = 300  # characters: longer than any title could match
SEARCHES_KEY = "events_searches"  # the key of application.bot_data holding the searches
PAGE_PATTERN = r"^events:page:[A-Za-z0-9_-]{8}:[0-9]{1,9}$"
DELETION_PATTERN = r"^event:(delete|yes|keep):[0-9]{1,12}$"  # Edit: the /log conversation's

Context = ContextTypes.DEFAULT_TYPE

say = partial(common.say, "events")  # templates/chat/en/events.html.j2


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
            "audiences": view.audiences, "lead_body": event.lead_body}


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


# -- the handlers -------------------------------------------------------------------------


def _searches_of(context: Context) -> dict[str, _Search]:
    """Read at call time: PTB replaces bot_data with the stored one at initialize."""
    searches: dict[str, _Search] = context.bot_data.setdefault(SEARCHES_KEY, {})
    return searches


async def _member(query: CallbackQuery, context: Context) -> bool:
    """Whether the presser is staff; anyone else is answered in the pop-up."""
    user_id = query.from_user.id
    if await is_member(context, user_id):
        return True
    log.info("telegram /events button refused for user %s", user_id)
    await answer(query, say("buttons_refused"))
    return False


async def on_events(update: Update, context: Context) -> None:
    """/events [words]: the first page of the latest events, or of those matching."""
    if await staff_role(update, context) is None or update.effective_message is None:
        return
    query = " ".join(context.args or []).strip()
    if len(query) > QUERY_LIMIT:
        await reply(update, say("query_too_long", limit=QUERY_LIMIT))
        return
    found = services(context)
    now, searches = found.clock(), _searches_of(context)
    for stale in [token for token, search in searches.items() if search.expires <= now]:
        del searches[stale]
    token = secrets.token_urlsafe(6)
    searches[token] = _Search(query=query, expires=now + SEARCH_LIFETIME)
    shown = await asyncio.to_thread(_page, found.engine, query, 0, token)
    await reply(update, shown.text, shown.markup)


async def on_page(update: Update, context: Context) -> None:
    """◀ / ▶ (PAGE_PATTERN): the same message shows the previous or next page."""
    query = update.callback_query
    if (query is None or not isinstance(query.data, str)
            or not await _member(query, context)):
        return
    _, _, token, offset = query.data.split(":")
    searches = _searches_of(context)
    search = searches.get(token)
    found = services(context)
    if search is None or search.expires <= found.clock():
        searches.pop(token, None)
        await answer(query, say("expired"))
        return
    shown = await asyncio.to_thread(_page, found.engine, search.query, int(offset), token)
    await answer(query)
    await edit(query, shown.text, shown.markup)


async def on_deletion(update: Update, context: Context) -> None:
    """Delete N, then Yes, delete / Keep (DELETION_PATTERN)."""
    query = update.callback_query
    chat = update.effective_chat
    if (query is None or chat is None or not isinstance(query.data, str)
            or not await _member(query, context)):
        return
    _, action, event_id = query.data.split(":")
    await answer(query)
    user_id = query.from_user.id
    found = services(context)
    if action == "yes":
        outcome, done = await asyncio.to_thread(_delete, found.engine, int(event_id),
                                                f"telegram:{user_id}", found.clock())
        log.info("telegram /events by user %s: event %s %s", user_id, event_id,
                 outcome.value)
        await edit(query, _outcome_text(outcome, done))
        return
    summary = await asyncio.to_thread(_summary, found.engine, int(event_id))
    if action == "keep":
        await edit(query, say("unknown_event") if summary is None else
                   say("kept", title=summary.title, start=summary.start))
        return
    if summary is None or summary.deleted:
        outcome = Deletion.UNKNOWN if summary is None else Deletion.ALREADY_DELETED
        await send(context.bot, chat.id, _outcome_text(outcome, summary))
        return
    buttons = InlineKeyboardMarkup([[
        InlineKeyboardButton(say("yes_button"), callback_data=f"event:yes:{event_id}"),
        InlineKeyboardButton(say("keep_button"), callback_data=f"event:keep:{event_id}"),
    ]])
    await send(context.bot, chat.id, say("confirm_delete", title=summary.title,
                                         start=summary.start), buttons)


def _outcome_text(outcome: Deletion, summary: _Summary | None) -> str:
    if summary is None:
        return say("unknown_event")
    message = "deleted" if outcome is Deletion.DELETED else "already_deleted"
    return say(message, title=summary.title, start=summary.start)
