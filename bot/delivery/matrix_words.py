"""The words of the answer buttons under a draft matrix sent to its State for review (and
under its reminders), of what follows a press, and their callback data
"mr:<delivery id>:<answer>".

Kept apart from the chat handler so the dispatcher can label buttons without importing
python-telegram-bot's Application machinery. Words: templates/telegram/en/matrix_reviews.j2.
"""

import re

from bot.render.templates import DEFAULT_LANGUAGE, macro
from storage.matrices.review_answers import ReviewAnswer

# What a handler is registered for; parse_callback is stricter (ASCII digits, a sane length).
CALLBACK_PATTERN = r"^mr:\d+:(approved|comments)$"
_CALLBACK = re.compile(r"mr:([1-9][0-9]{0,17}):(approved|comments)")
MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data
MAX_ANSWER_CHARS = 200  # Telegram's limit on a callback answer's text
BUTTON_ORDER = (ReviewAnswer.APPROVED, ReviewAnswer.COMMENTS)


def _say(language: str, name: str, **params: object) -> str:
    return macro("telegram/matrix_reviews.j2", name, language, **params)


def callback_data(delivery_id: int, answer: ReviewAnswer) -> str:
    data = f"mr:{delivery_id}:{answer.value}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data longer than {MAX_CALLBACK_BYTES} bytes")
    return data


def review_buttons(delivery_id: int, language: str) -> tuple[tuple[str, str], ...]:
    """The (label, callback data) buttons under a draft matrix, in the PoC's language."""
    return tuple((_say(language, answer.value), callback_data(delivery_id, answer))
                 for answer in BUTTON_ORDER)


def parse_callback(data: str) -> tuple[int, ReviewAnswer] | None:
    """(delivery id, answer) from a button's callback data; None if it is not one of ours."""
    match = _CALLBACK.fullmatch(data)
    if match is None:
        return None
    return int(match.group(1)), ReviewAnswer(match.group(2))


def thanks(answer: ReviewAnswer, language: str, version: int) -> str:
    name = "thanks_approved" if answer is ReviewAnswer.APPROVED else "thanks_comments"
    return _say(language, name, version=version)[:MAX_ANSWER_CHARS]


def not_yours(language: str = DEFAULT_LANGUAGE) -> str:
    return _say(language, "not_yours")[:MAX_ANSWER_CHARS]


def expired(language: str = DEFAULT_LANGUAGE) -> str:
    return _say(language, "expired")[:MAX_ANSWER_CHARS]
