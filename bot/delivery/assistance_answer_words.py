"""The words of an assistance follow-up's answer buttons and of what follows a press, and
their callback data "af:<delivery id>:<answer>".

Kept apart from the chat handler so the dispatcher can label buttons without importing
python-telegram-bot's Application machinery. Words: templates/assistance/en/answers.j2.
"""

import re

from bot.render.templates import DEFAULT_LANGUAGE, macro
from storage.assistance.model import FeedbackAnswer

# What the handler is registered for; parse_callback is stricter (ASCII digits, a sane length).
CALLBACK_PATTERN = r"^af:\d+:(met|partly_met|still_needed)$"
_CALLBACK = re.compile(r"af:([1-9][0-9]{0,17}):(met|partly_met|still_needed)")
MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data
MAX_ANSWER_CHARS = 200  # Telegram's limit on a callback answer's text
# The buttons under a follow-up, top to bottom.
BUTTON_ORDER = (FeedbackAnswer.MET, FeedbackAnswer.PARTLY_MET, FeedbackAnswer.STILL_NEEDED)


def _say(language: str, name: str) -> str:
    return macro("assistance/answers.j2", name, language)


def callback_data(delivery_id: int, answer: FeedbackAnswer) -> str:
    data = f"af:{delivery_id}:{answer.value}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data longer than {MAX_CALLBACK_BYTES} bytes")
    return data


def answer_buttons(delivery_id: int, language: str) -> tuple[tuple[str, str], ...]:
    """The (label, callback data) buttons under a follow-up, labelled in the PoC's language."""
    return tuple((_say(language, answer.value), callback_data(delivery_id, answer))
                 for answer in BUTTON_ORDER)


def parse_callback(data: str) -> tuple[int, FeedbackAnswer] | None:
    """(delivery id, answer) from a button's callback data; None if it is not one of ours."""
    match = _CALLBACK.fullmatch(data)
    if match is None:
        return None
    return int(match.group(1)), FeedbackAnswer(match.group(2))


def thanks(language: str) -> str:
    return _say(language, "thanks")[:MAX_ANSWER_CHARS]


def not_yours(language: str = DEFAULT_LANGUAGE) -> str:
    """The answer to a press that records nothing (another chat, unknown delivery)."""
    return _say(language, "not_yours")[:MAX_ANSWER_CHARS]


def expired(language: str = DEFAULT_LANGUAGE) -> str:
    """The answer to a press on a follow-up older than its buttons last (nothing recorded)."""
    return _say(language, "expired")[:MAX_ANSWER_CHARS]
