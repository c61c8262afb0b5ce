"""Helpers of the matrix-review specs: a State with PoCs and a version, its draft sent."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from storage.matrices import reviews
from storage.matrices.review_model import MatrixReview
from storage.outbox import Delivery
from tests.matrices.support import party, version
from tests.support.documents import PDF
from tests.support.outbox import add_poc

SENT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # the day staff send the draft
DUE = date(2026, 12, 15)
DRAFT_SENT_ON = date(2026, 10, 20)  # the version's own "sent for review" day, as imported
CAP = 1024 * 1024


@dataclass(frozen=True)
class Sent:
    review: MatrixReview
    pocs: dict[str, int]  # "email", "telegram" -> PoC id


def send(session: Session, data_dir: Path, *, code: str = "KEN", number: int = 2,
         chat_id: int | None = 515151, language: str = "en", content: bytes = PDF,
         due: date | None = DUE, now: datetime = SENT) -> Sent:
    """Version 1 approved long ago, version `number` a draft, sent for review at `now`."""
    pocs = {"email": add_poc(session, code, f"Person {code}-Mail-Test",
                             f"{code.lower()}@example.org", language=language),
            "telegram": add_poc(session, code, f"Person {code}-Chat-Test", chat_id=chat_id,
                                language=language)}
    version(session, code, 1, sent=date(2019, 3, 1), approved=date(2019, 6, 1), recorded=3)
    version(session, code, number, sent=DRAFT_SENT_ON, recorded=8)
    session.commit()
    draft = reviews.check_draft(session=session, party=party(session, code), number=number,
                                content=content, max_bytes=CAP)
    review = reviews.send_for_review(session=session, draft=draft, file_name="KEN matrix v2.pdf",
                                     due_on=due, data_dir=data_dir, actor="cli:ana-test",
                                     now=now)
    session.commit()
    return Sent(review, pocs)


def delivery_of(session: Session, poc_id: int) -> int:
    session.expire_all()
    return int(session.exec(select(Delivery.id).where(Delivery.poc_id == poc_id)).first() or 0)


def later(days: int) -> datetime:
    return SENT + timedelta(days=days)
