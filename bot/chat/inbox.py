"""Staff's /inbox: the documents PoCs sent (issue 16), and staff's decision on each.

    /inbox                               the documents awaiting a decision, oldest first
    /inbox open ID                       the bot sends the file back to the staff member (as
                                         a document, never shown or rendered)
    /inbox confirm ID KIND YYYY-MM-DD    a submission of the reporting history (first_report,
                                         additional_info, action_plan); reminders follow
    /inbox confirm ID letter [LETTER] substantive|not_substantive [YYYY-MM-DD]
                                         the party's response to the letter the PoC named
                                         (or LETTER), the document attached; the letter's
                                         reminders stop for the party
    /inbox confirm ID                    comments on a draft matrix: staff have read them (no
                                         submission, the reporting history unchanged)
    /inbox decline ID REASON...          the PoC is sent the reason in their language

Staff only (bot.chat.access.staff_role); words from templates/chat/en/inbox.html.j2 in the
member's language; every write audited as "telegram:<user id>". Where the files are (the
data folder) and the upload cap come from InboxPlace, kept in bot_data under INBOX_KEY.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.chat.access import actor, staff_role
from bot.chat.common import fitted, reply, say, services
from bot.chat.inbox_notice import item_of
from storage.inbox import store
from storage.inbox.model import InboxStatus, ReceivedDocument
from storage.parties import Party

__all__ = ["INBOX_COMMANDS", "INBOX_KEY", "InboxPlace", "on_inbox", "place"]

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
INBOX_KEY = "inbox_place"
INBOX_COMMANDS = ("inbox",)
SUBSTANTIVE = ("substantive", "not_substantive")


@dataclass(frozen=True)
class InboxPlace:
    data_dir: Path
    max_bytes: int = store.DEFAULT_MAX_BYTES


def place(context: Context) -> InboxPlace:
    found = context.bot_data.get(INBOX_KEY)
    return found if isinstance(found, InboxPlace) else InboxPlace(Path("outreach-data"))


def _listing(engine: Engine) -> str:
    with Session(engine) as session:
        items = [item_of(document, party) for document, party in
                 store.listing(session=session, status=InboxStatus.RECEIVED)]
    return fitted("inbox", "listing", items)


def _file(engine: Engine, data_dir: Path, document_id: int) -> tuple[str, Path | None]:
    """(the name to send it under, its path) or (the answer, None)."""
    with Session(engine) as session:
        document = session.get(ReceivedDocument, document_id)
        if document is None:
            return say("inbox", "not_found", id=document_id), None
        path = store.path_of(data_dir=data_dir, document=document)
        if path is None:
            return say("inbox", "duplicate_file", id=document_id,
                       first=document.duplicate_of), None
        if not path.is_file():
            return say("inbox", "missing_file", id=document_id), None
        return f"{document.id}-{document.original_name}", path


@dataclass(frozen=True)
class _Response:
    """What `/inbox confirm ID letter [LETTER] substantive|not_substantive [DAY]` says."""

    letter: int | None
    substantive: bool
    day: date | None


def _response(args: list[str]) -> _Response | None:
    """The response words after `confirm ID letter`; None when they are not well formed."""
    rest = args[3:]
    letter = int(rest.pop(0)) if rest and rest[0].isdigit() else None
    if not rest or rest[0] not in SUBSTANTIVE:
        return None
    substantive = rest.pop(0) == "substantive"
    if len(rest) > 1:
        return None
    try:
        day = date.fromisoformat(rest[0]) if rest else None
    except ValueError:
        return None
    return _Response(letter, substantive, day)


def _confirm_response(session: Session, document: ReceivedDocument, chosen: _Response,
                      who: str, now: datetime) -> str:
    letter_id = chosen.letter if chosen.letter is not None else document.letter_id
    if letter_id is None:
        raise store.InboxError("inbox_no_letter")
    done = store.confirm_response(
        session=session, document=document, letter_id=letter_id,
        substantive=chosen.substantive,
        responded_on=chosen.day or document.received_at.date(), actor=who, now=now)
    party = session.get(Party, document.party_id)
    return say("inbox", "response_confirmed", id=document.id, code=party.code if party else "",
               letter=letter_id, substantive=chosen.substantive,
               day=done.response.responded_on.isoformat())


def _decide(engine: Engine, args: list[str], who: str, now: datetime) -> str:
    """confirm ID KIND DAY | confirm ID letter ... | decline ID REASON: the answer to staff."""
    verb, document_id = args[0], int(args[1])
    with Session(engine, expire_on_commit=False) as session:
        document = session.get(ReceivedDocument, document_id)
        if document is None:
            return say("inbox", "not_found", id=document_id)
        try:
            chosen = (_response(args) if verb == "confirm" and len(args) > 2
                      and args[2] == "letter" else None)
            if chosen is not None:
                answer = _confirm_response(session, document, chosen, who, now)
            elif verb == "confirm" and len(args) == 2:
                store.mark_read(session=session, document=document, actor=who, now=now)
                answer = say("inbox", "comments_read", id=document_id,
                             review=document.matrix_review_id)
            elif verb == "confirm":
                day = date.fromisoformat(args[3])
                store.confirm(session=session, document=document, kind=args[2],
                              submitted_on=day, actor=who, now=now)
                party = session.get(Party, document.party_id)
                answer = say("inbox", "confirmed", id=document_id,
                             code=party.code if party else "", kind=args[2],
                             day=day.isoformat())
            else:
                store.decline(session=session, document=document, reason=" ".join(args[2:]),
                              actor=who, now=now)
                answer = say("inbox", "declined", id=document_id)
        except store.InboxError as error:
            session.rollback()
            return say("inbox", "refused", code=error.code)
        session.commit()
    return answer


def _well_formed(args: list[str]) -> bool:
    if len(args) < 2 or not args[1].isdigit():
        return False
    if args[0] == "open":
        return len(args) == 2
    if args[0] == "confirm" and len(args) > 2 and args[2] == "letter":
        return _response(args) is not None
    if args[0] == "confirm" and len(args) == 2:
        return True  # comments on a draft matrix (store.mark_read refuses any other)
    if args[0] == "confirm":
        if len(args) != 4:
            return False
        try:
            date.fromisoformat(args[3])
        except ValueError:
            return False
        return True
    return args[0] == "decline" and len(args) >= 3


async def _open(update: Update, context: Context, document_id: int) -> None:
    name, path = await asyncio.to_thread(_file, services(context).engine,
                                         place(context).data_dir, document_id)
    chat = update.effective_chat
    if path is None or chat is None:
        await reply(update, name)
        return
    try:
        with path.open("rb") as handle:
            await context.bot.send_document(chat.id, handle, filename=name)
    except TelegramError as error:
        log.warning("inbox: document %s not sent to staff (%s)", document_id,
                    type(error).__name__)
        await reply(update, say("inbox", "missing_file", id=document_id))


async def on_inbox(update: Update, context: Context) -> None:
    if await staff_role(update, context) is None:
        return
    args = list(context.args or [])
    engine = services(context).engine
    if not args:
        await reply(update, await asyncio.to_thread(_listing, engine))
        return
    if not _well_formed(args):
        await reply(update, say("inbox", "usage"))
        return
    if args[0] == "open":
        await _open(update, context, int(args[1]))
        return
    answer = await asyncio.to_thread(_decide, engine, args, actor(update),
                                     services(context).clock())
    log.info("telegram /inbox %s of document %s", args[0], args[1])
    await reply(update, answer)
