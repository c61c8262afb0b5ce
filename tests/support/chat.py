"""Driving the reply bot in a spec: python-telegram-bot's real Application long-polls the fake
Bot API (tests/support/fake_bot_api.py) in the test's own event loop, with a clock the spec
holds; a person writes or presses a button, and the spec waits for the bot's answer."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.chat.app import build_application, run_bot
from storage.events import Event
from tests.support.fake_bot_api import FakeBotApi, ReceivedMessage
from tests.support.outbox import NOW

EXAMPLE = ("/log 2022-03-14 | Regional workshop on export controls | Bangkok, THA "
           "| audiences=states,industry | iro=co_organised:UNODA")


async def until(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.01)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@asynccontextmanager
async def staff_bot(api: FakeBotApi, engine: Engine, clock: Clock | None = None
                    ) -> AsyncIterator[None]:
    application = build_application(FakeBotApi.TOKEN, api.base_url, engine,
                                          clock=clock or Clock())
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(application, stop))
    await until(lambda: "getUpdates" in api.calls or task.done())
    if task.done():
        await task
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)


async def write(api: FakeBotApi, user_id: int, text: str) -> ReceivedMessage:
    """The person writes in their private chat with the bot; the bot's one answer."""
    before = len(api.messages_to(user_id))
    api.send_text(chat_id=user_id, user_id=user_id, text=text)
    await until(lambda: len(api.messages_to(user_id)) > before)
    await asyncio.sleep(0.05)  # a second answer would show here
    answers = api.messages_to(user_id)[before:]
    assert len(answers) == 1, answers
    return answers[0]


async def press(api: FakeBotApi, user_id: int, message: ReceivedMessage, label: str,
                chat_id: int | None = None) -> None:
    assert message.reply_markup is not None
    [row] = message.reply_markup["inline_keyboard"]
    [data] = [button["callback_data"] for button in row if button["text"] == label]
    before = len(api.callback_answers)
    api.press_button(chat_id=chat_id or user_id, from_user_id=user_id,
                     message_id=message.message_id, data=data)
    await until(lambda: len(api.callback_answers) > before)


def saved_events(engine: Engine) -> list[Event]:
    with Session(engine) as fresh:
        return list(fresh.exec(select(Event)))
