"""/responses in the staff's chat: the letters that expect an answer, and who answered.

    /responses        every letter: written to, responded (substantive), promised, awaited
    /responses ID     letter ID, party by party: who answered (when, substantive or not, by
                      which road), who promised (until when) and who has not answered

Staff and admins only: the role check is bot.chat.access's, so outsiders get its refusal.
Recording a response that came by note verbale is `outreach responses record`. Words:
templates/chat/<language>/responses.html.j2; database calls in a worker thread.
"""

import asyncio
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Update
from telegram.ext import ContextTypes

from bot.chat import common
from bot.chat.access import staff_role
from bot.chat.common import reply, services
from storage.figures.letters import letter_rows, letter_summaries
from storage.letters import LetterError

__all__ = ["RESPONSES_COMMANDS", "on_responses"]

RESPONSES_COMMANDS = ("responses",)
MAX_ROWS = 60  # parties listed in one message; the rest are counted ("N more")

say = partial(common.say, "responses")  # templates/chat/en/responses.html.j2


def _overview(engine: Engine, today: date) -> str:
    with Session(engine) as session:
        found = letter_summaries(session=session, today=today)
    return say("overview", letters=found)


def _letter(engine: Engine, letter_id: int) -> str:
    with Session(engine) as session:
        try:
            rows: list[dict[str, Any]] = letter_rows(session=session, letter_id=letter_id)
        except LetterError:
            return say("not_found", letter_id=letter_id)
    answered = [r for r in rows if r["answer"] == "response"]
    promised = [r for r in rows if r["answer"] == "promise"]
    silent = [r for r in rows if r["answer"] == "none"]
    return say("letter", letter_id=letter_id, answered=answered, promised=promised,
               silent=silent, limit=MAX_ROWS)


async def on_responses(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await staff_role(update, context) is None:
        return
    args = list(context.args or [])
    found = services(context)
    if not args:
        text = await asyncio.to_thread(_overview, found.engine, found.clock().date())
    elif len(args) == 1 and args[0].isdigit() and len(args[0]) <= 12:
        text = await asyncio.to_thread(_letter, found.engine, int(args[0]))
    else:
        text = say("usage")
    await reply(update, text)
