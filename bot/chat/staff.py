"""The staff's commands in the chat, and the answers to everything else.

    /help (or /start alone)   the commands the sender may use: staff, admin or PoC
    /state NAME|ISO3          a State: facts, active PoCs, reporting history, last reminder
                              and last reply; found by code, name or former name ("Turkey"),
                              else a suggestion
    /org ACRONYM              an organisation and its active PoCs
    /nonreporting             the States without a first report
    /invite POC_ID            a single-use deep link for a PoC (bot.chat.poc takes it)
    /grant USER_ID [admin]    admins only: give the staff (or admin) role; its menu is set
    /revoke USER_ID           admins only: take the role away; its menu goes
    any other command         the sender's /help (or the refusal)
    words no question awaits  "nothing here is waiting for an answer" and the commands

(/log is bot.chat.log, /events bot.chat.events, /stats and /report bot.chat.stats, /chair
bot.chat.chair, /language bot.chat.staff_language, /assist and /requests
bot.chat.assistance; the PoC's commands bot.chat.poc.)

Only the Committee's staff and admins (storage.staff) may use them: bot.chat.access refuses
anyone else with one polite sentence. The look-ups show PoCs' names to staff; names never
go into a log line. At start the command menus are set (set_staff_commands): /help for
everyone, and the commands of each active member's role in their own chat. Words come from
templates/chat/en/staff.html.j2, in the member's own language (bot.chat.common.say; a
member's menu at start in theirs); every database call runs in a worker thread with a Session
of its own.
"""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select
from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.chat.access import poc_of, role_of_sender, sender_id, staff_role
from bot.chat.assistance import ASSISTANCE_COMMANDS
from bot.chat.common import fitted, reply, say, services
from bot.chat.inbox import INBOX_COMMANDS
from bot.chat.matrices import MATRIX_COMMANDS
from bot.chat.poc import poc_commands
from bot.chat.responses import RESPONSES_COMMANDS
from bot.chat.stats import STATS_COMMANDS
from storage import invitations, pocs, submissions
from storage.figures.status import reporting_status
from storage.imports.common import PartyFinder
from storage.parties import Party, PartyKind
from storage.reminders import PocReply, ReminderCycle, ReminderPolicy
from storage.staff import (
    DEFAULT_LANGUAGE,
    LastAdminError,
    StaffRole,
    grant,
    is_user_id,
    language_of,
    members,
    revoke,
)

__all__ = ["COMMANDS", "commands_for", "on_grant", "on_help", "on_invite", "on_nonreporting",
           "on_org", "on_other_command", "on_revoke", "on_state", "on_stray_text",
           "set_menu", "set_staff_commands"]

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

HISTORY_SHOWN = 10  # the latest submissions /state lists

# What each role may type, in menu order (only commands that work are listed).
_STAFF_COMMANDS = ("help", "log", "events", "state", "org", "nonreporting", "invite",
                   *STATS_COMMANDS, "chair", "language", *ASSISTANCE_COMMANDS,
                   *MATRIX_COMMANDS, *INBOX_COMMANDS, *RESPONSES_COMMANDS)
_COMMANDS: dict[StaffRole, tuple[str, ...]] = {
    StaffRole.STAFF: _STAFF_COMMANDS,
    StaffRole.ADMIN: (*_STAFF_COMMANDS, "grant", "revoke"),
}
# The chat template describing a command, when not staff.html.j2.
_DESCRIBED_IN = {**{name: "assistance" for name in ASSISTANCE_COMMANDS},
                 **{name: "matrices" for name in MATRIX_COMMANDS},
                 **{name: "inbox" for name in INBOX_COMMANDS},
                 **{name: "responses" for name in RESPONSES_COMMANDS}}
# Every staff command the bot registers, with the least role that may use it.
COMMANDS: dict[str, StaffRole] = {
    "start": StaffRole.STAFF,
    **{name: StaffRole.STAFF for name in _STAFF_COMMANDS},
    "grant": StaffRole.ADMIN,
    "revoke": StaffRole.ADMIN,
}


def commands_for(role: StaffRole, language: str | None = None) -> list[tuple[str, str]]:
    """(command, description) that the role may use, in `language` (else the reader's)."""
    return [(name, say(_DESCRIBED_IN.get(name, "staff"), f"describe_{name}", language))
            for name in _COMMANDS[role]]


# -- storage calls, each in a worker thread with a Session of its own ----------------------


def _invite(engine: Engine, poc_id: int, actor: str, now: datetime) -> tuple[str, str] | None:
    """(token, PoC's name) of a new invitation; None when no active PoC has that id."""
    with Session(engine) as session:
        poc = pocs.get(session=session, poc_id=poc_id)
        if poc is None or poc.status != pocs.PocStatus.ACTIVE:
            return None
        token = invitations.create_invitation(session=session, poc_id=poc_id, actor=actor,
                                              now=now)
        name = poc.full_name
        session.commit()
    return token, name


def _find(session: Session, value: str, kind: PartyKind) -> tuple[Party | None, str]:
    """The party of `kind` typed (code, name, or a former name); else "" or a suggestion."""
    finder = PartyFinder(session.exec(select(Party)))
    party = finder.find(value, former_names=True)
    if party is not None and party.kind == kind:
        return party, ""
    return None, finder.suggestion(value, kind=kind)


def _active_pocs(session: Session, party_id: int) -> list[dict[str, Any]]:
    return [{"name": view.poc.full_name, "role": view.poc.role, "language": view.poc.language,
             "telegram_off": view.poc.telegram_unreachable_at is not None}
            for view in pocs.listing(session=session, party_id=party_id)]


def state_view(engine: Engine, value: str) -> str:
    """The /state answer: the State's facts, PoCs, history, last reminder and last reply."""
    with Session(engine) as session:
        party, suggestion = _find(session, value, PartyKind.STATE)
        if party is None or party.id is None:
            return say("staff", "unknown_state", value=value, suggestion=suggestion)
        history = [(row.kind, row.submitted_on) for row, _ in
                   reversed(submissions.history(session=session, party_id=party.id))]
        cycle = session.exec(
            select(ReminderCycle, ReminderPolicy)
            .join(ReminderPolicy, col(ReminderPolicy.id) == col(ReminderCycle.policy_id))
            .where(ReminderCycle.party_id == party.id)
            .order_by(col(ReminderCycle.sent_at).desc(), col(ReminderCycle.id).desc())
        ).first()
        last_reply = session.exec(
            select(PocReply)
            .join(pocs.PointOfContact, col(pocs.PointOfContact.id) == col(PocReply.poc_id))
            .where(pocs.PointOfContact.party_id == party.id)
            .order_by(col(PocReply.at).desc(), col(PocReply.id).desc())
        ).first()
        return fitted(
            "staff", "state", _active_pocs(session, party.id), name=party.name,
            iso3=party.code, group=party.electoral_group or "", history=history[:HISTORY_SHOWN],
            older=max(0, len(history) - HISTORY_SHOWN),
            cycle=None if cycle is None else (cycle[1].name, cycle[0].sent_at.date()),
            reply=None if last_reply is None else (last_reply.answer, last_reply.at.date()))


def org_view(engine: Engine, value: str) -> str:
    with Session(engine) as session:
        party, suggestion = _find(session, value, PartyKind.ORGANISATION)
        if party is None or party.id is None:
            return say("staff", "unknown_org", value=value, suggestion=suggestion)
        return fitted("staff", "org", _active_pocs(session, party.id), name=party.name,
                      acronym=party.code, scope=party.scope or "")


def nonreporting_view(engine: Engine) -> str:
    with Session(engine) as session:
        codes = reporting_status(session=session, since=submissions.RESOLUTION_ADOPTED
                                 ).non_reporting
        names = dict(session.exec(select(Party.code, Party.name)
                                  .where(Party.kind == PartyKind.STATE)).all())
    return fitted("staff", "nonreporting", [(code, names.get(code, "")) for code in codes],
                  count=len(codes))


def _grant(engine: Engine, user_id: int, role: StaffRole, actor: str, now: datetime
           ) -> tuple[bool, str]:
    """Whether the role changed, and the member's chat language (for their menu)."""
    with Session(engine) as session:
        changed = grant(session=session, telegram_user_id=user_id, role=role, actor=actor,
                        now=now)
        session.commit()
        return changed, language_of(session=session, telegram_user_id=user_id) or (
            DEFAULT_LANGUAGE)


def _revoke(engine: Engine, user_id: int, actor: str, now: datetime) -> bool:
    with Session(engine) as session:
        changed = revoke(session=session, telegram_user_id=user_id, actor=actor, now=now)
        session.commit()
    return changed


def _active_members(engine: Engine) -> list[tuple[int, StaffRole, str]]:
    with Session(engine) as session:
        return [(member.telegram_user_id, StaffRole(member.role), member.language)
                for member in members(session=session)]


# -- the handlers -------------------------------------------------------------------------


async def on_help(update: Update, context: Context) -> None:
    """The sender's commands: a PoC's in their chat, a member's by role; else the refusal."""
    role = await role_of_sender(update, context)
    poc = None if role is not None else await poc_of(update, context)
    if poc is not None:
        await reply(update, say("staff", "help", poc.language,
                                commands=poc_commands(poc.language)))
        return
    role = await staff_role(update, context)
    if role is not None:
        await reply(update, say("staff", "help", commands=commands_for(role)))


async def on_invite(update: Update, context: Context) -> None:
    user_id = sender_id(update)
    if await staff_role(update, context) is None or user_id is None:
        return
    args = list(context.args or [])
    if len(args) != 1 or not (args[0].isascii() and args[0].isdigit()):
        await reply(update, say("staff", "invite_usage"))
        return
    found = services(context)
    now = found.clock()
    made = await asyncio.to_thread(_invite, found.engine, int(args[0]), f"telegram:{user_id}",
                                   now)
    if made is None:
        await reply(update, say("staff", "unknown_poc", poc_id=args[0]))
        return
    token, name = made
    log.info("telegram /invite by user %s: PoC %s", user_id, args[0])
    link = invitations.deep_link(context.bot.username, token)
    await reply(update, say("staff", "invited", poc_id=args[0], name=name, link=link,
                            expires=(now + invitations.LIFETIME).isoformat(timespec="minutes")))


async def _look_up(update: Update, context: Context, view: Callable[[Engine, str], str],
                   usage: str) -> None:
    """A staff look-up: the usage hint without an argument, else the view's answer."""
    if await staff_role(update, context) is None:
        return
    value = " ".join(context.args or []).strip()
    if not value:
        await reply(update, say("staff", usage))
        return
    await reply(update, await asyncio.to_thread(view, services(context).engine, value))


async def on_state(update: Update, context: Context) -> None:
    await _look_up(update, context, state_view, "state_usage")


async def on_org(update: Update, context: Context) -> None:
    await _look_up(update, context, org_view, "org_usage")


async def on_nonreporting(update: Update, context: Context) -> None:
    if await staff_role(update, context) is not None:
        await reply(update, await asyncio.to_thread(nonreporting_view,
                                                    services(context).engine))


def _target_of(args: list[str], extra: tuple[str, ...]) -> tuple[int, str] | None:
    """The user id and the optional word after it, or None when the line is not valid."""
    if not 1 <= len(args) <= (2 if extra else 1) or not (
            args[0].isascii() and args[0].isdigit()):
        return None
    word = args[1].lower() if len(args) == 2 else ""
    if word and word not in extra:
        return None
    target = int(args[0])
    return (target, word) if is_user_id(target) else None


async def on_grant(update: Update, context: Context) -> None:
    user_id = sender_id(update)
    if await staff_role(update, context, StaffRole.ADMIN) is None or user_id is None:
        return
    parsed = _target_of(list(context.args or []), ("admin", "staff"))
    if parsed is None:
        await reply(update, say("staff", "grant_usage"))
        return
    target, word = parsed
    role = StaffRole.ADMIN if word == "admin" else StaffRole.STAFF
    found = services(context)
    try:
        changed, language = await asyncio.to_thread(_grant, found.engine, target, role,
                                                    f"telegram:{user_id}", found.clock())
    except LastAdminError:
        await reply(update, say("staff", "last_admin"))
        return
    log.info("telegram /grant by user %s: user %s %s", user_id, target,
             "granted" if changed else "unchanged")
    await set_menu(context.bot, target, role, language)
    await reply(update, say("staff", "granted", user=target, role=role.value, changed=changed))


async def on_revoke(update: Update, context: Context) -> None:
    user_id = sender_id(update)
    if await staff_role(update, context, StaffRole.ADMIN) is None or user_id is None:
        return
    parsed = _target_of(list(context.args or []), ())
    if parsed is None:
        await reply(update, say("staff", "revoke_usage"))
        return
    target, _ = parsed
    found = services(context)
    try:
        changed = await asyncio.to_thread(_revoke, found.engine, target, f"telegram:{user_id}",
                                          found.clock())
    except LastAdminError:
        await reply(update, say("staff", "last_admin"))
        return
    log.info("telegram /revoke by user %s: user %s %s", user_id, target,
             "revoked" if changed else "had no role")
    if changed:
        await set_menu(context.bot, target, None)
    await reply(update, say("staff", "revoked", user=target, changed=changed))


async def on_other_command(update: Update, context: Context) -> None:
    role = await staff_role(update, context)
    if role is not None:
        await reply(update, say("staff", "help", commands=commands_for(role)))


async def on_stray_text(update: Update, context: Context) -> None:
    """Words in a private chat that no question is waiting for, e.g. an answer to a draft
    that timed out or that a restart dropped: say so rather than stay silent."""
    role = await role_of_sender(update, context)
    if role is not None:
        await reply(update, say("staff", "nothing_waiting", commands=commands_for(role)))
    else:
        await on_help(update, context)  # a PoC's commands, or the polite refusal


# -- the command menus ----------------------------------------------------------------------


async def set_menu(bot: Bot, user_id: int, role: StaffRole | None,
                   language: str | None = None) -> None:
    """Set (or, with no role, remove) one member's command menu, in `language` (else the
    reader's); a refusal is logged."""
    scope = BotCommandScopeChat(chat_id=user_id)
    try:
        if role is None:
            await bot.delete_my_commands(scope=scope)
        else:
            await bot.set_my_commands(
                [BotCommand(name, text) for name, text in commands_for(role, language)],
                scope=scope)
    except TelegramError as error:
        log.warning("telegram command menu not set (%s)", type(error).__name__)


async def set_staff_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The command menus: /help for everyone, each active member's commands in their chat
    (the application's post_init).

    A server that refuses is logged once, as a warning, and the bot goes on without menus.
    """
    bot = application.bot
    try:
        everyone = [BotCommand("help", say("staff", "describe_help"))]
        await bot.set_my_commands(everyone, scope=BotCommandScopeDefault())
        active = await asyncio.to_thread(_active_members, services(application).engine)
        for user_id, role, language in active:
            commands = [BotCommand(name, text) for name, text in commands_for(role, language)]
            await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=user_id))
    except TelegramError as error:
        log.warning("telegram command menus not set (%s)", type(error).__name__)
