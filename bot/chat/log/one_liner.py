"""The one-line /log: an outreach event typed on one line, shown, then saved by a button.

    /log 2022-03-14 | Regional workshop on export controls | Bangkok, THA | audiences=...
        -> the summary  [Save | Edit | Cancel]     (a bad line: what is wrong, and the usage)
           Save    imports the row for real, as actor "telegram:<user id>"
           Edit    the guided conversation goes on from its summary (bot.chat.log.conversation)
           Cancel  nothing is saved

The line is read by bot.chat.log.line and checked by the importer itself
(storage.imports.events, dry run: the chat accepts exactly what `outreach import events`
accepts). The checked row is kept as a Draft in application.bot_data under a short random
token for DRAFT_LIFETIME; only the person who typed /log may press its buttons, once. Read
bot_data through the handler's context at call time: PTB replaces it with the stored one at
initialize (bot.chat.persistence keeps the drafts, DRAFTS_CODEC, across restarts).
/log alone is the guided conversation, registered before this handler (bot.chat.app).
Words come from templates/chat/en/staff.html.j2; logs name user ids only.
"""

import asyncio
import html
import logging
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.chat.access import is_member, sender_id, staff_role
from bot.chat.common import answer, edit, reply, say, services
from bot.chat.log.line import parse_log_line, summary, usage
from bot.chat.persistence import Codec
from bot.render.templates import problem_line
from storage.imports.events import import_events
from storage.imports.tabular import Table

__all__ = ["BUTTON_PATTERN", "DRAFTS_CODEC", "DRAFTS_KEY", "DRAFT_LIFETIME", "Draft",
           "drafts_of", "on_button", "on_log"]

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

DRAFT_LIFETIME = timedelta(minutes=15)
DRAFTS_KEY = "staff_log_drafts"  # the key of application.bot_data holding the /log drafts
BUTTON_PATTERN = r"^log:(save|cancel):[A-Za-z0-9_-]{1,16}$"  # Edit: the conversation's


@dataclass(frozen=True)
class Draft:
    row: dict[str, str]
    user_id: int
    expires: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"row": dict(self.row), "user_id": self.user_id,
                "expires": self.expires.isoformat()}

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> "Draft":
        return cls(row={str(k): str(v) for k, v in stored["row"].items()},
                   user_id=int(stored["user_id"]),
                   expires=datetime.fromisoformat(stored["expires"]))


def drafts_of(bot_data: dict[Any, Any]) -> dict[str, Draft]:
    """The one-line drafts by token (created on first use)."""
    drafts: dict[str, Draft] = bot_data.setdefault(DRAFTS_KEY, {})
    return drafts


def _encode(drafts: dict[str, Draft], now: datetime) -> dict[str, Any] | None:
    kept = {token: draft.to_dict() for token, draft in drafts.items() if draft.expires > now}
    return kept or None


def _decode(stored: dict[str, Any], now: datetime) -> dict[str, Draft]:
    drafts = {str(token): Draft.from_dict(value) for token, value in stored.items()}
    return {token: draft for token, draft in drafts.items() if draft.expires > now}


DRAFTS_CODEC = Codec(encode=_encode, decode=_decode)  # expired drafts are not kept


def _import(engine: Engine, row: dict[str, str], actor: str, now: datetime,
            dry_run: bool) -> list[str]:
    """Import the one row as `outreach import events` would; the problems as Telegram HTML."""
    table = Table(columns=list(row), rows=[(1, dict(row))])
    with Session(engine) as session:
        report = import_events(session=session, table=table, actor=actor, today=now.date(),
                               now=now, dry_run=dry_run)
        if report.problems or dry_run:
            session.rollback()
        else:
            session.commit()
    # one line typed in the chat: "line 1" would say nothing
    return [html.escape(problem_line(replace(problem, line=None)))
            for problem in report.problems]


async def on_log(update: Update, context: Context) -> None:
    """/log with a line: the summary with its buttons, or what is wrong with the line."""
    role = await staff_role(update, context)
    message = update.effective_message
    user_id = sender_id(update)
    if role is None or message is None or user_id is None:
        return
    if not " ".join(context.args or []).strip():
        await reply(update, usage())
        return
    row, problems = parse_log_line(message.text or "")
    if row is None:
        await reply(update, "\n".join(problems))
        return
    found = services(context)
    now = found.clock()
    problems = await asyncio.to_thread(_import, found.engine, row, f"telegram:{user_id}", now,
                                       True)
    if problems:
        await reply(update, "\n".join([say("staff", "not_saved"), *problems, usage()]))
        return
    drafts = drafts_of(context.bot_data)
    for token in [t for t, draft in drafts.items() if draft.expires <= now]:
        del drafts[token]
    token = secrets.token_urlsafe(6)
    drafts[token] = Draft(row=row, user_id=user_id, expires=now + DRAFT_LIFETIME)
    buttons = InlineKeyboardMarkup([[
        InlineKeyboardButton(say("staff", "save_button"), callback_data=f"log:save:{token}"),
        InlineKeyboardButton(say("staff", "edit_button"), callback_data=f"log:edit:{token}"),
        InlineKeyboardButton(say("staff", "cancel_button"),
                             callback_data=f"log:cancel:{token}"),
    ]])
    await reply(update, summary(row), buttons)


async def on_button(update: Update, context: Context) -> None:
    """Save or Cancel under a one-line /log's summary (BUTTON_PATTERN)."""
    query = update.callback_query
    if query is None or not isinstance(query.data, str):
        return
    _, action, token = query.data.split(":", 2)
    user_id = query.from_user.id
    found = services(context)
    now, drafts = found.clock(), drafts_of(context.bot_data)
    draft = drafts.get(token)
    if draft is not None and draft.expires <= now:
        del drafts[token]
        draft = None
    if draft is None:
        await answer(query)
        await edit(query, say("staff", "expired"))
        return
    if draft.user_id != user_id:
        log.info("telegram /log button refused for user %s (not the author)", user_id)
        await answer(query, say("staff", "not_your_draft"))
        return
    del drafts[token]  # one press only: a second Save finds nothing
    title = draft.row.get("title", "")
    if action == "cancel":
        await answer(query)
        await edit(query, say("staff", "cancelled", title=title))
        return
    if not await is_member(context, user_id):
        log.info("telegram staff command refused for user %s", user_id)
        await answer(query)
        await edit(query, say("staff", "refused"))
        return
    try:
        problems = await asyncio.to_thread(_import, found.engine, draft.row,
                                           f"telegram:{user_id}", now, False)
    except Exception:
        log.exception("telegram /log by user %s: not saved", user_id)
        drafts[token] = draft  # the person may press Save again
        await answer(query, say("staff", "failed"))
        return
    await answer(query)
    if problems:
        await edit(query, "\n".join([say("staff", "not_saved"), *problems]))
        return
    log.info("telegram /log by user %s: event saved", user_id)
    await edit(query, say("staff", "saved", title=title))
