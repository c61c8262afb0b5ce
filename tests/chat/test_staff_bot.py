"""Staff talk to the bot: /help lists what their role may do, /log records an event.

The reply bot runs python-telegram-bot's real Application (long polling) against the fake Bot
API, in the test's own event loop; events land in the test's database (SQLite, PostgreSQL).
"""

import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.chat.log.line import usage
from bot.chat.log.one_liner import DRAFT_LIFETIME
from storage import events
from storage.staff import StaffRole, grant, revoke
from tests.support.chat import EXAMPLE, Clock, press, saved_events, staff_bot, until, write
from tests.support.chat import staff_say as say
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import NOW
from tests.support.personas import ADMIN, STAFF, STRANGER

GONE = 5550003  # staff once, revoked


@pytest.fixture
def staff(session: Session) -> None:
    for user_id, role in ((STAFF, StaffRole.STAFF), (ADMIN, StaffRole.ADMIN),
                          (GONE, StaffRole.STAFF)):
        grant(session=session, telegram_user_id=user_id, role=role, actor="test", now=NOW,
              display_name="Test Person")
    revoke(session=session, telegram_user_id=GONE, actor="test", now=NOW)
    session.commit()


async def test_a_stranger_gets_one_polite_sentence_and_nothing_is_saved(
    api: FakeBotApi, engine: Engine, staff: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.chat")
    async with staff_bot(api, engine):
        answers = [await write(api, user, text) for user, text in (
            (STRANGER, EXAMPLE), (STRANGER, "/help"), (STRANGER, "/start"),
            (STRANGER, "/grant 1 staff"), (GONE, EXAMPLE))]
    assert {answer.text for answer in answers} == {say("refused")}
    assert say("refused") == "Sorry, this bot answers only the 1540 Committee's staff."
    assert all(answer.reply_markup is None for answer in answers)
    assert saved_events(engine) == []
    refusals = " ".join(r.getMessage() for r in caplog.records if r.name == "bot.chat.access")
    assert refusals.count(f"refused for user {STRANGER}") == 4
    assert f"refused for user {GONE}" in refusals
    ours = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("bot.chat"))
    assert "Bangkok" not in ours and "Test" not in ours


async def test_staff_log_the_issues_example_and_save_it(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with staff_bot(api, engine):
        shown = await write(api, STAFF, EXAMPLE)
        assert shown.parse_mode == "HTML"
        assert "<b>Regional workshop on export controls</b>" in shown.text
        assert "Audiences: states, industry" in shown.text
        assert saved_events(engine) == []  # nothing before Save
        assert shown.reply_markup is not None
        [buttons] = shown.reply_markup["inline_keyboard"]
        assert [b["text"] for b in buttons] == ["Save", "Edit", "Cancel"]
        assert all(b["callback_data"].startswith(("log:save:", "log:edit:", "log:cancel:"))
                   for b in buttons)
        await press(api, ADMIN, shown, "Save", chat_id=STAFF)  # not the author: refused
        assert api.callback_answers[-1].text == say("not_your_draft")
        assert saved_events(engine) == []
        await press(api, STAFF, shown, "Save")
        await until(lambda: len(api.edited_texts) == 1)
        await press(api, STAFF, shown, "Save")  # a second press saves nothing more
        await until(lambda: len(api.edited_texts) == 2)
    edited = api.edited_texts[0]
    assert (edited.chat_id, edited.message_id) == (STAFF, shown.message_id)
    assert edited.text == "Saved: <b>Regional workshop on export controls</b>"
    assert edited.reply_markup is None
    assert api.edited_texts[1].text == say("expired")
    with Session(engine) as fresh:
        event = events.find(session=fresh, start_date=date(2022, 3, 14),
                            title="Regional workshop on export controls")
        assert event is not None and event.id is not None
        assert (event.city, event.iro_involvement) == ("Bangkok", "co_organised")
        assert events.audiences_of(session=fresh, event_id=event.id) == ("states", "industry")
        assert events.organisers_of(session=fresh, event_id=event.id) == ("UNODA",)
    assert len(saved_events(engine)) == 1


async def test_cancel_or_a_stale_draft_saves_nothing(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    clock = Clock()
    async with staff_bot(api, engine, clock):
        shown = await write(api, ADMIN, EXAMPLE)
        await press(api, ADMIN, shown, "Cancel")
        await until(lambda: len(api.edited_texts) == 1)
        stale = await write(api, STAFF, EXAMPLE)
        clock.now = NOW + DRAFT_LIFETIME + timedelta(seconds=1)
        await press(api, STAFF, stale, "Save")
        await until(lambda: len(api.edited_texts) == 2)
    assert api.edited_texts[0].text == (
        "Cancelled: <b>Regional workshop on export controls</b> was not saved.")
    assert api.edited_texts[1].text == say("expired")
    assert saved_events(engine) == []


async def test_bad_lines_get_the_usage_hint_and_the_importers_own_words(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with staff_bot(api, engine):
        bad = await write(api, STAFF, "/log 14/03/2022 | Workshop")
        unknown = await write(api, STAFF, "/log 2022-03-14 | Workshop | Atlantis <x> "
                                          "| audiences=aliens")
    assert bad.text.endswith(usage()) and '"14/03/2022" is not a date' in bad.text
    assert bad.reply_markup is unknown.reply_markup is None
    assert unknown.text.startswith(say("not_saved"))
    assert "Atlantis &lt;x&gt;" in unknown.text and "<x>" not in unknown.text
    assert "aliens" in unknown.text and unknown.text.endswith(usage())
    assert "line 1" not in unknown.text.lower()
    assert saved_events(engine) == []


async def test_help_lists_the_commands_and_titles_are_shown_escaped(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with staff_bot(api, engine):
        for_staff = await write(api, STAFF, "/help")
        for_admin = await write(api, ADMIN, "/start")
        other = await write(api, STAFF, "/whatever")
        shown = await write(api, STAFF, '/log 2023-01-02 | <b>Dual-use & "AI"</b> | virtual')
        await press(api, STAFF, shown, "Save")
        await until(lambda: len(api.edited_texts) == 1)
    assert "/log" in for_staff.text and "/help" in for_staff.text
    assert for_staff.text == other.text
    assert "/grant" not in for_staff.text  # only what the role may use is listed
    assert "/grant" in for_admin.text and "/revoke" in for_admin.text
    assert "&lt;b&gt;Dual-use &amp; &#34;AI&#34;&lt;/b&gt;" in shown.text
    assert "<b>Dual" not in shown.text
    assert api.edited_texts[0].text == (
        "Saved: <b>&lt;b&gt;Dual-use &amp; &#34;AI&#34;&lt;/b&gt;</b>")
    [event] = saved_events(engine)
    assert event.title == '<b>Dual-use & "AI"</b>' and event.mode == "virtual"


async def test_command_menus_are_set_per_staff_chat_and_a_refusal_is_tolerated(
    api: FakeBotApi, engine: Engine, staff: None, caplog: pytest.LogCaptureFixture
) -> None:
    async with staff_bot(api, engine):
        pass
    by_scope = [(c.scope, [command["command"] for command in c.commands])
                for c in api.my_commands]
    assert by_scope == [  # GONE was revoked: no menu
        ({"type": "default"}, ["help"]),
        ({"type": "chat", "chat_id": STAFF},
         ["help", "log", "events", "state", "org", "nonreporting", "invite", "stats", "report",
          "chair", "language", "assist", "requests", "matrix", "inbox",
          "responses"]),
        ({"type": "chat", "chat_id": ADMIN},
         ["help", "log", "events", "state", "org", "nonreporting", "invite", "stats", "report",
          "chair", "language", "assist", "requests", "matrix", "inbox",
          "responses", "grant", "revoke"]),
    ]
    api.reset()
    api.refuse_set_my_commands()
    caplog.set_level(logging.WARNING, logger="bot.chat.staff")
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, "/help")
    assert "/log" in answer.text  # the bot runs on without menus
    warnings = [r for r in caplog.records if r.name == "bot.chat.staff"]
    assert len(warnings) == 1 and "menus not set" in warnings[0].getMessage()


async def test_words_nobody_asked_for_get_an_answer_instead_of_silence(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    """E.g. an answer typed after a draft timed out or a restart dropped it."""
    async with staff_bot(api, engine):
        to_staff = await write(api, STAFF, "Regional workshop on export controls")
        to_stranger = await write(api, STRANGER, "hello")
    assert to_staff.text.startswith("Nothing here is waiting for an answer")
    assert "/log — " in to_staff.text and "/grant" not in to_staff.text
    assert to_stranger.text == say("refused")


async def test_words_in_a_group_chat_are_left_alone(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    group = -100123
    async with staff_bot(api, engine):
        api.send_text(chat_id=group, user_id=STAFF, text="See you at the workshop")
        await write(api, STAFF, "/help")  # answered after the group's words were read
    assert api.messages_to(group) == []
