"""The words of the answer buttons under a letter that expects a response (and under its
reminders), of what follows a press, and their callback data "lt:<delivery id>:<answer>".

Kept apart from the chat handler so the dispatcher can label buttons without importing
python-telegram-bot's Application machinery. Words: templates/telegram/en/letters.j2.
"""

import re

from bot.render.templates import DEFAULT_LANGUAGE, macro
from storage.letter_answers import PROMISE_DAYS, LetterAnswer

# What the handler is registered for; parse_callback is stricter (ASCII digits, a sane length).
CALLBACK_PATTERN = r"^lt:\d+:(responded|promise)$"
_CALLBACK = re.compile(r"lt:([1-9][0-9]{0,17}):(responded|promise)")
MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data
MAX_ANSWER_CHARS = 200  # Telegram's limit on a callback answer's text
BUTTON_ORDER = (LetterAnswer.RESPONDED, LetterAnswer.PROMISE)


def _say(language: str, name: str, **params: object) -> str:
    return macro("telegram/letters.j2", name, language, **params)


def callback_data(delivery_id: int, answer: LetterAnswer) -> str:
    data = f"lt:{delivery_id}:{answer.value}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data longer than {MAX_CALLBACK_BYTES} bytes")
    return data


def letter_buttons(delivery_id: int, language: str) -> tuple[tuple[str, str], ...]:
    """The (label, callback data) buttons under a letter, labelled in the PoC's language."""
    return tuple((_say(language, answer.value, days=PROMISE_DAYS)
                  if answer is LetterAnswer.PROMISE else _say(language, answer.value),
                  callback_data(delivery_id, answer)) for answer in BUTTON_ORDER)


def parse_callback(data: str) -> tuple[int, LetterAnswer] | None:
    """(delivery id, answer) from a button's callback data; None if it is not one of ours."""
    match = _CALLBACK.fullmatch(data)
    if match is None:
        return None
    return int(match.group(1)), LetterAnswer(match.group(2))


def thanks(answer: LetterAnswer, language: str, until: str | None) -> str:
    if answer is LetterAnswer.PROMISE:
        return _say(language, "thanks_promise", until=until or "")[:MAX_ANSWER_CHARS]
    return _say(language, "thanks_responded")[:MAX_ANSWER_CHARS]


def not_yours(language: str = DEFAULT_LANGUAGE) -> str:
    return _say(language, "not_yours")[:MAX_ANSWER_CHARS]


def expired(language: str = DEFAULT_LANGUAGE) -> str:
    return _say(language, "expired")[:MAX_ANSWER_CHARS]
