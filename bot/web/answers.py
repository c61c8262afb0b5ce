"""A PoC's answer to a delivery by a signed e-mail link, "/<path>/<delivery id>/<answer>/
<signature>", for every kind of bot.delivery.answer_kinds (a reminder's /reply, an assistance
follow-up's /assistance-answer, a letter's /letter-answer).

The signature is checked before anything is read; GET shows a page asking to confirm (mail
scanners open every link), POST records through the kind's storage function. The same answer
twice is one answer; a link older than OUTREACH_REPLY_LINK_DAYS shows the expired page (410)
and changes nothing; an invalid link 404 in the reader's language. Pages in the PoC's
language (the kind's templates). Logs name the kind, the delivery and the answer only.
"""

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine

from bot.delivery.answer_kinds import KINDS, AnswerKind, answer_names
from bot.web.handlers import Clock, _SignedLink
from bot.web.links import answer_signature_valid
from storage.db import session_scope
from storage.delivery_answers import AnswerOutcome

__all__ = ["DeliveryAnswerHandler", "answer_routes"]

log = logging.getLogger(__name__)


class DeliveryAnswerHandler(_SignedLink):
    def initialize(self, engine: Engine, secret: str | None, clock: Clock,  # type: ignore[override]
                   valid_for: timedelta, kind: AnswerKind) -> None:
        super().initialize(engine, secret, clock)
        self.valid_for = valid_for
        self.kind = kind

    def _valid(self, delivery_id: str, answer: str, signature: str) -> bool:
        return self.secret is not None and answer_signature_valid(
            self.secret, self.kind.path, int(delivery_id), answer, signature)

    def _done(self, language: str, status: int = 200, **values: object) -> None:
        self._page(self.kind.done_page, language, status, **{"until": "", **values})

    def _invalid(self) -> None:
        self._done(self._reader_language(), 404, state="invalid")

    def _expired(self, delivery_id: str, answer: str, language: str) -> None:
        log.info("delivery %s: %s %s refused, the link has expired", delivery_id,
                 self.kind.name, answer)
        self._done(language, 410, state="expired")

    def get(self, delivery_id: str, answer: str, signature: str) -> None:
        target = None
        if self._valid(delivery_id, answer, signature):
            with session_scope(self.engine) as session:
                target = self.kind.target(session=session, delivery_id=int(delivery_id),
                                          now=self.clock(), valid_for=self.valid_for)
        if target is None:
            self._invalid()
        elif target.expired:
            self._expired(delivery_id, answer, target.language)
        else:
            self._page(self.kind.confirm_page, target.language, 200,
                       **{**self.kind.params, "answer": answer, "subject": target.subject})

    def post(self, delivery_id: str, answer: str, signature: str) -> None:
        if not self._valid(delivery_id, answer, signature):
            self._invalid()
            return
        with session_scope(self.engine) as session:
            taken = self.kind.record(session=session, delivery_id=int(delivery_id),
                                     answer=self.kind.answers(answer), channel="email",
                                     now=self.clock(), valid_for=self.valid_for)
        if taken is None:
            self._invalid()
            return
        if taken.outcome is AnswerOutcome.EXPIRED:
            self._expired(delivery_id, answer, taken.language)
            return
        first = taken.outcome is AnswerOutcome.RECORDED
        log.info("delivery %s: %s %s %s", delivery_id, self.kind.name, answer,
                 "recorded" if first else "already recorded")
        if first and answer in self.kind.alerts:
            log.warning(self.kind.alerts[answer], delivery_id)
        self._done(taken.language, state=self.kind.done_state or answer,
                   until=taken.until.isoformat() if taken.until is not None else "")


def answer_routes(signed: dict[str, Any], valid_for: timedelta) -> list[Any]:
    """One tornado rule per answer kind."""
    return [(rf"/{kind.path}/([0-9]{{1,12}})/({'|'.join(answer_names(kind))})/([0-9a-f]{{32}})",
             DeliveryAnswerHandler, {**signed, "valid_for": valid_for, "kind": kind})
            for kind in KINDS]
