"""The reply bot's drafts and conversation steps in our database (storage.telegram_state), so
that a restart or a fail-over finds a staff member's half-written /log or /chair draft.

python-telegram-bot loads bot_data, user_data, chat_data and the persistent
ConversationHandlers' states once, at Application.initialize, and hands them back every
UPDATE_INTERVAL seconds and at shutdown. Nothing is pickled: each entry kept is named with a
`Codec` that turns it into JSON and back (the drafts' own to/from dict functions); entries
without a codec stay in memory only. A codec also leaves out what expired, so the table
keeps no stale draft or search. A conversation's state is stored as its Step's name.

PTB replaces bot_data with what get_bot_data returns: the `resident` entries (the handlers'
services, bot.chat.common.Services) are handed back with the stored ones, and never written.

Only the leading process runs the bot; two overlapping during a fail-over both write, the
last writer wins. A failed write reaches PTB's error handlers (the update goes on); logs
name kinds and keys' counts only, never what was typed.
"""

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import Engine
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from storage.telegram_state import drop_state, load_states, save_state

__all__ = ["UPDATE_INTERVAL", "Codec", "DatabasePersistence"]

log = logging.getLogger(__name__)

UPDATE_INTERVAL = 2.0  # seconds between PTB's writes: a crash loses at most this much typing

Data = dict[Any, Any]


@dataclass(frozen=True)
class Codec:
    """One kept entry: `encode(value, now)` gives its JSON (None: nothing worth keeping, e.g.
    every draft in it expired); `decode(json, now)` the value again (None: nothing left)."""

    encode: Callable[[Any, datetime], Any | None]
    decode: Callable[[Any, datetime], Any | None]


class DatabasePersistence(BasePersistence[Data, Data, Data]):
    """bot_data, user_data and chat_data entries named in the codecs, and the conversations
    named in `states` (conversation name -> its Enum of states), in table telegram_state;
    `resident`: bot_data entries kept in memory only, in bot_data from the start."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime], *,
                 resident: Mapping[str, Any] | None = None,
                 bot_codecs: Mapping[str, Codec] | None = None,
                 user_codecs: Mapping[str, Codec] | None = None,
                 chat_codecs: Mapping[str, Codec] | None = None,
                 states: Mapping[str, type[Enum]] | None = None,
                 update_interval: float = UPDATE_INTERVAL) -> None:
        super().__init__(store_data=PersistenceInput(callback_data=False),
                         update_interval=update_interval)
        self.engine = engine
        self.clock = clock
        self.codecs = {"bot_data": dict(bot_codecs or {}), "user_data": dict(user_codecs or {}),
                       "chat_data": dict(chat_codecs or {})}
        self.states = dict(states or {})
        self.resident = dict(resident or {})
        if both := set(self.resident) & set(self.codecs["bot_data"]):
            raise ValueError(f"bot_data entries both resident and stored: {sorted(both)}")
        self._written: dict[tuple[str, str], Any] = {}  # what the table holds, to skip rewrites

    # -- the table ----------------------------------------------------------------------------

    async def _load(self, kind: str) -> dict[str, Any]:
        stored = await asyncio.to_thread(load_states, self.engine, kind)
        self._written.update({(kind, key): value for key, value in stored.items()})
        return stored

    async def _put(self, kind: str, key: str, value: Any | None) -> None:
        """Write `value` (None: drop the row), unless the table holds it already."""
        if self._written.get((kind, key)) == value:
            return
        if value is None:
            await asyncio.to_thread(drop_state, self.engine, kind, key)
            self._written.pop((kind, key), None)
        else:
            await asyncio.to_thread(save_state, self.engine, kind, key, value, self.clock())
            self._written[(kind, key)] = value

    def _encode(self, kind: str, data: Mapping[Any, Any]) -> dict[str, Any] | None:
        now, encoded = self.clock(), {}
        for name, codec in self.codecs[kind].items():
            if name in data:
                value = codec.encode(data[name], now)
                if value is not None:
                    encoded[name] = value
        return encoded or None

    def _decode(self, kind: str, stored: Any) -> Data:
        now, decoded = self.clock(), {}
        if not isinstance(stored, dict):
            return {}
        for name, value in stored.items():
            codec = self.codecs[kind].get(name)
            if codec is None:
                continue
            try:
                restored = codec.decode(value, now)
            except (KeyError, TypeError, ValueError):  # a shape an older version wrote
                log.warning("telegram state: a stored %s entry %s could not be read: dropped",
                            kind, name)
                continue
            if restored is not None:
                decoded[name] = restored
        return decoded

    async def _load_by_id(self, kind: str) -> dict[int, Data]:
        loaded: dict[int, Data] = {}
        for key, value in (await self._load(kind)).items():
            data = self._decode(kind, value) if key.lstrip("-").isdigit() else {}
            if data:
                loaded[int(key)] = data
        return loaded

    # -- what PTB asks for at initialize --------------------------------------------------------

    async def get_bot_data(self) -> Data:
        stored = self._decode("bot_data", (await self._load("bot_data")).get("bot_data"))
        return {**stored, **self.resident}

    async def get_user_data(self) -> dict[int, Data]:
        return await self._load_by_id("user_data")

    async def get_chat_data(self) -> dict[int, Data]:
        return await self._load_by_id("chat_data")

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        states = self.states.get(name)
        conversations: ConversationDict = {}
        prefix = f"{name}:"
        for key, value in (await self._load("conversation")).items():
            if not key.startswith(prefix) or states is None:
                continue
            parts = key.removeprefix(prefix).split(",")
            if not all(part.lstrip("-").isdigit() for part in parts) or value not in (
                    member.name for member in states):
                continue
            conversations[tuple(int(part) for part in parts)] = states[value]
        return conversations

    # -- what PTB hands back every update_interval and at shutdown --------------------------------

    async def update_bot_data(self, data: Data) -> None:
        await self._put("bot_data", "bot_data", self._encode("bot_data", data))

    async def update_user_data(self, user_id: int, data: Data) -> None:
        await self._put("user_data", str(user_id), self._encode("user_data", data))

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        await self._put("chat_data", str(chat_id), self._encode("chat_data", data))

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def update_conversation(self, name: str, key: ConversationKey,
                                  new_state: object | None) -> None:
        states = self.states.get(name)
        value = (new_state.name if states is not None and isinstance(new_state, states)
                 else None)  # ended (None, END) or not a state we know: nothing to resume
        await self._put("conversation", f"{name}:{','.join(str(part) for part in key)}", value)

    async def drop_user_data(self, user_id: int) -> None:
        await self._put("user_data", str(user_id), None)

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._put("chat_data", str(chat_id), None)

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        return None  # the leading process is the only writer: memory is up to date

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        return None

    async def refresh_bot_data(self, bot_data: Data) -> None:
        return None

    async def flush(self) -> None:
        return None  # every update_* wrote already
