"""Every answer a PoC can give to a delivery by a Telegram button or a signed e-mail link, as
data: a reminder's (received, snooze, wrong contact), an assistance follow-up's (met, partly
met, still needed), a letter's (responded, promise), a draft matrix's (approved, comments).
One button handler (bot.chat.answers) and one link page (bot.web.answers) serve them all; a
kind says

- its callback data "<prefix>:<delivery id>:<answer>" (at most 64 bytes, Telegram's limit)
  and its link "/<path>/<delivery id>/<answer>/<signature>" (the signature signs the path);
- its answers, in button order, labelled by the macros of the same names in `words`, and the
  thanks, macro "thanks_<answer>" (given `until`, a snooze's or promise's end, if it takes it);
- the storage functions that record an answer and find what a delivery is about (both take
  the rules of storage.delivery_answers);
- its pages: the confirmation a GET shows (mail scanners open every link) and the page after.

Kept apart from the chat handler so the dispatcher can label buttons without importing
python-telegram-bot's Application machinery.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.render.templates import DEFAULT_LANGUAGE, macro_taking
from storage.assistance.follow_up_answers import answer_follow_up, follow_up_target
from storage.assistance.model import FeedbackAnswer
from storage.delivery_answers import AnswerTaken, AnswerTarget
from storage.letter_answers import PROMISE_DAYS, LetterAnswer, answer_letter, letter_target
from storage.matrices.review_answers import ReviewAnswer, answer_review, review_target
from storage.reminders import ReplyAnswer, reply_target, reply_to_delivery

MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data
MAX_ANSWER_CHARS = 200  # Telegram's limit on a callback answer's text
# Staff see these in `outreach reminders replies`; the log line reaches their monitoring.
WRONG_CONTACT_ALERT = ("delivery %s: the PoC says they are not the right contact; they get no "
                       "more reminders: find the right one (outreach reminders replies)")

Recorder = Callable[..., AnswerTaken | None]
Targeter = Callable[..., AnswerTarget[Any] | None]


@dataclass(frozen=True)
class AnswerKind:
    name: str  # in logs
    prefix: str
    path: str
    answers: type[StrEnum]  # in button order
    words: str
    record: Recorder
    target: Targeter
    done_page: str
    confirm_page: str
    params: Mapping[str, object] = field(default_factory=dict)  # for labels and pages
    done_state: str | None = None  # the done page's state; None: the answer given
    alerts: Mapping[str, str] = field(default_factory=dict)  # answer -> log warning, once

    def say(self, language: str, name: str, **params: object) -> str:
        return macro_taking(self.words, name, language, **self.params, **params)


REPLY = AnswerKind(
    name="reply", prefix="r", path="reply", answers=ReplyAnswer,
    words="telegram/replies.j2", record=reply_to_delivery, target=reply_target,
    done_page="web/reply.html.j2", confirm_page="web/reply_confirm.html.j2",
    alerts={ReplyAnswer.WRONG_CONTACT: WRONG_CONTACT_ALERT})
ASSISTANCE = AnswerKind(
    name="assistance answer", prefix="af", path="assistance-answer", answers=FeedbackAnswer,
    words="assistance/answers.j2", record=answer_follow_up, target=follow_up_target,
    done_page="assistance/answer.html.j2", confirm_page="assistance/answer_confirm.html.j2",
    done_state="recorded")
LETTER = AnswerKind(
    name="letter answer", prefix="lt", path="letter-answer", answers=LetterAnswer,
    words="telegram/letters.j2", record=answer_letter, target=letter_target,
    done_page="web/letter_answer.html.j2", confirm_page="web/letter_answer_confirm.html.j2",
    params={"days": PROMISE_DAYS})

MATRIX_REVIEW = AnswerKind(
    name="matrix answer", prefix="mr", path="matrix-answer", answers=ReviewAnswer,
    words="telegram/matrix_reviews.j2", record=answer_review, target=review_target,
    done_page="web/matrix_answer.html.j2", confirm_page="web/matrix_answer_confirm.html.j2")

KINDS: tuple[AnswerKind, ...] = (REPLY, ASSISTANCE, LETTER, MATRIX_REVIEW)
_BY_PREFIX = {kind.prefix: kind for kind in KINDS}


def answer_names(kind: AnswerKind) -> tuple[str, ...]:
    return tuple(answer.value for answer in kind.answers)


def _pattern(strict: bool) -> str:
    digits = "[1-9][0-9]{0,17}" if strict else r"\d+"
    return "|".join(f"{kind.prefix}:{digits}:(?:{'|'.join(answer_names(kind))})"
                    for kind in KINDS)


# What the handler is registered for; parse_callback is stricter (ASCII digits, a sane length).
CALLBACK_PATTERN = f"^(?:{_pattern(strict=False)})$"
_CALLBACK = re.compile(r"([a-z]{1,3}):([1-9][0-9]{0,17}):([a-z_]{1,20})")


def callback_data(kind: AnswerKind, delivery_id: int, answer: str) -> str:
    data = f"{kind.prefix}:{delivery_id}:{kind.answers(answer).value}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data longer than {MAX_CALLBACK_BYTES} bytes")
    return data


def buttons(kind: AnswerKind, delivery_id: int, language: str) -> tuple[tuple[str, str], ...]:
    """The (label, callback data) buttons under a message, labelled in the PoC's language."""
    return tuple((kind.say(language, answer), callback_data(kind, delivery_id, answer))
                 for answer in answer_names(kind))


def parse_callback(data: str) -> tuple[AnswerKind, int, str] | None:
    """(kind, delivery id, answer) from a button's callback data; None if not one of ours."""
    match = _CALLBACK.fullmatch(data)
    kind = _BY_PREFIX.get(match.group(1)) if match else None
    if match is None or kind is None or match.group(3) not in answer_names(kind):
        return None
    return kind, int(match.group(2)), match.group(3)


def thanks(kind: AnswerKind, answer: str, language: str, until: str | None = None) -> str:
    """What the PoC reads once the answer is recorded (a callback answer: plain text)."""
    return kind.say(language, f"thanks_{answer}", until=until or "")[:MAX_ANSWER_CHARS]


def not_yours(kind: AnswerKind = REPLY, language: str = DEFAULT_LANGUAGE) -> str:
    """The answer to a press that records nothing (another chat, unknown delivery)."""
    return kind.say(language, "not_yours")[:MAX_ANSWER_CHARS]


def expired(kind: AnswerKind, language: str = DEFAULT_LANGUAGE) -> str:
    """The answer to a press on a message older than its buttons last (nothing recorded)."""
    return kind.say(language, "expired")[:MAX_ANSWER_CHARS]
