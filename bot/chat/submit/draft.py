"""The draft of a PoC's /submit (bot.chat.submit.conversation): its steps, what was chosen so
far, where drafts are kept and how they survive a restart.

One draft per person and chat, in application.bot_data under DRAFTS_KEY by (chat id, user
id); the persistence (bot.chat.persistence) keeps it as JSON with the conversation's step.
A draft holds Telegram's file_id, never the file: the bytes are fetched at Send only.
"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.chat.persistence import Codec

__all__ = ["DRAFTS_KEY", "Draft", "Key", "Step", "draft_codec", "drafts", "key"]

DRAFTS_KEY = "poc_submit_drafts"

Context = ContextTypes.DEFAULT_TYPE
Key = tuple[int, int]  # (chat id, user id)


class Step(Enum):
    """The conversation's states (bot/chat/submit/conversation.mmd)."""

    PURPOSE = "purpose"
    LETTER = "letter"
    FILE = "file"
    CONFIRM = "confirm"


@dataclass
class Draft:
    poc_id: int
    party_id: int
    language: str
    party: str = ""
    purpose: str = ""
    file_id: str = ""
    file_name: str = ""
    last_seen: str = ""  # ISO time of the last answer
    letter_id: int = 0  # the letter a response answers; 0: none named

    def seen(self, now: datetime) -> None:
        self.last_seen = now.isoformat()

    def waited(self, now: datetime) -> timedelta:
        return now - datetime.fromisoformat(self.last_seen) if self.last_seen else timedelta(0)

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> "Draft":
        return cls(poc_id=int(stored["poc_id"]), party_id=int(stored["party_id"]),
                   language=str(stored["language"]),
                   letter_id=int(stored.get("letter_id") or 0),
                   **{name: str(stored.get(name, "")) for name in
                      ("party", "purpose", "file_id", "file_name", "last_seen")})


def key(update: Update) -> Key | None:
    chat, user = update.effective_chat, update.effective_user
    return None if chat is None or user is None else (chat.id, user.id)


def drafts(context: Context) -> dict[Key, Draft]:
    found: dict[Key, Draft] = context.bot_data.setdefault(DRAFTS_KEY, {})
    return found


def draft_codec(timeout: timedelta) -> Codec:
    """The drafts as JSON by "chat,user"; a draft unanswered for `timeout` is not written."""

    def encode(kept: dict[Key, Draft], now: datetime) -> dict[str, Any] | None:
        written = {f"{chat},{user}": asdict(draft) for (chat, user), draft in kept.items()
                   if draft.waited(now) < timeout}
        return written or None

    def decode(stored: dict[str, Any], now: datetime) -> dict[Key, Draft]:
        read: dict[Key, Draft] = {}
        for name, value in stored.items():
            chat, user = name.split(",")
            read[(int(chat), int(user))] = Draft.from_dict(value)
        return read

    return Codec(encode=encode, decode=decode)
