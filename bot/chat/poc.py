"""A Point of Contact in the chat: joining by invitation, and the PoC's own commands.

    /start <token>   the single-use deep link of `outreach invite` or the staff's /invite
                     (storage.invitations): binds this chat to the PoC's record and greets
                     them in their language; an unknown, used or expired token is refused
    /mystatus        their own State's reporting status, assistance requests and latest
                     approved matrix (never another State's)
    /language CODE   one of the six UN languages: the PoC's record, their command menu
    /stop            no more Telegram messages (e-mail goes on); audited

(/start alone and /help are bot.chat.staff's /help, which lists a PoC's commands too; /assist
is bot.chat.assist, whose words are in templates/assistance/en/telegram.html.j2.)
Only the PoC whose record the chat is bound to may use these (bot.chat.access.poc_role).
Words come from templates/telegram/en/poc.html.j2, in the PoC's language (telegram.po); logs name
chat ids and PoC ids only. Every database call runs in a worker thread with a Session of its
own.
"""

import asyncio
import logging
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Bot, BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.chat.access import BoundPoc, poc_of, poc_role
from bot.chat.assist import keyboards as assist_words
from bot.chat.assist import store as assist_store
from bot.chat.common import reply, say, services
from bot.chat.submit.conversation import words as submit_words
from bot.render.templates import DEFAULT_LANGUAGE
from storage import invitations, pocs, submissions
from storage.figures.matrices import version_shares
from storage.inbox.store import under_review
from storage.matrices import versions as matrix_versions
from storage.parties import UN_LANGUAGES, Party, PartyKind
from storage.party_names import party_name
from storage.submissions import NATIONAL_REPORT_KINDS, SubmissionKind

__all__ = ["POC_COMMANDS", "on_invitation", "on_language", "on_mystatus", "on_stop",
           "poc_commands"]

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

# What a Point of Contact may type in the chat bound to their record.
POC_COMMANDS = ("start", "help", "mystatus", "submit", "language", "stop")
_MENU = ("help", "mystatus", "language", "stop")


def poc_commands(language: str) -> list[tuple[str, str]]:
    """(command, description) of a PoC's menu, in their language (/assist: for a State's)."""
    return [(name, say("poc", f"describe_{name}", language)) for name in _MENU[:2]] + [
        ("assist", assist_words.say("describe_assist", language)),
        ("submit", submit_words("describe_submit", language))] + [
        (name, say("poc", f"describe_{name}", language)) for name in _MENU[2:]]


async def _set_menu(bot: Bot, chat_id: int, language: str) -> None:
    """The PoC's command menu in their chat, in their language; a refusal is logged."""
    try:
        await bot.set_my_commands(
            [BotCommand(name, text) for name, text in poc_commands(language)],
            scope=BotCommandScopeChat(chat_id=chat_id))
    except TelegramError as error:
        log.warning("telegram command menu not set (%s)", type(error).__name__)


# -- storage calls, each in a worker thread with a Session of its own ----------------------


def _redeem(engine: Engine, token: str, chat_id: int, now: datetime) -> str | None:
    """The greeting in the PoC's language, or None when the token is not valid."""
    with Session(engine) as session:
        poc = invitations.redeem(session=session, token=token, chat_id=chat_id, now=now)
        if poc is None:
            session.rollback()
            return None
        party = session.get(Party, poc.party_id)
        text = say("poc", "greeting", poc.language, name=poc.full_name,
                   party="" if party is None else party_name(party, poc.language).text)
        session.commit()
    return text


def _matrix_lines(session: Session, poc: BoundPoc, today: date) -> str:
    """The State's latest matrix version approved by `today`, in the PoC's language."""
    found = matrix_versions.latest(session=session, party_id=poc.party_id, approved_by=today)
    if found is None:
        return say("poc", "mystatus_no_matrix", poc.language)
    return say("poc", "mystatus_matrix", poc.language, version=found.version,
               shares=version_shares(found.cells))


def _mystatus_view(engine: Engine, poc: BoundPoc, today: date) -> str:
    """The PoC's own party only: never another State's figures."""
    with Session(engine) as session:
        party = session.get(Party, poc.party_id)
        if party is None:
            return say("poc", "mystatus_org", poc.language, party="")
        reviewed = _under_review(session, poc)
        if party.kind != PartyKind.STATE:
            return "\n\n".join(filter(None, [say(
                "poc", "mystatus_org", poc.language,
                party=party_name(party, poc.language).text), reviewed]))
        rows = [row for row, _ in submissions.history(session=session, party_id=poc.party_id)]
        requests = assist_store.lines(session, poc.party_id)
        matrix = _matrix_lines(session, poc, today)
    firsts = [row.submitted_on for row in rows if row.kind == SubmissionKind.FIRST_REPORT]
    assistance = (assist_words.say("mystatus_requests", poc.language, requests=requests)
                  if requests else "")
    return "\n\n".join(filter(None, [say(
        "poc", "mystatus", poc.language, party=party_name(party, poc.language).text,
        first_report=min(firsts) if firsts else None,
        national_reports=sum(row.kind in NATIONAL_REPORT_KINDS for row in rows),
        last_submission=max((row.submitted_on for row in rows), default=None),
        action_plans=sum(row.kind == SubmissionKind.ACTION_PLAN for row in rows)),
        assistance, matrix, reviewed]))


def _under_review(session: Session, poc: BoundPoc) -> str:
    """The party's documents staff have not decided on yet: "received on ..., under review"."""
    items = [{"purpose": document.purpose, "file": document.original_name,
              "day": document.received_at.date().isoformat()}
             for document in under_review(session=session, party_id=poc.party_id)]
    return submit_words("under_review", poc.language, items=items) if items else ""


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


# -- the handlers -------------------------------------------------------------------------


async def on_invitation(update: Update, context: Context) -> None:
    """/start <token>: the deep link's token binds this chat to the PoC's record."""
    chat = update.effective_chat
    args = list(context.args or [])
    if not args or chat is None:
        return
    found = services(context)
    text = await asyncio.to_thread(_redeem, found.engine, args[0], chat.id, found.clock())
    if text is None:
        log.info("telegram invitation refused in chat %s", chat.id)
        await reply(update, say("poc", "invalid_invitation", DEFAULT_LANGUAGE))
        return
    log.info("telegram invitation redeemed in chat %s", chat.id)
    poc = await poc_of(update, context)
    if poc is not None:
        await _set_menu(context.bot, chat.id, poc.language)
    await reply(update, text)


async def on_mystatus(update: Update, context: Context) -> None:
    poc = await poc_role(update, context)
    if poc is not None:
        found = services(context)
        await reply(update, await asyncio.to_thread(_mystatus_view, found.engine, poc,
                                                    found.clock().date()))


async def on_language(update: Update, context: Context) -> None:
    poc = await poc_role(update, context)
    chat = update.effective_chat
    if poc is None or chat is None:
        return
    args = [arg.lower() for arg in context.args or []]
    if len(args) != 1 or args[0] not in UN_LANGUAGES:
        await reply(update, say("poc", "language_usage", poc.language,
                                codes=sorted(UN_LANGUAGES)))
        return
    found = services(context)
    await asyncio.to_thread(_set_language, found.engine, poc.id, args[0],
                            f"telegram:{chat.id}", found.clock())
    await _set_menu(context.bot, chat.id, args[0])
    await reply(update, say("poc", "language_changed", args[0]))


async def on_stop(update: Update, context: Context) -> None:
    poc = await poc_role(update, context)
    chat = update.effective_chat
    if poc is None or chat is None:
        return
    found = services(context)
    await asyncio.to_thread(_stop, found.engine, poc.id, f"telegram:{chat.id}", found.clock())
    log.info("telegram /stop in chat %s: PoC %s", chat.id, poc.id)
    await reply(update, say("poc", "stopped", poc.language))
