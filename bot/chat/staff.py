"""The staff's commands in the reply bot: /start, /help, the one-line /log of an event,
/events (bot.chat.events), the look-ups /state, /org and /nonreporting, and the admins'
/grant and /revoke.

Only the Committee's staff and admins (storage.staff) may use them. Anyone else gets one
polite sentence, for any command, and nothing more; the refusal is logged with the Telegram
user id only (no name, no text). Staff typing an admin's command get a sentence of their own.
The look-ups show PoCs' names to staff; names never go into a log line.

/log with a line takes the line of bot.chat.log.line, checks the row with the importer itself
(storage.imports.events, dry run: the chat accepts exactly what `outreach import events`
accepts), and shows the summary with Save / Edit / Cancel buttons. The draft is kept in
application.bot_data under a short random token for 15 minutes (bot.chat.log.one_liner); only the
person who typed /log can press its buttons. Save imports the row for real, as actor
"telegram:<user id>"; Edit continues in the guided conversation. /log alone starts that
conversation (bot.chat.log.conversation), registered before the one-liner so it sees it first.

At start the command menus are set: /help for everyone, and the commands of each active
member's role in their own chat. Words come from templates/chat/<language>/staff.html.j2.
Handlers stay thin: every database call runs in a worker thread with a Session of its own.
"""

import asyncio
import html
import logging
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from jinja2 import Template
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.chat.chair.conversation import add_chair_handlers
from bot.chat.events import add_events_handlers
from bot.chat.log.conversation import CONVERSATION_TIMEOUT, add_log_conversation
from bot.chat.log.line import parse_log_line, summary, usage
from bot.chat.log.one_liner import DRAFT_LIFETIME, Draft, drafts_of
from bot.chat.stats import STATS_COMMANDS, add_stats_handlers
from bot.render.templates import DEFAULT_LANGUAGE, environment, problem_line
from storage import invitations, pocs, submissions
from storage.figures.status import reporting_status
from storage.imports.common import PartyFinder
from storage.imports.events import import_events
from storage.imports.tabular import Table
from storage.parties import UN_LANGUAGES, Party, PartyKind
from storage.reminders import PocReply, ReminderCycle, ReminderPolicy
from storage.staff import LastAdminError, StaffRole, grant, is_user_id, members, revoke, role_of
from storage.submissions import NATIONAL_REPORT_KINDS, SubmissionKind

__all__ = ["COMMANDS", "DRAFT_LIFETIME", "MESSAGE_LIMIT", "POC_COMMANDS", "add_staff_handlers",
           "commands_for", "fitted", "poc_say", "say", "set_staff_commands"]

log = logging.getLogger(__name__)

_CALLBACK_PATTERN = r"^log:(save|cancel):[A-Za-z0-9_-]{1,16}$"

MESSAGE_LIMIT = 4096  # Telegram's longest message, in characters
HISTORY_SHOWN = 10  # the latest submissions /state lists

# What each role may type, in menu order (only commands that work are listed).
_STAFF_COMMANDS = ("help", "log", "events", "state", "org", "nonreporting", "invite",
                   *STATS_COMMANDS, "chair")
_COMMANDS: dict[StaffRole, tuple[str, ...]] = {
    StaffRole.STAFF: _STAFF_COMMANDS,
    StaffRole.ADMIN: (*_STAFF_COMMANDS, "grant", "revoke"),
}
# Every command the bot registers, with the least role that may use it.
COMMANDS: dict[str, StaffRole] = {
    "start": StaffRole.STAFF,
    **{name: StaffRole.STAFF for name in _STAFF_COMMANDS},
    "grant": StaffRole.ADMIN,
    "revoke": StaffRole.ADMIN,
}
# What a Point of Contact may type in the chat bound to their record (storage.invitations).
POC_COMMANDS = ("start", "help", "mystatus", "language", "stop")
_POC_MENU = ("help", "mystatus", "language", "stop")

App = Application[Any, Any, Any, Any, Any, Any]


# -- words --------------------------------------------------------------------------------


def _template() -> Template:
    return environment().get_template(f"chat/{DEFAULT_LANGUAGE}/staff.html.j2")


def say(message: str, **params: Any) -> str:
    """One message of the staff template (Telegram HTML, what people typed escaped)."""
    return str(getattr(_template().module, message)(**params)).strip()


def poc_say(language: str, message: str, **params: Any) -> str:
    """One message of templates/chat/<language>/poc.html.j2, English when it is missing."""
    template = environment().select_template(
        [f"chat/{language}/poc.html.j2", f"chat/{DEFAULT_LANGUAGE}/poc.html.j2"])
    return str(getattr(template.module, message)(**params)).strip()


def poc_commands(language: str) -> list[tuple[str, str]]:
    return [(name, poc_say(language, f"describe_{name}")) for name in _POC_MENU]


def commands_for(role: StaffRole) -> list[tuple[str, str]]:
    """(command, description) that the role may use."""
    return [(name, say(f"describe_{name}")) for name in _COMMANDS[role]]


def fitted(message: str, items: list[Any], **params: Any) -> str:
    """The message `message` showing as many of `items` as Telegram takes; the template says how
    many more there are (`items`, `more`)."""
    shown = len(items)
    while True:
        text = say(message, items=items[:shown], more=len(items) - shown, **params)
        if len(text) <= MESSAGE_LIMIT or shown == 0:
            return text[:MESSAGE_LIMIT]
        shown = min(shown - 1, shown * MESSAGE_LIMIT // len(text))


# -- storage calls, each in a worker thread with a Session of its own ----------------------


@dataclass(frozen=True)
class _Poc:
    """The active PoC a chat is bound to."""

    id: int
    language: str
    party_id: int


def _poc_of(engine: Engine, chat_id: int) -> _Poc | None:
    with Session(engine) as session:
        poc = session.exec(
            select(pocs.PointOfContact)
            .where(pocs.PointOfContact.telegram_chat_id == chat_id,
                   pocs.PointOfContact.status == pocs.PocStatus.ACTIVE)
            .order_by(col(pocs.PointOfContact.id))
        ).first()
        if poc is None or poc.id is None:
            return None
        return _Poc(id=poc.id, language=poc.language, party_id=poc.party_id)


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


def _redeem(engine: Engine, token: str, chat_id: int, now: datetime) -> str | None:
    """The greeting in the PoC's language, or None when the token is not valid."""
    with Session(engine) as session:
        poc = invitations.redeem(session=session, token=token, chat_id=chat_id, now=now)
        if poc is None:
            session.rollback()
            return None
        party = session.get(Party, poc.party_id)
        text = poc_say(poc.language, "greeting", name=poc.full_name,
                       party="" if party is None else party.name)
        session.commit()
    return text


def _mystatus_view(engine: Engine, poc: _Poc) -> str:
    """The PoC's own party only: never another State's figures."""
    with Session(engine) as session:
        party = session.get(Party, poc.party_id)
        if party is None:
            return poc_say(poc.language, "mystatus_org", party="")
        if party.kind != PartyKind.STATE:
            return poc_say(poc.language, "mystatus_org", party=party.name)
        rows = [row for row, _ in submissions.history(session=session, party_id=poc.party_id)]
    firsts = [row.submitted_on for row in rows if row.kind == SubmissionKind.FIRST_REPORT]
    return poc_say(
        poc.language, "mystatus", party=party.name,
        first_report=min(firsts) if firsts else None,
        national_reports=sum(row.kind in NATIONAL_REPORT_KINDS for row in rows),
        last_submission=max((row.submitted_on for row in rows), default=None),
        action_plans=sum(row.kind == SubmissionKind.ACTION_PLAN for row in rows))


def _set_language(engine: Engine, poc_id: int, language: str, actor: str,
                  now: datetime) -> None:
    with Session(engine) as session:
        poc = pocs.get(session=session, poc_id=poc_id)
        assert poc is not None
        fields = replace(pocs.fields_of(session=session, poc=poc), language=language)
        pocs.update(session=session, poc=poc, fields=fields, actor=actor,
                    action="language_changed", now=now)
        session.commit()


def _stop(engine: Engine, poc_id: int, actor: str, now: datetime) -> None:
    with Session(engine) as session:
        pocs.stop_telegram(session=session, poc_id=poc_id, actor=actor, now=now)
        session.commit()


def _role(engine: Engine, user_id: int) -> StaffRole | None:
    with Session(engine) as session:
        return role_of(session=session, telegram_user_id=user_id)


def _import(engine: Engine, row: dict[str, str], actor: str, now: datetime,
            dry_run: bool) -> list[str]:
    """Import the one row as `outreach import events` would; the problems as Telegram HTML."""
    table = Table(columns=list(row), rows=[(1, dict(row))])
    with Session(engine) as session:
        report = import_events(session=session, table=table, actor=actor, today=now.date(),
                               dry_run=dry_run)
        if report.problems or dry_run:
            session.rollback()
        else:
            session.commit()
    # one line typed in the chat: "line 1" would say nothing
    return [html.escape(problem_line(replace(problem, line=None)))
            for problem in report.problems]


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


def _state_view(engine: Engine, value: str) -> str:
    """The /state answer: the State's facts, PoCs, history, last reminder and last reply."""
    with Session(engine) as session:
        party, suggestion = _find(session, value, PartyKind.STATE)
        if party is None or party.id is None:
            return say("unknown_state", value=value, suggestion=suggestion)
        history = [(row.kind, row.submitted_on) for row, _ in
                   reversed(submissions.history(session=session, party_id=party.id))]
        cycle = session.exec(
            select(ReminderCycle, ReminderPolicy)
            .join(ReminderPolicy, col(ReminderPolicy.id) == col(ReminderCycle.policy_id))
            .where(ReminderCycle.party_id == party.id)
            .order_by(col(ReminderCycle.sent_at).desc(), col(ReminderCycle.id).desc())
        ).first()
        reply = session.exec(
            select(PocReply)
            .join(pocs.PointOfContact, col(pocs.PointOfContact.id) == col(PocReply.poc_id))
            .where(pocs.PointOfContact.party_id == party.id)
            .order_by(col(PocReply.at).desc(), col(PocReply.id).desc())
        ).first()
        return fitted(
            "state", _active_pocs(session, party.id), name=party.name, iso3=party.code,
            group=party.electoral_group or "", history=history[:HISTORY_SHOWN],
            older=max(0, len(history) - HISTORY_SHOWN),
            cycle=None if cycle is None else (cycle[1].name, cycle[0].sent_at.date()),
            reply=None if reply is None else (reply.answer, reply.at.date()))


def _org_view(engine: Engine, value: str) -> str:
    with Session(engine) as session:
        party, suggestion = _find(session, value, PartyKind.ORGANISATION)
        if party is None or party.id is None:
            return say("unknown_org", value=value, suggestion=suggestion)
        return fitted("org", _active_pocs(session, party.id), name=party.name,
                      acronym=party.code, scope=party.scope or "")


def _nonreporting_view(engine: Engine) -> str:
    with Session(engine) as session:
        codes = reporting_status(session=session, since=submissions.RESOLUTION_ADOPTED
                                 ).non_reporting
        names = dict(session.exec(select(Party.code, Party.name)
                                  .where(Party.kind == PartyKind.STATE)).all())
    return fitted("nonreporting", [(code, names.get(code, "")) for code in codes],
                  count=len(codes))


def _grant(engine: Engine, user_id: int, role: StaffRole, actor: str, now: datetime) -> bool:
    with Session(engine) as session:
        changed = grant(session=session, telegram_user_id=user_id, role=role, actor=actor,
                        now=now)
        session.commit()
    return changed


def _revoke(engine: Engine, user_id: int, actor: str, now: datetime) -> bool:
    with Session(engine) as session:
        changed = revoke(session=session, telegram_user_id=user_id, actor=actor, now=now)
        session.commit()
    return changed


def _active_members(engine: Engine) -> list[tuple[int, StaffRole]]:
    with Session(engine) as session:
        return [(member.telegram_user_id, StaffRole(member.role))
                for member in members(session=session)]


# -- the handlers -------------------------------------------------------------------------


def _sender_id(update: Update) -> int | None:
    user = update.effective_user
    return None if user is None else user.id


async def _reply(update: Update, text: str,
                 markup: InlineKeyboardMarkup | None = None) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            text, parse_mode=ParseMode.HTML, reply_markup=markup)


def add_staff_handlers(application: App, engine: Engine, clock: Callable[[], datetime],
                       log_timeout: timedelta = CONVERSATION_TIMEOUT) -> None:
    """Register /start, /help, /log (the guided conversation, the one-liner and its buttons),
    /events (and its buttons), /state, /org, /nonreporting, /grant, /revoke, and the command
    menus set at start.
    `log_timeout`: how long a guided /log may wait for an answer before its draft is dropped."""

    async def staff_role(update: Update, needed: StaffRole = StaffRole.STAFF
                         ) -> StaffRole | None:
        """The sender's role; someone without one, or staff typing an admin's command, is
        answered the refusal and logged."""
        user_id = _sender_id(update)
        role = None if user_id is None else await asyncio.to_thread(_role, engine, user_id)
        if role is None:
            log.info("telegram staff command refused for user %s", user_id)
            poc = await poc_of(update)
            await _reply(update, say("refused") if poc is None
                         else poc_say(poc.language, "staff_only"))
        elif needed is StaffRole.ADMIN and role is not StaffRole.ADMIN:
            log.info("telegram admin command refused for user %s (staff)", user_id)
            await _reply(update, say("admins_only"))
            return None
        return role

    async def poc_of(update: Update) -> _Poc | None:
        chat = update.effective_chat
        return None if chat is None else await asyncio.to_thread(_poc_of, engine, chat.id)

    async def poc_role(update: Update) -> _Poc | None:
        """The PoC of this chat; staff are told the command is for PoCs, anyone else refused."""
        poc = await poc_of(update)
        if poc is None:
            user_id = _sender_id(update)
            role = None if user_id is None else await asyncio.to_thread(_role, engine, user_id)
            log.info("telegram PoC command refused for user %s", user_id)
            await _reply(update, say("refused") if role is None
                         else poc_say(DEFAULT_LANGUAGE, "poc_only"))
        return poc

    async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        args = list(context.args or [])
        chat = update.effective_chat
        if not args or chat is None:
            await on_help(update, context)
            return
        text = await asyncio.to_thread(_redeem, engine, args[0], chat.id, clock())
        if text is None:
            log.info("telegram invitation refused in chat %s", chat.id)
            await _reply(update, poc_say(DEFAULT_LANGUAGE, "invalid_invitation"))
            return
        log.info("telegram invitation redeemed in chat %s", chat.id)
        poc = await poc_of(update)
        if poc is not None:
            await _poc_menu(application, chat.id, poc.language)
        await _reply(update, text)

    async def on_invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user_id = _sender_id(update)
        if await staff_role(update) is None or user_id is None:
            return
        args = list(context.args or [])
        if len(args) != 1 or not (args[0].isascii() and args[0].isdigit()):
            await _reply(update, say("invite_usage"))
            return
        now = clock()
        made = await asyncio.to_thread(_invite, engine, int(args[0]), f"telegram:{user_id}",
                                       now)
        if made is None:
            await _reply(update, say("unknown_poc", poc_id=args[0]))
            return
        token, name = made
        log.info("telegram /invite by user %s: PoC %s", user_id, args[0])
        link = invitations.deep_link(context.bot.username, token)
        await _reply(update, say("invited", poc_id=args[0], name=name, link=link,
                                 expires=(now + invitations.LIFETIME).isoformat(
                                     timespec="minutes")))

    async def on_mystatus(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        poc = await poc_role(update)
        if poc is not None:
            await _reply(update, await asyncio.to_thread(_mystatus_view, engine, poc))

    async def on_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        poc = await poc_role(update)
        chat = update.effective_chat
        if poc is None or chat is None:
            return
        args = [arg.lower() for arg in context.args or []]
        if len(args) != 1 or args[0] not in UN_LANGUAGES:
            await _reply(update, poc_say(poc.language, "language_usage",
                                         codes=sorted(UN_LANGUAGES)))
            return
        await asyncio.to_thread(_set_language, engine, poc.id, args[0],
                                f"telegram:{chat.id}", clock())
        await _poc_menu(application, chat.id, args[0])
        await _reply(update, poc_say(args[0], "language_changed"))

    async def on_stop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        poc = await poc_role(update)
        chat = update.effective_chat
        if poc is None or chat is None:
            return
        await asyncio.to_thread(_stop, engine, poc.id, f"telegram:{chat.id}", clock())
        log.info("telegram /stop in chat %s: PoC %s", chat.id, poc.id)
        await _reply(update, poc_say(poc.language, "stopped"))

    def lookup(view: Callable[[Engine, str], str], usage_code: str
               ) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
        """A staff look-up: the usage hint without an argument, else the view's answer."""
        async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            if await staff_role(update) is None:
                return
            value = " ".join(context.args or []).strip()
            if not value:
                await _reply(update, say(usage_code))
                return
            await _reply(update, await asyncio.to_thread(view, engine, value))
        return handler

    async def on_nonreporting(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await staff_role(update) is not None:
            await _reply(update, await asyncio.to_thread(_nonreporting_view, engine))

    def target_of(args: list[str], extra: tuple[str, ...]) -> tuple[int, str] | None:
        """The user id and the optional word after it, or None when the line is not valid."""
        if not 1 <= len(args) <= (2 if extra else 1) or not (
                args[0].isascii() and args[0].isdigit()):
            return None
        word = args[1].lower() if len(args) == 2 else ""
        if word and word not in extra:
            return None
        target = int(args[0])
        return (target, word) if is_user_id(target) else None

    async def on_grant(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user_id = _sender_id(update)
        if await staff_role(update, StaffRole.ADMIN) is None or user_id is None:
            return
        parsed = target_of(list(context.args or []), ("admin", "staff"))
        if parsed is None:
            await _reply(update, say("grant_usage"))
            return
        target, word = parsed
        role = StaffRole.ADMIN if word == "admin" else StaffRole.STAFF
        try:
            changed = await asyncio.to_thread(_grant, engine, target, role,
                                              f"telegram:{user_id}", clock())
        except LastAdminError:
            await _reply(update, say("last_admin"))
            return
        log.info("telegram /grant by user %s: user %s %s", user_id, target,
                 "granted" if changed else "unchanged")
        await _menu(application, target, role)
        await _reply(update, say("granted", user=target, role=role.value, changed=changed))

    async def on_revoke(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user_id = _sender_id(update)
        if await staff_role(update, StaffRole.ADMIN) is None or user_id is None:
            return
        parsed = target_of(list(context.args or []), ())
        if parsed is None:
            await _reply(update, say("revoke_usage"))
            return
        target, _ = parsed
        try:
            changed = await asyncio.to_thread(_revoke, engine, target, f"telegram:{user_id}",
                                              clock())
        except LastAdminError:
            await _reply(update, say("last_admin"))
            return
        log.info("telegram /revoke by user %s: user %s %s", user_id, target,
                 "revoked" if changed else "had no role")
        if changed:
            await _menu(application, target, None)
        await _reply(update, say("revoked", user=target, changed=changed))

    async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user_id = _sender_id(update)
        role = None if user_id is None else await asyncio.to_thread(_role, engine, user_id)
        poc = None if role is not None else await poc_of(update)
        if poc is not None:
            await _reply(update, say("help", commands=poc_commands(poc.language)))
            return
        role = await staff_role(update)
        if role is not None:
            await _reply(update, say("help", commands=commands_for(role)))

    async def on_log(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        role = await staff_role(update)
        message = update.effective_message
        user_id = _sender_id(update)
        if role is None or message is None or user_id is None:
            return
        text = message.text or ""
        if not " ".join(context.args or []).strip():
            await _reply(update, usage())
            return
        row, problems = parse_log_line(text)
        if row is None:
            await _reply(update, "\n".join(problems))
            return
        now = clock()
        problems = await asyncio.to_thread(_import, engine, row, f"telegram:{user_id}", now,
                                           True)
        if problems:
            await _reply(update, "\n".join([say("not_saved"), *problems, usage()]))
            return
        drafts = drafts_of(context.bot_data)  # at call time: PTB replaces bot_data at start
        for token in [t for t, draft in drafts.items() if draft.expires <= now]:
            del drafts[token]
        token = secrets.token_urlsafe(6)
        drafts[token] = Draft(row=row, user_id=user_id, expires=now + DRAFT_LIFETIME)
        buttons = InlineKeyboardMarkup([[
            InlineKeyboardButton(say("save_button"), callback_data=f"log:save:{token}"),
            InlineKeyboardButton(say("edit_button"), callback_data=f"log:edit:{token}"),
            InlineKeyboardButton(say("cancel_button"), callback_data=f"log:cancel:{token}"),
        ]])
        await _reply(update, summary(row), buttons)

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or not isinstance(query.data, str):
            return
        _, action, token = query.data.split(":", 2)
        user_id = query.from_user.id
        now, drafts = clock(), drafts_of(context.bot_data)
        draft = drafts.get(token)
        if draft is not None and draft.expires <= now:
            del drafts[token]
            draft = None
        if draft is None:
            await _quietly(query.answer())
            await _edit(query, say("expired"))
            return
        if draft.user_id != user_id:
            log.info("telegram /log button refused for user %s (not the author)", user_id)
            await _quietly(query.answer(text=say("not_your_draft")))
            return
        del drafts[token]  # one press only: a second Save finds nothing
        title = draft.row.get("title", "")
        if action == "cancel":
            await _quietly(query.answer())
            await _edit(query, say("cancelled", title=title))
            return
        if await asyncio.to_thread(_role, engine, user_id) is None:
            log.info("telegram staff command refused for user %s", user_id)
            await _quietly(query.answer())
            await _edit(query, say("refused"))
            return
        try:
            problems = await asyncio.to_thread(_import, engine, draft.row,
                                               f"telegram:{user_id}", now, False)
        except Exception:
            log.exception("telegram /log by user %s: not saved", user_id)
            drafts[token] = draft  # the person may press Save again
            await _quietly(query.answer(text=say("failed")))
            return
        await _quietly(query.answer())
        if problems:
            await _edit(query, "\n".join([say("not_saved"), *problems]))
            return
        log.info("telegram /log by user %s: event saved", user_id)
        await _edit(query, say("saved", title=title))

    async def on_other_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        role = await staff_role(update)
        if role is not None:
            await _reply(update, say("help", commands=commands_for(role)))

    async def on_stray_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Words in a private chat that no question is waiting for, e.g. an answer to a draft
        that timed out or that a restart dropped: say so rather than stay silent."""
        user_id = _sender_id(update)
        role = None if user_id is None else await asyncio.to_thread(_role, engine, user_id)
        if role is not None:
            await _reply(update, say("nothing_waiting", commands=commands_for(role)))
        else:
            await on_help(update, context)  # a PoC's commands, or the polite refusal

    async def post_init(app: App) -> None:
        await set_staff_commands(app, engine)

    application.add_handler(CommandHandler("start", on_start))
    application.add_handler(CommandHandler("help", on_help))
    application.add_handler(CommandHandler("invite", on_invite))
    application.add_handler(CommandHandler("mystatus", on_mystatus))
    application.add_handler(CommandHandler("language", on_language))
    application.add_handler(CommandHandler("stop", on_stop))
    # before the one-liner: /log alone, its Edit button and event:edit:<id> start the guide
    add_log_conversation(application, engine, clock, staff_role, timeout=log_timeout)
    application.add_handler(CommandHandler("log", on_log))
    application.add_handler(CommandHandler("state", lookup(_state_view, "state_usage")))
    application.add_handler(CommandHandler("org", lookup(_org_view, "org_usage")))
    application.add_handler(CommandHandler("nonreporting", on_nonreporting))
    application.add_handler(CommandHandler("grant", on_grant))
    application.add_handler(CommandHandler("revoke", on_revoke))
    add_stats_handlers(application, engine, clock, staff_role)  # /stats, /report
    application.add_handler(CallbackQueryHandler(on_button, pattern=_CALLBACK_PATTERN))
    add_events_handlers(application, engine, clock, staff_role)  # before the catch-all
    add_chair_handlers(application, engine, clock, staff_role)  # before the catch-all
    application.add_handler(MessageHandler(filters.COMMAND, on_other_command))
    application.add_handler(MessageHandler(
        filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.COMMAND,
        on_stray_text))
    application.post_init = post_init


async def _quietly(call: Any) -> None:
    """Await an answerCallbackQuery; a refusal (query too old) is logged, not raised."""
    try:
        await call
    except TelegramError as error:
        log.warning("telegram /log button: callback not answered (%s)", type(error).__name__)


async def _edit(query: Any, text: str) -> None:
    """Replace the summary with `text`, buttons gone; a refused edit is logged, not raised."""
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=None)
    except TelegramError as error:
        log.warning("telegram /log message not edited (%s)", type(error).__name__)


async def _menu(application: App, user_id: int, role: StaffRole | None) -> None:
    """Set (or, with no role, remove) one member's command menu; a refusal is logged."""
    scope = BotCommandScopeChat(chat_id=user_id)
    try:
        if role is None:
            await application.bot.delete_my_commands(scope=scope)
        else:
            await application.bot.set_my_commands(
                [BotCommand(name, text) for name, text in commands_for(role)], scope=scope)
    except TelegramError as error:
        log.warning("telegram command menu not set (%s)", type(error).__name__)


async def _poc_menu(application: App, chat_id: int, language: str) -> None:
    """The PoC's command menu in their chat, in their language; a refusal is logged."""
    try:
        await application.bot.set_my_commands(
            [BotCommand(name, text) for name, text in poc_commands(language)],
            scope=BotCommandScopeChat(chat_id=chat_id))
    except TelegramError as error:
        log.warning("telegram command menu not set (%s)", type(error).__name__)


async def set_staff_commands(application: App, engine: Engine) -> None:
    """The command menus: /help for everyone, each active member's commands in their chat.

    A server that refuses is logged once, as a warning, and the bot goes on without menus.
    """
    try:
        everyone = [BotCommand("help", say("describe_help"))]
        await application.bot.set_my_commands(everyone, scope=BotCommandScopeDefault())
        for user_id, role in await asyncio.to_thread(_active_members, engine):
            commands = [BotCommand(name, text) for name, text in commands_for(role)]
            await application.bot.set_my_commands(
                commands, scope=BotCommandScopeChat(chat_id=user_id))
    except TelegramError as error:
        log.warning("telegram command menus not set (%s)", type(error).__name__)
