"""Who may use which command: the Committee's staff and admins (storage.staff), and the Point
of Contact whose record a chat is bound to (storage.invitations).

    staff_role(update, context)          the sender's role; anyone else is refused, politely
    staff_role(..., StaffRole.ADMIN)     staff get "this command is for admins" too
    poc_role(update, context)            the chat's PoC; staff get "this command is for PoCs"
    role_of_sender, poc_of, is_member    the same facts, nobody answered
    remember_language(update, context)   first for every update: the sender's chat language
                                         (a staff member's own, else English) is the one
                                         `say` speaks for the rest of the update

Anyone without a role gets one sentence, for any command, and nothing more (a PoC is told
the command is for the staff, in their language); the refusal is logged with the Telegram
user id only, never a name or what was typed. Every check reads the database in a worker
thread with a Session of its own.
"""

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, select
from telegram import Update
from telegram.ext import ContextTypes

from bot.chat.common import reading_in, reply, say, services
from bot.render.templates import DEFAULT_LANGUAGE
from storage import pocs
from storage.staff import StaffRole, language_of, role_of

__all__ = ["BoundPoc", "actor", "is_member", "poc_of", "poc_role", "remember_language",
           "role_of_sender", "sender_id", "staff_role"]

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE


@dataclass(frozen=True)
class BoundPoc:
    """The active PoC a chat is bound to."""

    id: int
    language: str
    party_id: int


def _role(engine: Engine, user_id: int) -> StaffRole | None:
    with Session(engine) as session:
        return role_of(session=session, telegram_user_id=user_id)


def _language(engine: Engine, user_id: int) -> str | None:
    with Session(engine) as session:
        return language_of(session=session, telegram_user_id=user_id)


def _poc_of(engine: Engine, chat_id: int) -> BoundPoc | None:
    with Session(engine) as session:
        poc = session.exec(
            select(pocs.PointOfContact)
            .where(pocs.PointOfContact.telegram_chat_id == chat_id,
                   pocs.PointOfContact.status == pocs.PocStatus.ACTIVE)
            .order_by(col(pocs.PointOfContact.id))
        ).first()
        if poc is None or poc.id is None:
            return None
        return BoundPoc(id=poc.id, language=poc.language, party_id=poc.party_id)


def sender_id(update: Update) -> int | None:
    user = update.effective_user
    return None if user is None else user.id


def actor(update: Update) -> str:
    """Who the audit trail names for a write from this update."""
    return f"telegram:{sender_id(update) or 0}"


async def remember_language(update: object, context: Context) -> None:
    """The words of this update in the sender's chat language: a staff member's own, else
    English (a PoC's words name the PoC's language themselves). Runs before every handler."""
    user_id = sender_id(update) if isinstance(update, Update) else None
    language = None if user_id is None else await asyncio.to_thread(
        _language, services(context).engine, user_id)
    reading_in(language or DEFAULT_LANGUAGE)


async def role_of_sender(update: Update, context: Context) -> StaffRole | None:
    user_id = sender_id(update)
    if user_id is None:
        return None
    return await asyncio.to_thread(_role, services(context).engine, user_id)


async def is_member(context: Context, user_id: int) -> bool:
    """Whether `user_id` is staff or admin now (a button press checks it again)."""
    return await asyncio.to_thread(_role, services(context).engine, user_id) is not None


async def poc_of(update: Update, context: Context) -> BoundPoc | None:
    chat = update.effective_chat
    if chat is None:
        return None
    return await asyncio.to_thread(_poc_of, services(context).engine, chat.id)


async def staff_role(update: Update, context: Context,
                     needed: StaffRole = StaffRole.STAFF) -> StaffRole | None:
    """The sender's role; someone without one, or staff typing an admin's command, is
    answered the refusal and logged (then None)."""
    user_id = sender_id(update)
    role = await role_of_sender(update, context)
    if role is None:
        log.info("telegram staff command refused for user %s", user_id)
        poc = await poc_of(update, context)
        await reply(update, say("staff", "refused") if poc is None
                    else say("poc", "staff_only", poc.language))
    elif needed is StaffRole.ADMIN and role is not StaffRole.ADMIN:
        log.info("telegram admin command refused for user %s (staff)", user_id)
        await reply(update, say("staff", "admins_only"))
        return None
    return role


async def poc_role(update: Update, context: Context) -> BoundPoc | None:
    """The PoC of this chat; staff are told the command is for PoCs, anyone else refused."""
    poc = await poc_of(update, context)
    if poc is None:
        role = await role_of_sender(update, context)
        log.info("telegram PoC command refused for user %s", sender_id(update))
        await reply(update, say("staff", "refused") if role is None
                    else say("poc", "poc_only", DEFAULT_LANGUAGE))
    return poc
