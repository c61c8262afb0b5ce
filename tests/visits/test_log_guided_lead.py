"""The guided /log's Edit asks who led the event, and Save stores it (audited)."""

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.chat.log.keyboards import say
from storage import events
from storage.audit import AuditEntry
from storage.events import Event, EventFields
from tests.support.fake_bot_api import FakeBotApi
from tests.support.log_chat import Chat
from tests.support.outbox import NOW
from tests.support.personas import STAFF


async def test_editing_a_visit_sets_its_lead_body(
    api: FakeBotApi, engine: Engine, staff: None, session: Session
) -> None:
    event = events.add(session=session, actor="test", now=NOW, fields=EventFields(
        title="Visit to a State (invented)", start_date=date(2024, 5, 6),
        end_date=date(2024, 5, 6), type="visit"))
    session.commit()
    assert event.id is not None
    async with Chat.open(api, engine) as chat:
        [summary] = await chat.press_data(STAFF, 77, f"event:edit:{event.id}")
        await chat.press(STAFF, summary, "Edit")
        [question] = await chat.press(STAFF, summary, "Led by")
        [shown] = await chat.press(STAFF, question, "the CTC")
        await chat.press(STAFF, shown, "Save")
    assert question.text == say("ask_lead_body")
    assert "Led by: the CTC" in shown.text
    with Session(engine) as fresh:
        stored = fresh.get(Event, event.id)
        assert stored is not None and stored.lead_body == "ctc"
        [entry] = fresh.exec(select(AuditEntry).where(AuditEntry.action == "update"))
    assert entry.before is not None and entry.after is not None
    assert (entry.before["lead_body"], entry.after["lead_body"]) == ("committee", "ctc")
