"""Staff list recent events with /events, page through them, and delete one after a second
question; what is deleted is gone from /events and from `outreach export events`.

The real reply Application (long polling) against the fake Bot API; both backends.
"""

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.chat.events import SEARCH_LIFETIME, say
from storage import audit
from storage.events import Event
from tests.support.chat import Clock, staff_bot, staff_say, until, write
from tests.support.cli import Invoke
from tests.support.events import add
from tests.support.fake_bot_api import FakeBotApi, ReceivedMessage
from tests.support.outbox import NOW, add_poc
from tests.support.personas import ADMIN, STAFF, STRANGER

POC = 5550020


@pytest.fixture
def seven(session: Session) -> list[int]:
    """Seven events, one a month of 2023, the newest with a title that needs escaping."""
    ids = [add(session, f"Workshop {month}", date(2023, month, 10), "Bangkok", "THA")
           for month in range(1, 7)]
    ids.append(add(session, '<b>Dual-use & "AI"</b>', date(2023, 7, 3), "Vienna", "AUT",
                   days=2))
    return ids


def buttons(markup: dict[str, Any] | None) -> list[list[tuple[str, str]]]:
    assert markup is not None
    return [[(b["text"], b["callback_data"]) for b in row] for row in markup["inline_keyboard"]]


async def press(api: FakeBotApi, user_id: int, message_id: int, data: str) -> str | None:
    """Press a button in the person's private chat; the pop-up text the bot answered."""
    before = len(api.callback_answers)
    api.press_button(chat_id=user_id, from_user_id=user_id, message_id=message_id, data=data)
    await until(lambda: len(api.callback_answers) > before)
    return api.callback_answers[-1].text


async def press_for_edit(api: FakeBotApi, user_id: int, message_id: int, data: str) -> str:
    before = len(api.edited_texts)
    await press(api, user_id, message_id, data)
    await until(lambda: len(api.edited_texts) > before)
    edited = api.edited_texts[-1]
    assert (edited.chat_id, edited.message_id) == (user_id, message_id)
    return edited.text


async def press_for_message(api: FakeBotApi, user_id: int, message_id: int, data: str
                            ) -> ReceivedMessage:
    before = len(api.messages_to(user_id))
    await press(api, user_id, message_id, data)
    await until(lambda: len(api.messages_to(user_id)) > before)
    return api.messages_to(user_id)[-1]


def deleted_at(engine: Engine, event_id: int) -> object:
    with Session(engine) as fresh:
        event = fresh.get(Event, event_id)
        assert event is not None
        return event.deleted_at


async def test_events_shows_five_newest_first_with_buttons_and_pages_in_place(
    api: FakeBotApi, engine: Engine, staff: None, seven: list[int]
) -> None:
    async with staff_bot(api, engine):
        shown = await write(api, STAFF, "/events")
        rows = buttons(shown.reply_markup)
        forward = rows[-1]
        second = await press_for_edit(api, STAFF, shown.message_id, forward[0][1])
        second_rows = buttons(api.edited_texts[-1].reply_markup)
        back = await press_for_edit(api, STAFF, shown.message_id, second_rows[-1][0][1])
    assert shown.parse_mode == "HTML"
    assert shown.text.startswith("Events, newest first, 1 to 5 of 7")
    assert shown.text.index("&lt;b&gt;Dual-use &amp; &#34;AI&#34;&lt;/b&gt;") < shown.text.index(
        "Workshop 6") < shown.text.index("Workshop 3")
    assert "<b>Dual" not in shown.text and "Workshop 2" not in shown.text
    assert "2023-07-03 to 2023-07-05 · Vienna, Austria · Other" in shown.text
    assert "Audiences: States, industry" in shown.text
    newest = seven[::-1]
    assert rows[:5] == [[(f"Edit {n}", f"event:edit:{newest[n - 1]}"),
                         (f"Delete {n}", f"event:delete:{newest[n - 1]}")] for n in range(1, 6)]
    assert [label for label, _ in forward] == ["▶"]  # no way back from the first page
    assert all(len(data.encode()) <= 64 for row in rows + second_rows for _, data in row)
    assert second.startswith("Events, newest first, 6 to 7 of 7")
    assert "Workshop 2" in second and "Workshop 1" in second and "Workshop 3" not in second
    assert second_rows[:2] == [[("Edit 6", f"event:edit:{seven[1]}"),
                                ("Delete 6", f"event:delete:{seven[1]}")],
                               [("Edit 7", f"event:edit:{seven[0]}"),
                                ("Delete 7", f"event:delete:{seven[0]}")]]
    assert [label for label, _ in second_rows[-1]] == ["◀"]
    assert back == shown.text
    assert len(api.messages_to(STAFF)) == 1  # paging sent nothing new


async def test_a_query_narrows_the_list_and_nothing_found_says_so(
    api: FakeBotApi, engine: Engine, staff: None, seven: list[int]
) -> None:
    async with staff_bot(api, engine):
        by_city = await write(api, ADMIN, "/events vienna")
        by_code = await write(api, ADMIN, "/events aut")
        none = await write(api, ADMIN, "/events Atlantis <x>")
        too_long = await write(api, ADMIN, "/events " + "x" * 301)
    for found in (by_city, by_code):
        assert found.text.startswith(('Events matching "vienna", newest first, 1 to 1 of 1',
                                      'Events matching "aut", newest first, 1 to 1 of 1'))
        assert buttons(found.reply_markup) == [[("Edit 1", f"event:edit:{seven[-1]}"),
                                                ("Delete 1", f"event:delete:{seven[-1]}")]]
    assert none.text == say("nothing_found", query="Atlantis <x>")
    assert none.text.startswith('No event matches "Atlantis &lt;x&gt;"')
    assert none.reply_markup is None
    assert too_long.text == say("query_too_long", limit=300)


async def test_with_no_events_yet_the_answer_says_how_to_add_one(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, "/events")
    assert answer.text.startswith("No events are recorded yet")
    assert answer.reply_markup is None


async def test_delete_asks_again_and_yes_removes_the_event_from_events_and_export(
    api: FakeBotApi, engine: Engine, staff: None, seven: list[int], outreach: Invoke
) -> None:
    clock = Clock()
    clock.now = NOW + timedelta(minutes=5)
    async with staff_bot(api, engine, clock):
        shown = await write(api, STAFF, "/events workshop 6")
        [[_, (_, delete)]] = buttons(shown.reply_markup)
        question = await press_for_message(api, STAFF, shown.message_id, delete)
        assert deleted_at(engine, seven[5]) is None  # nothing before Yes
        [[(yes_label, yes), (keep_label, _)]] = buttons(question.reply_markup)
        done = await press_for_edit(api, STAFF, question.message_id, yes)
        again = await write(api, STAFF, "/events workshop 6")
        listed = await write(api, STAFF, "/events")
    assert question.text == "Delete <b>Workshop 6</b> (2023-06-10)?"
    assert (yes_label, keep_label) == ("Yes, delete", "Keep")
    assert yes == f"event:yes:{seven[5]}"
    assert done.startswith("Deleted: <b>Workshop 6</b> (2023-06-10).")
    assert api.edited_texts[-1].reply_markup is None
    assert deleted_at(engine, seven[5]) == clock.now
    assert again.text == say("nothing_found", query="workshop 6")
    assert "Workshop 6" not in listed.text and "1 to 5 of 6" in listed.text
    exported = outreach("export", "events").output
    assert "Workshop 6" not in exported and "Workshop 5" in exported
    with Session(engine) as fresh:
        [entry] = [e for e in audit.entries(session=fresh, entity="event",
                                            entity_id=str(seven[5])) if e.action == "delete"]
    assert (entry.actor, entry.at, entry.after) == (f"telegram:{STAFF}", clock.now, None)
    assert entry.before is not None and entry.before["title"] == "Workshop 6"
    assert entry.before["city"] == "Bangkok"


async def test_keep_leaves_the_event_listed(
    api: FakeBotApi, engine: Engine, staff: None, seven: list[int]
) -> None:
    async with staff_bot(api, engine):
        shown = await write(api, ADMIN, "/events workshop 2")
        [[_, (_, delete)]] = buttons(shown.reply_markup)
        question = await press_for_message(api, ADMIN, shown.message_id, delete)
        [[_, (_, keep)]] = buttons(question.reply_markup)
        kept = await press_for_edit(api, ADMIN, question.message_id, keep)
        listed = await write(api, ADMIN, "/events workshop 2")
    assert kept == "Kept: <b>Workshop 2</b> (2023-02-10)."
    assert api.edited_texts[-1].reply_markup is None
    assert deleted_at(engine, seven[1]) is None
    assert "<b>Workshop 2</b>" in listed.text


async def test_an_event_already_deleted_or_unknown_gets_a_sentence_not_an_error(
    api: FakeBotApi, engine: Engine, staff: None, seven: list[int]
) -> None:
    async with staff_bot(api, engine):
        shown = await write(api, STAFF, "/events workshop 4")
        [[_, (_, delete)]] = buttons(shown.reply_markup)
        first = await press_for_message(api, STAFF, shown.message_id, delete)
        second = await press_for_message(api, ADMIN, shown.message_id, delete)
        [[(_, yes), _]] = buttons(first.reply_markup)
        done = await press_for_edit(api, STAFF, first.message_id, yes)
        late = await press_for_edit(api, STAFF, second.message_id, yes)  # the 2nd question
        stale = await press_for_message(api, STAFF, shown.message_id, delete)  # old list
        unknown = await press_for_edit(api, STAFF, first.message_id, "event:yes:999999")
    assert done.startswith("Deleted: <b>Workshop 4</b>")
    already = "<b>Workshop 4</b> (2023-04-10) was already deleted; nothing changed."
    assert late == stale.text == already
    assert stale.reply_markup is None
    assert unknown == say("unknown_event")
    with Session(engine) as fresh:
        assert [e.action for e in audit.entries(session=fresh, entity="event",
                                                entity_id=str(seven[3]))] == ["create", "delete"]


async def test_only_staff_may_list_or_press_and_an_old_list_expires(
    api: FakeBotApi, engine: Engine, session: Session, staff: None, seven: list[int]
) -> None:
    add_poc(session, "CIV", "Test PoC", "poc@example.org", chat_id=POC)
    clock = Clock()
    async with staff_bot(api, engine, clock):
        refused = await write(api, STRANGER, "/events")
        poc = await write(api, POC, "/events")
        shown = await write(api, STAFF, "/events")
        page, delete = buttons(shown.reply_markup)[-1][0][1], buttons(shown.reply_markup)[0][1][1]
        answers = [await press(api, user, shown.message_id, data)
                   for user in (STRANGER, POC)
                   for data in (page, delete, f"event:yes:{seven[-1]}",
                                f"event:keep:{seven[-1]}")]
        await asyncio.sleep(0.2)  # an edit or a message would show here
        clock.now = NOW + SEARCH_LIFETIME + timedelta(seconds=1)
        expired = await press(api, STAFF, shown.message_id, page)
    assert refused.text == staff_say("refused")
    assert "staff" in poc.text and poc.reply_markup is None
    assert answers == [say("buttons_refused")] * 8
    assert api.edited_texts == []
    assert api.messages_to(STRANGER) == [refused] and api.messages_to(POC) == [poc]
    assert all(deleted_at(engine, event_id) is None for event_id in seven)
    assert expired == say("expired")
