"""A staff member logs a whole event by answering the bot's questions, end to end: the reply
bot long-polls the fake Bot API through python-telegram-bot's real HTTP stack, as the service
runs it, and the event lands in the test's database (SQLite, PostgreSQL)."""

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.chat.log.keyboards import say
from storage import events
from storage.audit import AuditEntry
from storage.events import Event
from storage.parties import Party
from tests.support.chat import until
from tests.support.fake_bot_api import FakeBotApi
from tests.support.log_chat import Chat, labels
from tests.support.personas import STAFF

TITLE = "Regional workshop on export controls"


async def test_a_staff_member_logs_a_whole_event_by_answering_the_questions(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with Chat.open(api, engine, polling=True) as chat:
        title = await chat.say(STAFF, "/log")
        start = await chat.say(STAFF, TITLE)
        assert "November 2026" in labels(api, start)  # the picker opens on this month
        await chat.press(STAFF, start, say("previous_month"))
        await until(lambda: "October 2026" in labels(api, start))
        [end] = await chat.press(STAFF, start, "14", new_messages=1)
        wrong = await chat.say(STAFF, "2026-10-32")
        mode = await chat.say(STAFF, "2026-10-16")
        modes = labels(api, mode)
        [place] = await chat.press(STAFF, mode, "hybrid", new_messages=1)
        kind = await chat.say(STAFF, "Abidjan, Cote d'Ivoire")
        [audiences] = await chat.press(STAFF, kind, "workshop", new_messages=1)
        await chat.press(STAFF, audiences, "States")
        await chat.press(STAFF, audiences, "industry")
        await until(lambda: "✓ industry" in labels(api, audiences))
        [involvement] = await chat.press(STAFF, audiences, "Done", new_messages=1)
        [organisers] = await chat.press(STAFF, involvement, "co-organised", new_messages=1)
        summary = await chat.say(STAFF, "UNODA; Turkey, committee")
        await chat.press(STAFF, summary, "Edit")
        await until(lambda: "Participants" in labels(api, summary))
        [participants] = await chat.press(STAFF, summary, "Participants", new_messages=1)
        edited = await chat.say(STAFF, "45")
        await chat.press(STAFF, edited, "Save")
        await until(lambda: api.edited_texts[-1].text.startswith("Saved"))
    assert title.text.startswith("<b>New outreach event</b>")
    assert end.text == say("ask_end_date", start="2026-10-14")
    assert wrong.text == say("hint_date", value="2026-10-32") + "\n\n" + end.text
    assert modes == ["in person", "virtual", "hybrid"]
    assert place.text == say("ask_place", virtual=False)
    assert organisers.text == say("ask_organisers")
    assert participants.text == say("ask_participants")
    assert edited.text.splitlines()[1:] == [
        f"<b>{TITLE}</b>", "Dates: 2026-10-14 to 2026-10-16", "Mode: hybrid",
        "Place: Abidjan, Côte d&#39;Ivoire", "Type: workshop", "Audiences: States, industry",
        "Organisations' involvement: co-organised", "Organisers: UNODA, TUR, committee",
        "Participants: 45"]
    assert api.edited_texts[-1].text == f"Saved: <b>{TITLE}</b>"
    with Session(engine) as fresh:
        [event] = fresh.exec(select(Event))
        assert event.id is not None
        country = fresh.get(Party, event.country_party_id)
        assert country is not None and country.code == "CIV"
        assert (event.title, event.start_date, event.end_date, event.city, event.mode,
                event.type, event.iro_involvement, event.participants, event.created_by) == (
            TITLE, date(2026, 10, 14), date(2026, 10, 16), "Abidjan", "hybrid", "workshop",
            "co_organised", 45, f"telegram:{STAFF}")
        assert events.audiences_of(session=fresh, event_id=event.id) == ("states", "industry")
        assert events.organisers_of(session=fresh, event_id=event.id) == (
            "UNODA", "TUR", "committee")
        [entry] = fresh.exec(select(AuditEntry).where(AuditEntry.entity == "event"))
        assert (entry.action, entry.actor) == ("create", f"telegram:{STAFF}")
