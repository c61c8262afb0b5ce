"""The draft of a PoC's guided /assist (bot.chat.assist.conversation): its steps, what was
answered so far, where drafts are kept and how they survive a restart.

One draft per person and chat, in application.bot_data under DRAFTS_KEY by (chat id, user
id), read through the handler's context at call time (PTB replaces bot_data at initialize).
The persistence (bot.chat.persistence) keeps it as JSON with the conversation's step; a draft
unanswered for the timeout is not written, and one read back after it is dropped at its next
answer (bot.chat.assist.answers.current).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.chat.persistence import Codec
from storage.assistance.requests import Need

__all__ = ["DRAFTS_KEY", "Draft", "Key", "Step", "draft_codec", "drafts", "key"]

DRAFTS_KEY = "poc_assist_drafts"  # the key of application.bot_data holding the drafts

Context = ContextTypes.DEFAULT_TYPE
Key = tuple[int, int]  # (chat id, user id): the conversation's key


class Step(Enum):
    """The conversation's states (bot/chat/assist/conversation.mmd)."""

    AREAS = "areas"
    WEAPON = "weapon"
    DETAIL = "detail"
    CONSENT = "consent"
    SUMMARY = "summary"


@dataclass
class Draft:
    """One PoC's request as answered so far."""

    poc_id: int
    party_id: int
    language: str
    party: str = ""  # the State's name in the PoC's language, for the questions
    areas: list[str] = field(default_factory=list)  # in the template's order
    weapons: dict[str, str] = field(default_factory=dict)  # area -> weapon category
    details: dict[str, str] = field(default_factory=dict)  # area -> what was typed
    current: int = 0  # the index in `areas` of the area asked about
    consent: bool = False
    last_seen: datetime | None = None

    @property
    def area(self) -> str:
        return self.areas[self.current]

    def needs(self) -> tuple[Need, ...]:
        return tuple(Need(area, self.weapons.get(area), self.details.get(area, ""))
                     for area in self.areas)

    def to_dict(self) -> dict[str, Any]:
        return {"poc_id": self.poc_id, "party_id": self.party_id, "language": self.language,
                "party": self.party, "areas": list(self.areas), "weapons": dict(self.weapons),
                "details": dict(self.details), "current": self.current,
                "consent": self.consent,
                "last_seen": None if self.last_seen is None else self.last_seen.isoformat()}

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> "Draft":
        seen = stored.get("last_seen")
        return cls(poc_id=int(stored["poc_id"]), party_id=int(stored["party_id"]),
                   language=str(stored["language"]), party=str(stored.get("party", "")),
                   areas=[str(a) for a in stored.get("areas", [])],
                   weapons={str(k): str(v) for k, v in stored.get("weapons", {}).items()},
                   details={str(k): str(v) for k, v in stored.get("details", {}).items()},
                   current=int(stored.get("current", 0)),
                   consent=bool(stored.get("consent", False)),
                   last_seen=None if seen is None else datetime.fromisoformat(seen))


def key(update: Update) -> Key | None:
    chat, user = update.effective_chat, update.effective_user
    return None if chat is None or user is None else (chat.id, user.id)


def drafts(context: Context) -> dict[Key, Draft]:
    found: dict[Key, Draft] = context.bot_data.setdefault(DRAFTS_KEY, {})
    return found


def draft_codec(timeout: timedelta) -> Codec:
    """The drafts as JSON by "chat,user"; a draft unanswered for `timeout` is not written."""

    def encode(kept: dict[Key, Draft], now: datetime) -> dict[str, Any] | None:
        written = {f"{chat},{user}": draft.to_dict() for (chat, user), draft in kept.items()
                   if draft.last_seen is None or now - draft.last_seen < timeout}
        return written or None

    def decode(stored: dict[str, Any], now: datetime) -> dict[Key, Draft]:
        read: dict[Key, Draft] = {}
        for name, value in stored.items():
            chat, user = name.split(",")
            read[(int(chat), int(user))] = Draft.from_dict(value)
        return read

    return Codec(encode=encode, decode=decode)
