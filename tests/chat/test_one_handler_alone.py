"""One handler of the chat, alone: a plain `async def on_x(update, context)` that finds the
database and the clock in bot_data, driven through Application.process_update by a Bot whose
requests never leave the process (no server, no socket). Both backends."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, select
from telegram import Bot, Update
from telegram.ext import Application, ApplicationBuilder, BaseHandler, CommandHandler

from bot.chat.common import SERVICES_KEY, Services
from bot.chat.log.guided import CONVERSATION_TIMEOUT
from bot.chat.staff import on_nonreporting
from storage import submissions
from storage.parties import Party, PartyKind
from tests.support.chat import Clock, OfflineRequest, command, staff_say
from tests.support.outbox import NOW
from tests.support.personas import STAFF, STRANGER


@asynccontextmanager
async def alone(engine: Engine, handler: BaseHandler[Any, Any, Any]
                ) -> AsyncIterator[tuple[Application[Any, Any, Any, Any, Any, Any],
                                         OfflineRequest]]:
    """An Application with this one handler and its services, its Bot answered in-process."""
    request = OfflineRequest()
    application = (ApplicationBuilder().bot(Bot("123:offline", request=request))
                   .updater(None).build())
    application.bot_data[SERVICES_KEY] = Services(engine, Clock(), CONVERSATION_TIMEOUT)
    application.add_handler(handler)
    async with application:
        yield application, request


async def test_nonreporting_is_answered_from_the_database_without_a_network(
    engine: Engine, session: Session, staff: None
) -> None:
    civ = session.exec(select(Party).where(Party.code == "CIV")).one()
    assert civ.id is not None
    submissions.add(session=session, party_id=civ.id, kind="first_report",
                    submitted_on=date(2005, 1, 10), symbol="", note="", actor="test", now=NOW)
    session.commit()
    states = session.exec(select(func.count()).select_from(Party)
                          .where(Party.kind == PartyKind.STATE)).one()
    async with alone(engine, CommandHandler("nonreporting", on_nonreporting)) as (
            application, request):
        for update_id, user_id in enumerate((STAFF, STRANGER), start=1):
            await application.process_update(Update.de_json(
                command(update_id, user_id, "/nonreporting"), application.bot))
    [answer] = request.sent(STAFF)
    lines = answer.splitlines()
    assert lines[0] == f"<b>{states - 1}</b> States have not submitted a first report:"
    assert "AFG — Afghanistan" in lines
    assert not any(line.startswith("CIV") for line in lines)  # its first report is in
    assert request.sent(STRANGER) == [staff_say("refused")]
    assert {method for method, _ in request.calls} == {"getMe", "sendMessage"}
