"""/matrix STATE in the staff's chat: a State's latest matrix version (seed paper, section
4.3), its dates and its shares of possible measures recorded by section and weapon category,
and which version the figures count today when that is another; then the newest draft sent
to the State for review through the bot and where its answer stands.

Staff and admins only (bot.chat.access); words in templates/chat/<language>/matrices.html.j2;
the database is read in a worker thread with a Session of its own.
"""

import asyncio
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select
from telegram import Update
from telegram.ext import ContextTypes

from bot.chat.access import staff_role
from bot.chat.common import reply, say, services
from storage.figures.matrices import version_shares
from storage.imports.common import PartyFinder
from storage.inbox import store
from storage.matrices import reviews, versions
from storage.parties import Party, PartyKind

__all__ = ["MATRIX_COMMANDS", "on_matrix", "state_matrix"]

MATRIX_COMMANDS = ("matrix",)  # staff's, described in matrices.html.j2

Context = ContextTypes.DEFAULT_TYPE


def state_matrix(engine: Engine, value: str, today: date) -> str:
    """The /matrix answer for the State typed (code, name or former name)."""
    with Session(engine) as session:
        finder = PartyFinder(session.exec(select(Party)))
        party = finder.find(value, former_names=True)
        if party is None or party.id is None or party.kind != PartyKind.STATE:
            return say("matrices", "unknown_state", value=value,
                       suggestion=finder.suggestion(value, kind=PartyKind.STATE))
        latest = versions.latest(session=session, party_id=party.id)
        counted = versions.latest(session=session, party_id=party.id, approved_by=today)
        sent = reviews.of_party(session=session, party_id=party.id)[:1]  # the newest review
        comments = store.comments_of(session=session,
                                     review_ids=[review.id or 0 for review, _ in sent])
    if latest is None:
        return say("matrices", "no_matrix", name=party.name, code=party.code)
    text = say("matrices", "matrix", name=party.name, code=party.code, latest=latest.version,
               shares=version_shares(latest.cells),
               counted=None if counted is None else counted.version)
    for review, version in sent:  # the draft sent through the bot, and the State's answer
        text += "\n\n" + say("matrices", "review_line", review=review, number=version.version)
        for document in comments.get(review.id or 0, []):
            text += "\n" + say("matrices", "review_comments", document=document)
    return text


async def on_matrix(update: Update, context: Context) -> None:
    if await staff_role(update, context) is None:
        return
    value = " ".join(context.args or []).strip()
    if not value:
        await reply(update, say("matrices", "matrix_usage"))
        return
    found = services(context)
    await reply(update, await asyncio.to_thread(state_matrix, found.engine, value,
                                                found.clock().date()))
