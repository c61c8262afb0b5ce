"""Driving the reply bot in a spec: python-telegram-bot's real Application long-polls the fake
Bot API (tests/support/fake_bot_api.py) in the test's own event loop, with a clock the spec
holds; a person writes or presses a button, and the spec waits for the bot's answer.

Without any server: an Application whose Bot's requests are answered in-process
(OfflineRequest) takes updates built here (`command`) through Application.process_update.
The bot's sentences, as a spec expects them: staff_say, poc_say."""

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from bot.chat.app import build_application, run_bot
from bot.chat.common import say
from storage.events import Event
from storage.reminders import REPLY_LINK_DAYS
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
async def polling(api: FakeBotApi, application: Any) -> AsyncIterator[None]:
    """The bot polling the fake until the block ends (then it stops cleanly)."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(application, stop))
    await until(lambda: "getUpdates" in api.calls or task.done())
    if task.done():
        await task  # it failed to start: raise why
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=60)


@asynccontextmanager
async def staff_bot(api: FakeBotApi, engine: Engine, clock: Clock | None = None
                    ) -> AsyncIterator[None]:
    application = build_application(FakeBotApi.TOKEN, api.base_url, engine,
                                    clock=clock or Clock())
    async with polling(api, application):
        yield


@asynccontextmanager
async def answer_bot(api: FakeBotApi, engine: Engine, now: datetime = NOW,
                     reply_link_days: int = REPLY_LINK_DAYS) -> AsyncIterator[None]:
    """The bot that takes PoCs' answer buttons, its clock at `now`."""
    application = build_application(FakeBotApi.TOKEN, api.base_url, engine, clock=lambda: now,
                                    reply_link_days=reply_link_days)
    async with polling(api, application):
        yield


async def press_answer(api: FakeBotApi, data: str, chat_id: int, message_id: int = 1) -> str:
    """Press an answer button in `chat_id` and wait for the bot's answer; what it says."""
    before = len(api.callback_answers)
    api.press_button(chat_id=chat_id, from_user_id=chat_id, message_id=message_id, data=data)
    await until(lambda: len(api.callback_answers) > before)
    answer = api.callback_answers[-1]
    assert answer.data == data and answer.text is not None
    return answer.text


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


def staff_say(message: str, **params: Any) -> str:
    """A sentence of templates/chat/en/staff.html.j2, as the bot says it."""
    return say("staff", message, **params)


def poc_say(language: str, message: str, **params: Any) -> str:
    """A sentence of templates/telegram/en/poc.html.j2 in the PoC's language, as the bot
    says it to a PoC."""
    return say("poc", message, language, **params)


_BOT = {"id": 5550999, "is_bot": True, "first_name": "Outreach", "username": "outreach_test_bot"}


class OfflineRequest(BaseRequest):
    """python-telegram-bot's Bot API requests answered in the test's own process: no socket is
    opened. getMe says who the bot is; every call is recorded (`calls`: method and
    parameters) and a sendMessage is answered with the message Telegram would return."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def sent(self, chat_id: int) -> list[str]:
        """The texts of the messages sent to `chat_id`, in order."""
        return [str(params["text"]) for method, params in self.calls
                if method == "sendMessage" and params.get("chat_id") == chat_id]

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: ODVInput[float] = DEFAULT_NONE,
                         write_timeout: ODVInput[float] = DEFAULT_NONE,
                         connect_timeout: ODVInput[float] = DEFAULT_NONE,
                         pool_timeout: ODVInput[float] = DEFAULT_NONE) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = {} if request_data is None else dict(request_data.parameters)
        self.calls.append((name, params))
        result: object = True
        if name == "getMe":
            result = _BOT
        elif name == "sendMessage":
            result = {"message_id": len(self.calls), "date": 0, "from": _BOT,
                      "chat": {"id": params["chat_id"], "type": "private"},
                      "text": params["text"]}
        return 200, json.dumps({"ok": True, "result": result}).encode()


def command(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    """The update Telegram sends when `user_id` types `text` (a /command) in their private
    chat with the bot."""
    length = len(text.split(maxsplit=1)[0].encode("utf-16-le")) // 2
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "text": text,
        "chat": {"id": user_id, "type": "private"},
        "from": {"id": user_id, "is_bot": False, "first_name": "Test", "language_code": "en"},
        "entities": [{"type": "bot_command", "offset": 0, "length": length}]}}
