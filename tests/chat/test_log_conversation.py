"""Staff log an outreach event by answering the bot's questions (/log with nothing after it).

Each update goes to Application.process_update; the bot's answers go through PTB's HTTP
stack to the fake Bot API. Both backends. The end-to-end run (long polling) is in
test_log_conversation_end_to_end.py.
"""

import re
import warnings
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.chat.log.conversation import Step, log_conversation
from bot.chat.log.keyboards import say
from bot.chat.staff import commands_for
from storage import events
from storage.audit import AuditEntry
from storage.events import Event, EventFields
from storage.staff import StaffRole
from tests.support.chat import EXAMPLE, Clock, staff_say, until
from tests.support.fake_bot_api import FakeBotApi
from tests.support.log_chat import Chat, labels
from tests.support.outbox import NOW
from tests.support.paths import REPO
from tests.support.personas import ADMIN, STAFF, STRANGER

# What staff are told when they type and no question waits (after /cancel or a timeout)
NOTHING_WAITING = staff_say("nothing_waiting", commands=commands_for(StaffRole.STAFF))
DIAGRAM = REPO / "bot" / "chat" / "log" / "conversation.mmd"


def stored(engine: Engine) -> list[Event]:
    with Session(engine) as fresh:
        return list(fresh.exec(select(Event).order_by(col(Event.id))))


async def guide_to_summary(chat: Chat, user: int, title: str = "Border controls seminar"
                           ) -> None:
    """Answer every question the quickest way: a virtual webinar on 2026-11-02."""
    await chat.say(user, "/log")
    await chat.say(user, title)
    end = await chat.say(user, "2026-11-02")
    [mode] = await chat.press(user, end, "Same day")
    [place] = await chat.press(user, mode, "virtual")
    [kind] = await chat.press(user, place, "Skip")
    [audiences] = await chat.press(user, kind, "webinar")
    [involvement] = await chat.press(user, audiences, "Done")
    [organisers] = await chat.press(user, involvement, "none")
    [summary] = await chat.press(user, organisers, "Skip")
    assert labels(chat.api, summary) == ["Save", "Edit", "Cancel"]


def test_every_state_is_in_the_diagram_and_every_diagram_state_is_a_state() -> None:
    text = DIAGRAM.read_text(encoding="utf-8")
    drawn = set(re.findall(r"^\s*(\w+) --> ", text, re.MULTILINE)) | set(
        re.findall(r"--> (\w+)", text))
    assert drawn == {step.name for step in Step}


def test_the_conversation_is_built_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        handler = log_conversation()
    assert set(handler.states) - {-2} == set(Step)


async def test_an_outsider_is_refused_and_no_conversation_starts(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with Chat.open(api, engine) as chat:
        refused = await chat.say(STRANGER, "/log")
        ignored = await chat.type(STRANGER, "Border controls seminar")
    assert refused.text == staff_say("refused")
    assert [message.text for message in ignored] == [staff_say("refused")]
    assert stored(engine) == []


async def test_an_invalid_date_gets_the_hint_and_the_same_question(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with Chat.open(api, engine) as chat:
        await chat.say(STAFF, "/log")
        await chat.say(STAFF, "Border controls seminar")
        bad = await chat.say(STAFF, "14/03/2022")
        future = await chat.say(STAFF, "2026-12-01")
        end = await chat.say(STAFF, "2026-11-02")
        before = await chat.say(STAFF, "2026-11-01")
        [mode] = await chat.press(STAFF, before, "2")  # the picker: the 2nd of November
    assert bad.text == say("hint_date", value="14/03/2022") + "\n\n" + say("ask_start_date")
    assert "November 2026" in labels(api, bad)
    assert future.text.startswith(say("hint_future", value="2026-12-01"))
    assert end.text == say("ask_end_date", start="2026-11-02")
    assert before.text.startswith(say("hint_end_before_start", value="2026-11-01",
                                      start="2026-11-02"))
    assert before.text.endswith(say("ask_end_date", start="2026-11-02"))
    assert mode.text == say("ask_mode")
    assert api.edited_texts[-1].text == "End: <b>2026-11-02</b>"


async def test_cancel_drops_the_draft_at_any_step(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with Chat.open(api, engine) as chat:
        await chat.say(STAFF, "/log")
        question = await chat.say(STAFF, "Border controls seminar")
        cancelled = await chat.say(STAFF, "/cancel")
        after = await chat.type(STAFF, "2026-11-02")
        await chat.press(STAFF, question, "2")  # the old picker
        await guide_to_summary(chat, ADMIN)
        summary = api.messages_to(ADMIN)[-1]
        await chat.press(ADMIN, summary, "Cancel")
    assert cancelled.text == say("cancelled", title="Border controls seminar")
    assert cancelled.text == "Cancelled: <b>Border controls seminar</b> was not saved."
    assert [message.text for message in after] == [NOTHING_WAITING]
    assert api.callback_answers[0].text == say("stale_button")
    assert api.edited_texts[-1].text == cancelled.text
    assert stored(engine) == []


async def test_an_abandoned_conversation_times_out_and_says_so(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    """The real timeout, whose timer PTB's JobQueue is then told to run at once: no wait
    that a busy machine could outlast."""
    from datetime import UTC, datetime

    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobEvent

    from bot.chat.log.conversation import CONVERSATION_TIMEOUT

    async with Chat.open(api, engine) as chat:
        await chat.say(STAFF, "/log")
        await chat.say(STAFF, "Border controls seminar")
        jobs = chat.application.job_queue
        [timer] = jobs.jobs()  # PTB's timeout for this conversation
        left = timer.next_t - datetime.now(UTC)
        assert CONVERSATION_TIMEOUT - timedelta(minutes=5) < left <= CONVERSATION_TIMEOUT
        ran: list[JobEvent] = []
        jobs.scheduler.add_listener(ran.append, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        # the timeout passes: the JobQueue runs the timer now, however late it gets to it
        timer.job.modify(next_run_time=datetime.now(UTC), misfire_grace_time=None)
        await until(lambda: len(ran) == 1, seconds=60)  # the timer has run to its end
        assert ran[0].code == EVENT_JOB_EXECUTED
        [dropped] = api.messages_to(STAFF)[2:]
        late = await chat.type(STAFF, "2026-11-02")
    minutes = round(CONVERSATION_TIMEOUT.total_seconds() / 60)
    assert dropped.text == say("timed_out", title="Border controls seminar", minutes=minutes)
    assert "dropped" in dropped.text
    assert [message.text for message in late] == [NOTHING_WAITING]
    assert stored(engine) == []


async def test_a_virtual_event_is_saved_with_what_was_answered(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with Chat.open(api, engine) as chat:
        await guide_to_summary(chat, ADMIN)
        summary = api.messages_to(ADMIN)[-1]
        await chat.press(ADMIN, summary, "Save")
    assert "Mode: virtual" in summary.text and "Place: none" in summary.text
    assert api.edited_texts[-1].text == say("saved", title="Border controls seminar")
    [event] = stored(engine)
    assert (event.start_date, event.end_date, event.mode, event.type, event.country_party_id,
            event.created_by) == (date(2026, 11, 2), date(2026, 11, 2), "virtual", "webinar",
                                  None, f"telegram:{ADMIN}")


async def test_the_place_is_resolved_and_an_unknown_one_is_asked_again(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with Chat.open(api, engine) as chat:
        await chat.say(STAFF, "/log")
        await chat.say(STAFF, "Border controls seminar")
        end = await chat.say(STAFF, "2026-11-02")
        [mode] = await chat.press(STAFF, end, "Same day")
        [place] = await chat.press(STAFF, mode, "in person")
        unknown = await chat.say(STAFF, "Atlantis, Atlantis <b>")
        kind = await chat.say(STAFF, "Pyongyang, DPRK")
        [audiences] = await chat.press(STAFF, kind, "visit")
        [involvement] = await chat.press(STAFF, audiences, "Done")
        await chat.press(STAFF, involvement, "none")
        summary = await chat.say(STAFF, "unodA, Turkey; committee")
        shown = []
        for typed in ("Abidjan, Cote d'Ivoire", "Ankara, TUR", "Türkiye"):
            await chat.press(STAFF, summary, "Edit")
            await chat.press(STAFF, summary, "Place")
            summary = await chat.say(STAFF, typed)
            shown.append(summary.text)
    assert labels(api, place) == []  # in person: a place is needed, no Skip
    assert unknown.text.startswith('No Member State is called "Atlantis &lt;b&gt;".')
    assert unknown.text.endswith(say("ask_place", virtual=False))
    assert kind.text == say("ask_type")
    assert "Organisers: UNODA, TUR, committee" in summary.text
    assert "Place: Abidjan, Côte d&#39;Ivoire" in shown[0]
    assert "Place: Ankara, Türkiye" in shown[1]
    assert "Place: Türkiye" in shown[2]


async def test_the_one_liners_edit_enters_the_conversation_at_the_summary(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with Chat.open(api, engine) as chat:
        line = await chat.say(STAFF, EXAMPLE)
        assert labels(api, line) == ["Save", "Edit", "Cancel"]
        [summary] = await chat.press(STAFF, line, "Edit")
        await chat.press(STAFF, summary, "Edit")
        [question] = await chat.press(STAFF, summary, "Type")
        [again] = await chat.press(STAFF, question, "conference")
        await chat.press(STAFF, again, "Save")
    assert "<b>Regional workshop on export controls</b>" in summary.text
    assert "Place: Bangkok, Thailand" in summary.text
    assert "Audiences: States, industry" in summary.text
    assert "Type: conference" in again.text
    [event] = stored(engine)
    with Session(engine) as fresh:
        assert event.id is not None
        assert events.organisers_of(session=fresh, event_id=event.id) == ("UNODA",)
        assert events.audiences_of(session=fresh, event_id=event.id) == ("states", "industry")
    assert (event.type, event.iro_involvement, event.city) == ("conference", "co_organised",
                                                               "Bangkok")


async def test_editing_a_stored_event_amends_it_and_audits_it(
    api: FakeBotApi, engine: Engine, staff: None, session: Session
) -> None:
    event = events.add(session=session, actor="test", now=NOW, fields=EventFields(
        title="Export control workshop", start_date=date(2024, 5, 6), end_date=date(2024, 5, 7),
        mode="virtual", type="workshop", audiences=("industry",), organisers=("UNODA",)))
    session.commit()
    assert event.id is not None
    async with Chat.open(api, engine) as chat:
        refused = await chat.press_data(STRANGER, 77, f"event:edit:{event.id}")
        [summary] = await chat.press_data(STAFF, 77, f"event:edit:{event.id}")
        await chat.press(STAFF, summary, "Edit")
        [question] = await chat.press(STAFF, summary, "Participants")
        shown = await chat.say(STAFF, "45")
        await chat.press(STAFF, shown, "Save")
    assert [message.text for message in refused] == [staff_say("refused")]
    assert f"Event {event.id}, your changes are not saved yet:" in summary.text
    assert "Dates: 2024-05-06 to 2024-05-07" in summary.text
    assert question.text == say("ask_participants")
    assert "Participants: 45" in shown.text
    assert api.edited_texts[-1].text == say("amended", title="Export control workshop")
    [amended] = stored(engine)
    assert (amended.id, amended.participants, amended.type) == (event.id, 45, "workshop")
    with Session(engine) as fresh:
        assert events.audiences_of(session=fresh, event_id=event.id) == ("industry",)
        [entry] = fresh.exec(select(AuditEntry).where(AuditEntry.action == "update"))
    assert (entry.actor, entry.entity, entry.entity_id) == (f"telegram:{STAFF}", "event",
                                                            str(event.id))
    assert entry.before is not None and entry.after is not None
    assert (entry.before["participants"], entry.after["participants"]) == (None, 45)


async def test_a_title_is_shown_as_typed(api: FakeBotApi, engine: Engine, staff: None) -> None:
    title = '<b>Dual-use & "AI"</b>'
    async with Chat.open(api, engine) as chat:
        await guide_to_summary(chat, STAFF, title=title)
        summary = api.messages_to(STAFF)[-1]
        await chat.press(STAFF, summary, "Save")
    assert "<b>&lt;b&gt;Dual-use &amp; &#34;AI&#34;&lt;/b&gt;</b>" in summary.text
    assert api.edited_texts[-1].text == (
        "Saved: <b>&lt;b&gt;Dual-use &amp; &#34;AI&#34;&lt;/b&gt;</b>")
    [event] = stored(engine)
    assert event.title == title


async def test_problems_at_save_are_shown_and_the_draft_is_kept(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with Chat.open(api, engine) as chat:
        await guide_to_summary(chat, STAFF, title="Bell \x07 seminar")
        summary = api.messages_to(STAFF)[-1]
        [again] = await chat.press(STAFF, summary, "Save")
        await chat.press(STAFF, again, "Edit")
        await chat.press(STAFF, again, "Title")
        fixed = await chat.say(STAFF, "Bell seminar")
        await chat.press(STAFF, fixed, "Save")
    assert again.text.startswith("The event was not saved:\n• ")
    assert "Mode: virtual" in again.text  # nothing lost
    [event] = stored(engine)
    assert (event.title, event.type) == ("Bell seminar", "webinar")


async def test_a_button_of_an_earlier_question_changes_nothing(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with Chat.open(api, engine) as chat:
        await chat.say(STAFF, "/log")
        start = await chat.say(STAFF, "Border controls seminar")
        end = await chat.say(STAFF, "2026-11-02")  # typed: the start's picker stays
        again = await chat.press(STAFF, start, "2")  # the start's picker, at the end's step
        stale = api.callback_answers[-1]
        [mode] = await chat.press(STAFF, end, "Same day")
    assert again == [] and stale.data == "lc:start:day:2026-11-02"
    assert stale.text == say("stale_button")
    assert mode.text == say("ask_mode")


async def test_an_edit_that_would_duplicate_another_event_is_refused_and_kept(
    api: FakeBotApi, engine: Engine, staff: None, session: Session
) -> None:
    ids = [events.add(session=session, actor="test", now=NOW, fields=EventFields(
        title=title, start_date=date(2024, 5, 6), end_date=date(2024, 5, 6))).id
        for title in ("Export control workshop", "Border controls seminar")]
    session.commit()
    async with Chat.open(api, engine) as chat:
        [summary] = await chat.press_data(STAFF, 77, f"event:edit:{ids[0]}")
        await chat.press(STAFF, summary, "Save")
        unchanged = api.edited_texts[-1].text
        [summary] = await chat.press_data(STAFF, 77, f"event:edit:{ids[0]}")
        await chat.press(STAFF, summary, "Edit")
        await chat.press(STAFF, summary, "Title")
        typed = await chat.say(STAFF, "border controls SEMINAR")
        [refused] = await chat.press(STAFF, typed, "Save")
        buttons = await chat.say(STAFF, "save it")  # text where buttons are expected
    assert unchanged == say("unchanged", title="Export control workshop")
    assert refused.text.startswith("The event was not saved:\n• " + say("event_clash"))
    assert "<b>border controls SEMINAR</b>" in refused.text
    assert buttons.text.startswith(say("hint_buttons"))
    assert labels(api, buttons) == ["Save", "Edit", "Cancel"]
    assert [event.title for event in stored(engine)] == ["Export control workshop",
                                                         "Border controls seminar"]
    with Session(engine) as fresh:
        assert list(fresh.exec(select(AuditEntry).where(AuditEntry.action == "update"))) == []


async def test_only_the_author_may_edit_a_one_liner_and_only_while_it_is_fresh(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    clock = Clock()
    async with Chat.open(api, engine, clock) as chat:
        line = await chat.say(STAFF, EXAMPLE)
        others = await chat.press(ADMIN, line, "Edit", chat=STAFF)
        refusal = api.callback_answers[-1].text
        clock.now = NOW + timedelta(minutes=16)
        late = await chat.press(STAFF, line, "Edit")
    assert others == [] and refusal == say("not_your_draft")
    assert late == [] and api.edited_texts[-1].text == say("draft_expired")
    assert stored(engine) == []


# The guided path as (typed text | pressed label) answers; /cancel is tried after each prefix.
PATH = [("type", "Border controls seminar"), ("type", "2026-11-02"), ("press", "Same day"),
        ("press", "in person"), ("type", "Bangkok, THA"), ("press", "workshop"),
        ("press", "States"), ("press", "Done"), ("press", "involved"), ("press", "Skip"),
        ("press", "Edit")]


@pytest.mark.parametrize("answered", range(len(PATH) + 1))
async def test_cancel_works_at_every_step(
    api: FakeBotApi, engine: Engine, staff: None, answered: int
) -> None:
    async with Chat.open(api, engine) as chat:
        last = await chat.say(STAFF, "/log")
        for action, value in PATH[:answered]:
            if action == "type":
                last = await chat.say(STAFF, value)
            else:
                last = (await chat.press(STAFF, last, value) or [last])[-1]
        cancelled = await chat.say(STAFF, "/cancel")
        after = await chat.type(STAFF, "2026-11-02")
    title = "Border controls seminar" if answered else ""
    assert cancelled.text == say("cancelled", title=title)
    assert [message.text for message in after] == [NOTHING_WAITING]
    assert stored(engine) == []
