"""A person chatting with the staff bot, for the guided /log specs.

`Chat` hands each update straight to Application.process_update (the bot's answers still go
through PTB's real HTTP stack to the fake Bot API); `Chat.polling` runs the bot as the
service does (long polling) and waits for its answers instead. Both read what the person
sees: the messages sent, with their buttons as last edited.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from telegram import Update

from bot.chat.app import build_application, run_bot
from bot.chat.log.conversation import CONVERSATION_TIMEOUT
from tests.support.chat import Clock, until
from tests.support.fake_bot_api import FakeBotApi, ReceivedMessage

App = Any  # the PTB Application


class Chat:
    def __init__(self, api: FakeBotApi, application: App, polling: bool) -> None:
        self.api = api
        self.application = application
        self.polling = polling

    @classmethod
    @asynccontextmanager
    async def open(cls, api: FakeBotApi, engine: Engine, clock: Clock | None = None,
                   timeout: timedelta = CONVERSATION_TIMEOUT, polling: bool = False
                   ) -> AsyncIterator["Chat"]:
        application = build_application(FakeBotApi.TOKEN, api.base_url, engine,
                                              clock=clock or Clock(), log_timeout=timeout)
        if polling:
            stop = asyncio.Event()
            task = asyncio.create_task(run_bot(application, stop))
            await until(lambda: "getUpdates" in api.calls or task.done())
            try:
                yield cls(api, application, polling=True)
            finally:
                stop.set()
                await asyncio.wait_for(task, timeout=10)
            return
        async with application:
            await application.start()  # the JobQueue runs: conversations time out
            try:
                yield cls(api, application, polling=False)
            finally:
                await application.stop()

    async def _deliver(self, settled: Callable[[], bool]) -> None:
        """Hand the queued update to the bot; when polling, wait until `settled`."""
        if self.polling:
            await until(settled)
            await asyncio.sleep(0.05)  # a further answer would show here
        else:
            update = Update.de_json(self.api.take_update(), self.application.bot)
            await self.application.process_update(update)

    async def type(self, user: int, text: str, chat: int | None = None, language: str = "en"
                   ) -> list[ReceivedMessage]:
        """The person writes (their Telegram app in `language`); the bot's new messages in
        that chat."""
        chat = chat or user
        before = len(self.api.messages_to(chat))
        self.api.send_text(chat_id=chat, user_id=user, text=text, language=language)
        await self._deliver(lambda: len(self.api.messages_to(chat)) > before)
        return self.api.messages_to(chat)[before:]

    async def say(self, user: int, text: str, language: str = "en") -> ReceivedMessage:
        """The person writes; the bot's one answer."""
        answers = await self.type(user, text, language=language)
        assert len(answers) == 1, answers
        return answers[0]

    async def press(self, user: int, message: ReceivedMessage, label: str,
                    chat: int | None = None, new_messages: int = 0) -> list[ReceivedMessage]:
        """The person presses the button labelled `label` of `message` (as last edited);
        the bot's new messages in the chat (wait for `new_messages` when polling)."""
        chat = chat or user
        data = button(self.api, message, label)
        before, answered = len(self.api.messages_to(chat)), len(self.api.callback_answers)
        self.api.press_button(chat_id=chat, from_user_id=user, message_id=message.message_id,
                              data=data)
        await self._deliver(lambda: len(self.api.callback_answers) > answered
                            and len(self.api.messages_to(chat)) >= before + new_messages)
        return self.api.messages_to(chat)[before:]

    async def press_data(self, user: int, message_id: int, data: str) -> list[ReceivedMessage]:
        """A press of a button with this callback data (e.g. another feature's button)."""
        before, answered = len(self.api.messages_to(user)), len(self.api.callback_answers)
        self.api.press_button(chat_id=user, from_user_id=user, message_id=message_id,
                              data=data)
        await self._deliver(lambda: len(self.api.callback_answers) > answered
                            and len(self.api.messages_to(user)) > before)
        return self.api.messages_to(user)[before:]


def markup(api: FakeBotApi, message: ReceivedMessage) -> dict[str, Any] | None:
    """The message's buttons as the person sees them now, after the bot's edits (replayed in
    the order the fake received them)."""
    markups, texts = iter(api.edited_markups), iter(api.edited_texts)
    latest: dict[str, Any] | None = message.reply_markup
    for call in api.calls:
        if call not in {"editMessageReplyMarkup", "editMessageText"}:
            continue
        edited = next(markups) if call == "editMessageReplyMarkup" else next(texts)
        if (edited.chat_id, edited.message_id) == (message.chat_id, message.message_id):
            latest = edited.reply_markup
    return latest


def labels(api: FakeBotApi, message: ReceivedMessage) -> list[str]:
    keyboard = markup(api, message)
    return [] if keyboard is None else [b["text"] for row in keyboard["inline_keyboard"]
                                        for b in row]


def button(api: FakeBotApi, message: ReceivedMessage, label: str) -> str:
    keyboard = markup(api, message)
    assert keyboard is not None, f"no buttons under {message.text!r}"
    found = [b["callback_data"] for row in keyboard["inline_keyboard"] for b in row
             if b["text"] == label]
    assert len(found) == 1, (label, labels(api, message))
    return str(found[0])
