"""A PoC's answer to a letter that expects a response by a signed e-mail link:
/letter-answer/<delivery id>/<responded|promise>/<signature>. As the reminders' ReplyHandler
and the assistance follow-ups' AssistanceAnswerHandler: the signature is checked before
anything is read, GET shows a page asking to confirm (mail scanners open every link), POST
records; a link older than OUTREACH_REPLY_LINK_DAYS shows the expired page (410) and changes
nothing. Pages in the PoC's language (templates/web/en/letter_answer*.html.j2). Logs name the
delivery and the answer only.
"""

import logging
from datetime import timedelta

from sqlalchemy import Engine

from bot.web.handlers import Clock, _SignedLink
from bot.web.links import letter_answer_signature_valid
from storage.db import session_scope
from storage.letter_answers import (
    PROMISE_DAYS,
    LetterAnswer,
    LetterOutcome,
    LetterTarget,
    answer_letter,
    letter_target,
)

__all__ = ["LetterAnswerHandler"]

log = logging.getLogger(__name__)

DONE_PAGE = "web/letter_answer.html.j2"
CONFIRM_PAGE = "web/letter_answer_confirm.html.j2"


class LetterAnswerHandler(_SignedLink):
    def initialize(self, engine: Engine, secret: str | None, clock: Clock,  # type: ignore[override]
                   valid_for: timedelta) -> None:
        super().initialize(engine, secret, clock)
        self.valid_for = valid_for

    def _valid(self, delivery_id: str, answer: str, signature: str) -> bool:
        return self.secret is not None and letter_answer_signature_valid(
            self.secret, int(delivery_id), answer, signature)

    def _target(self, delivery_id: int) -> LetterTarget | None:
        with session_scope(self.engine) as session:
            return letter_target(session=session, delivery_id=delivery_id, now=self.clock(),
                                 valid_for=self.valid_for)

    def _invalid(self) -> None:
        self._page(DONE_PAGE, self._reader_language(), 404, state="invalid")

    def _expired(self, delivery_id: str, answer: str, language: str) -> None:
        log.info("delivery %s: letter answer %s refused, the link has expired",
                 delivery_id, answer)
        self._page(DONE_PAGE, language, 410, state="expired")

    def get(self, delivery_id: str, answer: str, signature: str) -> None:
        target = self._target(int(delivery_id)) if self._valid(
            delivery_id, answer, signature) else None
        if target is None:
            self._invalid()
        elif target.expired:
            self._expired(delivery_id, answer, target.language)
        else:
            self._page(CONFIRM_PAGE, target.language, answer=answer, days=PROMISE_DAYS)

    def post(self, delivery_id: str, answer: str, signature: str) -> None:
        if not self._valid(delivery_id, answer, signature):
            self._invalid()
            return
        with session_scope(self.engine) as session:
            taken = answer_letter(session=session, delivery_id=int(delivery_id),
                                  answer=LetterAnswer(answer), channel="email",
                                  now=self.clock(), valid_for=self.valid_for)
        if taken is None:
            self._invalid()
            return
        if taken.outcome is LetterOutcome.EXPIRED:
            self._expired(delivery_id, answer, taken.language)
            return
        log.info("delivery %s: letter answer %s %s", delivery_id, answer,
                 "recorded" if taken.outcome is LetterOutcome.RECORDED else "unchanged")
        self._page(DONE_PAGE, taken.language, state=answer, until=taken.promised_by or "")
