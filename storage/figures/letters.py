"""The letters figures: per letter that expects an answer, how many parties it was written
to, how many responded, how many substantively (the seed paper, sections 2 and 6: "The Chair
wrote to international, regional and subregional organisations on 2 June 2020 requesting
written submissions ... Thirteen have provided substantive responses"). The counting rules
are written beside their keys in docs/report-json.md.

A letter belongs to a period by the day it was first sent (its earliest outbox message); a
party counts once per letter; a promise is not a response.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from storage import letters
from storage.figures.period import Period
from storage.letters import Letter, ResponseKind
from storage.outbox import OutboxMessage
from storage.parties import PartyKind


@dataclass(frozen=True)
class LetterSummary:
    letter: int
    source: str  # "chair N" or "message N"
    sent_on: date | None  # the day its first message was queued; None before release
    due_on: date
    written_to: int
    written_to_organisations: int
    responded: int
    substantive: int
    promised: int  # a promise standing on `today` or after, and no response
    policy: int | None

    @property
    def awaiting(self) -> int:
        return self.written_to - self.responded - self.promised

    def row(self) -> dict[str, Any]:
        return {"letter": self.letter, "source": self.source,
                "due_on": self.due_on.isoformat(), "written_to": self.written_to,
                "responded": self.responded, "substantive": self.substantive,
                "promised": self.promised, "awaiting": self.awaiting, "policy": self.policy}


def _sent_on(session: Session, letter: Letter) -> date | None:
    ids = letters.outbox_ids(session=session, letter=letter)
    if not ids:
        return None
    first = session.exec(select(OutboxMessage.created_at).where(
        col(OutboxMessage.id).in_(ids)).order_by(col(OutboxMessage.created_at))).first()
    return first.date() if first else None


def summary(*, session: Session, letter: Letter, today: date) -> LetterSummary:
    parties = letters.written_to(session=session, letter=letter)
    ids = {p.id for p in parties}
    answers = [r for r in letters.responses(session=session, letter_id=letter.id)
               if r.party_id in ids]
    responded = [r for r in answers if r.kind == ResponseKind.RESPONSE]
    source = (f"chair {letter.chair_message_id}" if letter.chair_message_id is not None
              else f"message {letter.outbox_message_id}")
    return LetterSummary(
        letter=letter.id or 0, source=source, sent_on=_sent_on(session, letter),
        due_on=letter.due_on, written_to=len(parties),
        written_to_organisations=sum(1 for p in parties if p.kind != PartyKind.STATE),
        responded=len(responded), substantive=sum(1 for r in responded if r.substantive),
        promised=sum(1 for r in answers if r.kind == ResponseKind.PROMISE
                     and r.promised_by is not None and r.promised_by >= today),
        policy=letter.policy_id)


def letter_summaries(*, session: Session, today: date,
                     period: Period | None = None) -> list[LetterSummary]:
    """Every letter (sent in `period`, when given), oldest first."""
    found = [summary(session=session, letter=letter, today=today)
             for letter in letters.letters(session=session)]
    if period is None:
        return found
    return [s for s in found
            if s.sent_on is not None and period.start <= s.sent_on <= period.end]


def letter_rows(*, session: Session, letter_id: int) -> list[dict[str, Any]]:
    """One row per party the letter was written to, by name: its answer so far."""
    letter = letters.get(session=session, letter_id=letter_id)
    answers = {r.party_id: r for r in letters.responses(session=session, letter_id=letter_id)}
    rows: list[dict[str, Any]] = []
    for party in letters.written_to(session=session, letter=letter):
        answer = answers.get(party.id or 0)
        rows.append({
            "party": party.code, "party_name": party.name,
            "answer": answer.kind if answer else "none",
            "substantive": answer.substantive if answer and answer.kind == "response" else None,
            "responded_on": answer.responded_on.isoformat() if answer else None,
            "promised_by": (answer.promised_by.isoformat()
                            if answer and answer.promised_by else None),
            "channel": answer.channel if answer else None,
            "document": answer.document_id if answer else None})
    return rows
