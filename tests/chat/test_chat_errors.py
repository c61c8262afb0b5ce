"""When a handler fails, the person is told so, and the log says where, never what they typed.

The real Application (bot.chat.app) against the fake Bot API, update by update; both backends.
"""

import logging
import re

import pytest
from sqlalchemy import Engine

from bot.chat import staff as staff_commands
from bot.chat.common import say
from tests.support.fake_bot_api import FakeBotApi
from tests.support.log_chat import Chat
from tests.support.personas import STAFF

TYPED = "Ayşe Invented's island"  # a name and words of the person's: never in a log


def broken_state_view(engine: Engine, value: str) -> str:
    raise ValueError(f"no State is called {value!r}")  # an error that quotes what was typed


async def test_a_failing_handler_says_so_and_logs_its_kind_and_place_only(
    api: FakeBotApi, engine: Engine, staff: None, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staff_commands, "state_view", broken_state_view)
    caplog.set_level(logging.INFO)  # as in service: python-telegram-bot's DEBUG dumps are off
    async with Chat.open(api, engine) as chat:
        english = await chat.say(STAFF, f"/state {TYPED}")
        french = await chat.say(STAFF, f"/state {TYPED}", language="fr")
        # an error with no update (e.g. a failed write of the persistence): logged only
        await chat.application.process_error(None, RuntimeError(TYPED))
        later = await chat.say(STAFF, "/state")  # the bot goes on
    assert english.text == say("errors", "went_wrong") == (
        "Sorry, something went wrong on our side and your message was not handled. "
        "Please try again later.")
    assert french.text == say("errors", "went_wrong", "fr") != english.text
    assert later.text == say("staff", "state_usage")
    assert len(api.messages_to(STAFF)) == 3
    errors = [r for r in caplog.records if r.name == "bot.chat.app"]
    assert [r.levelno for r in errors] == [logging.ERROR] * 3
    first = errors[0].getMessage()
    assert re.match(r"telegram update \d+: ValueError raised\n", first)
    assert "in _look_up" in first and "in broken_state_view" in first  # where it happened
    assert errors[2].getMessage().startswith("telegram update None: RuntimeError raised")
    logged = "\n".join(r.getMessage() + "\n" + (r.exc_text or "") for r in caplog.records)
    assert "Ayşe" not in logged and "island" not in logged
    assert all(r.exc_info is None for r in errors)  # no traceback carries the error's message
