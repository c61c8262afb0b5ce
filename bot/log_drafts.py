"""The drafts of the one-line /log: what was typed, kept until Save, Edit or Cancel.

bot.staff_bot keeps each checked row in application.bot_data under a short random token for
DRAFT_LIFETIME; its Save / Cancel buttons and the guided conversation's Edit button
(bot.log_conversation) take it from there. Only the person who typed /log may take it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

__all__ = ["DRAFTS_KEY", "DRAFT_LIFETIME", "Draft", "drafts_of"]

DRAFT_LIFETIME = timedelta(minutes=15)
DRAFTS_KEY = "staff_log_drafts"  # the key of application.bot_data holding the /log drafts


@dataclass(frozen=True)
class Draft:
    row: dict[str, str]
    user_id: int
    expires: datetime


def drafts_of(bot_data: dict[Any, Any]) -> dict[str, Draft]:
    """The one-line drafts by token (created on first use)."""
    drafts: dict[str, Draft] = bot_data.setdefault(DRAFTS_KEY, {})
    return drafts
