"""Drive the reply bot's real Application update by update (`application.process_update`),
its answers going through python-telegram-bot's HTTP stack to the fake Bot API.

The person's messages and button presses are queued in the fake, as Telegram would, and
fetched with getUpdates: the updates are exactly the ones the polling bot would get, but
each is processed to the end before the spec looks at the answers.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from bot.chat.app import build_application
from storage.staff import StaffRole, grant
from tests.support.chat import Clock
from tests.support.fake_bot_api import FakeBotApi, ReceivedMessage, ReceivedUpload

DRAFTER = 5550001  # staff member A
SECOND = 5550004  # staff member B
ADMIN = 5550002
STRANGER = 5550009
POC_CHAT = 5550020


def add_staff(session: Session) -> None:
    for user_id, role in ((DRAFTER, StaffRole.STAFF), (SECOND, StaffRole.STAFF),
                          (ADMIN, StaffRole.ADMIN)):
        grant(session=session, telegram_user_id=user_id, role=role, actor="test",
              now=Clock().now)
    session.commit()


class ChatDriver:
    def __init__(self, api: FakeBotApi, application: Any) -> None:
        self.api = api
        self.application = application
        self.offset: int | None = None

    async def _process(self) -> None:
        updates = await self.application.bot.get_updates(offset=self.offset, timeout=0)
        assert updates, "the fake queued no update"
        for update in updates:
            await self.application.process_update(update)
            self.offset = update.update_id + 1

    async def type(self, user_id: int, text: str, entities: list[dict[str, Any]] | None = None
                   ) -> list[ReceivedMessage]:
        """The person writes in their private chat; every message the bot sent back."""
        before = len(self.api.messages_to(user_id))
        self.api.send_text(chat_id=user_id, user_id=user_id, text=text, entities=entities)
        await self._process()
        return self.api.messages_to(user_id)[before:]

    async def say(self, user_id: int, text: str,
                  entities: list[dict[str, Any]] | None = None) -> ReceivedMessage:
        """The bot's one answer."""
        answers = await self.type(user_id, text, entities)
        assert len(answers) == 1, answers
        return answers[0]

    async def press(self, user_id: int, message: ReceivedMessage, label: str,
                    chat_id: int | None = None) -> list[ReceivedMessage]:
        """The person presses the button labelled `label` under `message`; what the bot sent
        to that chat after the press."""
        chat = chat_id or user_id
        data = button_data(message, label)
        before = len(self.api.messages_to(chat))
        answered = len(self.api.callback_answers)
        self.api.press_button(chat_id=chat, from_user_id=user_id,
                              message_id=message.message_id, data=data)
        await self._process()
        assert len(self.api.callback_answers) > answered, "the press was not answered"
        return self.api.messages_to(chat)[before:]

    def documents(self, chat_id: int) -> list[ReceivedUpload]:
        return self.api.uploads_to(chat_id)


def button_data(message: ReceivedMessage, label: str) -> str:
    assert message.reply_markup is not None, message
    found = [button["callback_data"] for row in message.reply_markup["inline_keyboard"]
             for button in row if button["text"] == label]
    assert len(found) == 1, (label, message.reply_markup)
    return str(found[0])


def labels(message: ReceivedMessage) -> list[str]:
    assert message.reply_markup is not None, message
    return [button["text"] for row in message.reply_markup["inline_keyboard"] for button in row]


@asynccontextmanager
async def chat_driver(api: FakeBotApi, engine: Engine, clock: Clock | None = None
                      ) -> AsyncIterator[ChatDriver]:
    application = build_application(FakeBotApi.TOKEN, api.base_url, engine,
                                          clock=clock or Clock())
    async with application:
        yield ChatDriver(api, application)
