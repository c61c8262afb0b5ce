"""A restart of the bot (deploy, crash, fail-over) does not lose a staff member's unsaved draft.

Each spec stops the Application and builds a NEW one on the same database, as a restarted
`outreach run` does, and goes on where the person was. Both backends.
"""

import logging
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.chat.app import build_application
from bot.chat.chair import calls
from bot.chat.chair.conversation import CONVERSATION_KEY
from bot.chat.chair.conversation import CONVERSATION_TIMEOUT as CHAIR_TIMEOUT
from bot.chat.common import services
from bot.chat.events import SEARCH_LIFETIME, SEARCHES_KEY
from bot.chat.log.conversation import CONVERSATION_TIMEOUT, GUIDED_KEY, NAME, Step
from bot.chat.log.keyboards import say
from bot.chat.log.one_liner import DRAFT_LIFETIME, DRAFTS_CODEC, DRAFTS_KEY, Draft, drafts_of
from bot.chat.persistence import DatabasePersistence
from bot.chat.staff import commands_for
from storage import chair, events
from storage.events import Event
from storage.staff import StaffRole
from storage.telegram_state import drop_state, load_states
from tests.support.chair_chat import DRAFTER, add_staff, chat_driver
from tests.support.chat import (
    EXAMPLE,
    Clock,
    press,
    saved_events,
    staff_bot,
    staff_say,
    until,
    write,
)
from tests.support.fake_bot_api import FakeBotApi
from tests.support.log_chat import Chat
from tests.support.personas import STAFF

TITLE = "Border controls seminar"


def stored(engine: Engine) -> list[Event]:
    with Session(engine) as fresh:
        return list(fresh.exec(select(Event).order_by(col(Event.id))))


def kept(engine: Engine, kind: str = "bot_data") -> dict[str, Any]:
    """What the table holds of `kind`."""
    return load_states(engine, kind)


async def test_a_guided_log_goes_on_after_a_restart_and_is_saved_whole(
    api: FakeBotApi, engine: Engine, staff: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    clock = Clock()
    async with Chat.open(api, engine, clock) as before:
        await before.say(STAFF, "/log")
        await before.say(STAFF, TITLE)
        end = await before.say(STAFF, "2026-11-02")
    assert kept(engine, "conversation") == {f"{NAME}:{STAFF},{STAFF}": Step.END_DATE.name}
    assert TITLE in str(kept(engine)["bot_data"][GUIDED_KEY])

    clock.now += timedelta(minutes=2)
    async with Chat.open(api, engine, clock) as after:  # a new Application: the restart
        [mode] = await after.press(STAFF, end, "Same day")
        [place] = await after.press(STAFF, mode, "virtual")
        [kind] = await after.press(STAFF, place, "Skip")
        [audiences] = await after.press(STAFF, kind, "webinar")
        [involvement] = await after.press(STAFF, audiences, "Done")
        [organisers] = await after.press(STAFF, involvement, "none")
        [summary] = await after.press(STAFF, organisers, "Skip")
        await after.press(STAFF, summary, "Save")
    assert f"<b>{TITLE}</b>" in summary.text
    assert api.edited_texts[-1].text == say("saved", title=TITLE)
    [event] = stored(engine)
    assert (event.title, event.start_date, event.end_date, event.mode, event.type,
            event.iro_involvement, event.created_by) == (
        TITLE, date(2026, 11, 2), date(2026, 11, 2), "virtual", "webinar", "none",
        f"telegram:{STAFF}")
    # saved: nothing of it is kept any more, and what was typed never reached our logs
    assert kept(engine, "conversation") == {}
    assert GUIDED_KEY not in kept(engine).get("bot_data", {})
    ours = [record.getMessage() for record in caplog.records
            if record.name.startswith(("bot.", "storage."))]
    assert ours and not any(TITLE in line for line in ours)


async def test_a_restored_guided_log_past_its_timeout_is_dropped_at_the_next_answer(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    clock = Clock()
    async with Chat.open(api, engine, clock) as before:
        await before.say(STAFF, "/log")
        await before.say(STAFF, TITLE)
    clock.now += CONVERSATION_TIMEOUT + timedelta(seconds=1)  # the job died with the process
    async with Chat.open(api, engine, clock) as after:
        late = await after.say(STAFF, "2026-11-02")
        again = await after.say(STAFF, "2026-11-02")
    assert late.text == say("timed_out", title=TITLE, minutes=10)
    assert again.text == staff_say("nothing_waiting", commands=commands_for(StaffRole.STAFF))
    assert stored(engine) == []
    assert kept(engine, "conversation") == {}
    assert GUIDED_KEY not in kept(engine).get("bot_data", {})


async def test_a_step_restored_without_its_draft_says_the_draft_is_gone(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    """E.g. the bot was away longer than the timeout, and the draft was no longer kept."""
    clock = Clock()
    async with Chat.open(api, engine, clock) as before:
        await before.say(STAFF, "/log")
        await before.say(STAFF, TITLE)
    drop_state(engine, "bot_data", "bot_data")  # the step is kept, its draft is not
    async with Chat.open(api, engine, clock) as after:
        gone = await after.say(STAFF, "2026-11-02")
        again = await after.say(STAFF, "2026-11-02")
    assert gone.text == say("draft_gone")
    assert again.text == staff_say("nothing_waiting", commands=commands_for(StaffRole.STAFF))
    assert stored(engine) == []


async def test_a_chair_draft_goes_on_after_a_restart(api: FakeBotApi, engine: Engine,
                                                     session: Session) -> None:
    add_staff(session)
    clock = Clock()
    async with chat_driver(api, engine, clock) as before:
        choice = await before.say(DRAFTER, "/chair new")
        [asked] = await before.press(DRAFTER, choice, "English (en)")
        asked = await before.say(DRAFTER, "Message of the Chair")
        offset = before.offset
    assert asked.text == calls.say("ask_body", language="en")
    assert "Message of the Chair" in str(kept(engine, "user_data")[str(DRAFTER)])

    clock.now += timedelta(minutes=5)
    async with chat_driver(api, engine, clock) as after:
        after.offset = offset  # the restarted bot polls on from where the last one stopped
        more = await after.say(DRAFTER, "Dear colleagues, the annual report is out.")
        assert more.text == calls.say("written", languages=["en"])
        answers = await after.press(DRAFTER, more, "Done")
    assert answers[0].text.startswith("Message ")
    with Session(engine) as fresh:
        [message] = chair.listing(session=fresh)
        assert message.id is not None and message.drafted_by == f"telegram:{DRAFTER}"
        bodies = chair.bodies(session=fresh, message_id=message.id)
        assert {language: (body.subject, body.markdown) for language, body in bodies.items()
                } == {"en": ("Message of the Chair",
                             "Dear colleagues, the annual report is out.")}
    assert CONVERSATION_KEY not in str(kept(engine, "user_data"))
    assert kept(engine, "conversation") == {}


async def test_an_idle_chair_draft_is_not_kept_in_the_table(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    add_staff(session)
    clock = Clock()
    async with chat_driver(api, engine, clock) as before:
        choice = await before.say(DRAFTER, "/chair new")
        await before.press(DRAFTER, choice, "English (en)")
        clock.now += CHAIR_TIMEOUT + timedelta(seconds=1)
    assert CONVERSATION_KEY not in str(kept(engine, "user_data"))


async def test_a_one_liners_save_button_works_after_a_restart_within_its_lifetime(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    clock = Clock()
    async with staff_bot(api, engine, clock):
        shown = await write(api, STAFF, EXAMPLE)
        stale = await write(api, STAFF, EXAMPLE.replace("2022-03-14", "2022-03-15"))
    assert len(kept(engine)["bot_data"][DRAFTS_KEY]) == 2

    clock.now += DRAFT_LIFETIME - timedelta(minutes=1)
    async with staff_bot(api, engine, clock):
        await press(api, STAFF, shown, "Save")
        await until(lambda: len(api.edited_texts) == 1)
    assert api.edited_texts[0].text == "Saved: <b>Regional workshop on export controls</b>"
    [event] = saved_events(engine)
    with Session(engine) as fresh:
        assert event.id is not None
        assert events.organisers_of(session=fresh, event_id=event.id) == ("UNODA",)
    # the other draft is still kept; once past its lifetime it is gone from the table
    assert len(kept(engine)["bot_data"][DRAFTS_KEY]) == 1
    clock.now += timedelta(minutes=2)
    async with staff_bot(api, engine, clock):
        await press(api, STAFF, stale, "Save")
        await until(lambda: len(api.edited_texts) == 2)
    assert api.edited_texts[1].text == staff_say("expired")
    assert len(saved_events(engine)) == 1
    assert DRAFTS_KEY not in kept(engine).get("bot_data", {})


async def test_expired_drafts_and_searches_do_not_stay_in_the_table(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    clock = Clock()
    async with staff_bot(api, engine, clock):
        await write(api, STAFF, EXAMPLE)
        await write(api, STAFF, "/events workshop")
    assert set(kept(engine)["bot_data"]) == {DRAFTS_KEY, SEARCHES_KEY}

    clock.now += max(DRAFT_LIFETIME, SEARCH_LIFETIME) + timedelta(seconds=1)
    async with staff_bot(api, engine, clock):
        pass  # nobody comes back: the restart alone drops what expired
    assert kept(engine) == {}


async def test_two_processes_writing_at_once_last_writer_wins(engine: Engine) -> None:
    """A fail-over can overlap the old and the new leader for a moment: no crash."""
    states = {NAME: Step}
    old = DatabasePersistence(engine, Clock(), states=states)
    new = DatabasePersistence(engine, Clock(), states=states)
    await old.update_conversation(NAME, (1, 1), Step.TITLE)
    await new.update_conversation(NAME, (1, 1), Step.MODE)
    assert await DatabasePersistence(engine, Clock(), states=states).get_conversations(
        NAME) == {(1, 1): Step.MODE}
    await old.update_conversation(NAME, (1, 1), None)
    await new.update_conversation(NAME, (1, 1), None)  # already gone: nothing to drop
    assert await new.get_conversations(NAME) == {}


async def test_the_handlers_services_are_in_bot_data_after_initialize_and_never_stored(
    api: FakeBotApi, engine: Engine
) -> None:
    """PTB replaces bot_data with the persistence's at initialize: the services come back
    with it (resident), and the table never holds them."""
    clock = Clock()
    application = build_application(FakeBotApi.TOKEN, api.base_url, engine, clock=clock,
                                    log_timeout=timedelta(minutes=3))
    async with application:
        found = services(application)
        drafts_of(application.bot_data)["t0k3n"] = Draft(  # a stored entry beside them
            row={"title": TITLE}, user_id=STAFF, expires=clock.now + DRAFT_LIFETIME)
        await application.update_persistence()
    assert (found.engine, found.clock, found.log_timeout) == (engine, clock,
                                                              timedelta(minutes=3))
    assert set(kept(engine)["bot_data"]) == {DRAFTS_KEY}


async def test_a_resident_entry_is_handed_back_never_stored_and_never_also_stored(
    engine: Engine
) -> None:
    """What the handlers need in bot_data (e.g. the database engine) must survive
    initialize, where PTB replaces bot_data with the persistence's, and stay out of the
    table."""
    with pytest.raises(ValueError, match="both resident and stored"):
        DatabasePersistence(engine, Clock(), resident={DRAFTS_KEY: object()},
                            bot_codecs={DRAFTS_KEY: DRAFTS_CODEC})
    persistence = DatabasePersistence(engine, Clock(), resident={"marker": "in memory"},
                                      bot_codecs={DRAFTS_KEY: DRAFTS_CODEC})
    assert await persistence.get_bot_data() == {"marker": "in memory"}
    await persistence.update_bot_data({"marker": "in memory", "other": 1})
    assert kept(engine) == {}
