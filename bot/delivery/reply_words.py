"""The words of a reminder's answer buttons and of the thanks, and their callback data.

Kept apart from the reply bot so the dispatcher can label buttons without importing
python-telegram-bot's Application machinery.
"""

import re
from datetime import date
from typing import Any

from bot.render.templates import DEFAULT_LANGUAGE, macro
from storage.reminders import ReplyAnswer

# What the handler is registered for; parse_callback is stricter (ASCII digits, a sane length).
CALLBACK_PATTERN = r"^r:\d+:(received|snooze|wrong_contact)$"
_CALLBACK = re.compile(r"r:([1-9][0-9]{0,17}):(received|snooze|wrong_contact)")
MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data
MAX_ANSWER_CHARS = 200  # Telegram's limit on a callback answer's text
# The buttons under a reminder, top to bottom.
# Staff see these in `outreach reminders replies`; the log line reaches their monitoring.
WRONG_CONTACT_ALERT = ("delivery %s: the PoC says they are not the right contact; they get no "
                       "more reminders: find the right one (outreach reminders replies)")
BUTTON_ORDER = (ReplyAnswer.RECEIVED, ReplyAnswer.SNOOZE, ReplyAnswer.WRONG_CONTACT)


# -- words ------------------------------------------------------------------------------


def _say(language: str, name: str, **params: Any) -> str:
    return macro("telegram/replies.j2", name, language, **params)


def callback_data(delivery_id: int, answer: ReplyAnswer) -> str:
    data = f"r:{delivery_id}:{answer.value}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data longer than {MAX_CALLBACK_BYTES} bytes")
    return data


def reply_buttons(delivery_id: int, language: str) -> tuple[tuple[str, str], ...]:
    """The (label, callback data) buttons under a reminder, labelled in the PoC's language."""
    return tuple(
        (_say(language, answer.value), callback_data(delivery_id, answer))
        for answer in BUTTON_ORDER
    )


def parse_callback(data: str) -> tuple[int, ReplyAnswer] | None:
    """(delivery id, answer) from a button's callback data; None if it is not one of ours."""
    match = _CALLBACK.fullmatch(data)
    if match is None:
        return None
    return int(match.group(1)), ReplyAnswer(match.group(2))


def acknowledgement(answer: ReplyAnswer, language: str, snooze_until: date | None = None) -> str:
    """What the PoC reads once the answer is recorded (a callback answer: plain text)."""
    if answer is ReplyAnswer.SNOOZE:
        until = snooze_until.isoformat()[:10] if snooze_until is not None else ""
        text = _say(language, "thanks_snooze", until=until)
    else:
        text = _say(language, f"thanks_{answer.value}")
    return text[:MAX_ANSWER_CHARS]


def not_yours(language: str = DEFAULT_LANGUAGE) -> str:
    """The answer to a press that records nothing (another chat, unknown delivery)."""
    return _say(language, "not_yours")[:MAX_ANSWER_CHARS]


def expired(language: str = DEFAULT_LANGUAGE) -> str:
    """The answer to a press on a reminder older than its buttons last (nothing recorded)."""
    return _say(language, "expired")[:MAX_ANSWER_CHARS]
