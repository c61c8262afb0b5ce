"""The one-line /log: its drafts, what was typed, kept until Save, Edit or Cancel.

bot.chat.staff keeps each checked row in application.bot_data under a short random token for
DRAFT_LIFETIME; its Save / Cancel buttons and the guided conversation's Edit button
(bot.chat.log.conversation) take it from there. Only the person who typed /log may take it.
Read bot_data through the handler's context at call time: PTB replaces it with the stored
one at initialize (bot.chat.persistence keeps the drafts, DRAFTS_CODEC, across restarts).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.chat.persistence import Codec

__all__ = ["DRAFTS_CODEC", "DRAFTS_KEY", "DRAFT_LIFETIME", "Draft", "drafts_of"]

DRAFT_LIFETIME = timedelta(minutes=15)
DRAFTS_KEY = "staff_log_drafts"  # the key of application.bot_data holding the /log drafts


@dataclass(frozen=True)
class Draft:
    row: dict[str, str]
    user_id: int
    expires: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"row": dict(self.row), "user_id": self.user_id,
                "expires": self.expires.isoformat()}

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> "Draft":
        return cls(row={str(k): str(v) for k, v in stored["row"].items()},
                   user_id=int(stored["user_id"]),
                   expires=datetime.fromisoformat(stored["expires"]))


def drafts_of(bot_data: dict[Any, Any]) -> dict[str, Draft]:
    """The one-line drafts by token (created on first use)."""
    drafts: dict[str, Draft] = bot_data.setdefault(DRAFTS_KEY, {})
    return drafts


def _encode(drafts: dict[str, Draft], now: datetime) -> dict[str, Any] | None:
    kept = {token: draft.to_dict() for token, draft in drafts.items() if draft.expires > now}
    return kept or None


def _decode(stored: dict[str, Any], now: datetime) -> dict[str, Draft]:
    drafts = {str(token): Draft.from_dict(value) for token, value in stored.items()}
    return {token: draft for token, draft in drafts.items() if draft.expires > now}


DRAFTS_CODEC = Codec(encode=_encode, decode=_decode)  # expired drafts are not kept
