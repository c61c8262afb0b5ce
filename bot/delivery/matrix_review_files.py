"""The draft matrix a review's message carries, read from where storage keeps it
(<data dir>/matrices/, storage.matrices.reviews) once per dispatched batch.

Only the review's own message carries the file; its reminders name the draft without it.
A draft whose file is gone, or whose bytes no longer match the checksum recorded when staff
sent it, is not attached: the delivery fails with the reason, for a person to look at.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from bot.channels.contract import Attachment
from bot.channels.email.attachments import CONTENT_TYPES
from storage.matrices.review_model import REVIEW_TEMPLATE, MatrixReview
from storage.matrices.reviews import path_of, review_of_message
from storage.outbox import OutboxMessage


@dataclass(frozen=True)
class MissingDraft:
    reason: str  # for `outreach deliveries`: no file name, no personal data


def _read(data_dir: Path | None, review: MatrixReview) -> Attachment | MissingDraft:
    if data_dir is None:
        return MissingDraft("the data folder is not known: the draft matrix cannot be attached")
    try:
        data = path_of(data_dir=data_dir, review=review).read_bytes()
    except OSError:
        return MissingDraft(f"the draft matrix of review {review.id} is missing from the "
                            "data folder")
    if hashlib.sha256(data).hexdigest() != review.checksum:
        return MissingDraft(f"the draft matrix of review {review.id} changed since it was "
                            "sent for review")
    return Attachment(filename=review.file_name,
                      content_type=CONTENT_TYPES.get(review.detected_type,
                                                     "application/octet-stream"),
                      data=data)


def drafts_of(*, session: Session, messages: list[OutboxMessage], data_dir: Path | None
              ) -> dict[int, Attachment | MissingDraft]:
    """message id -> its draft, for the review messages among `messages`."""
    wanted = {review_of_message(m): m.id or 0 for m in messages
              if m.template == REVIEW_TEMPLATE and review_of_message(m) is not None}
    if not wanted:
        return {}
    found = session.exec(select(MatrixReview).where(col(MatrixReview.id).in_(list(wanted))))
    return {wanted[review.id]: _read(data_dir, review) for review in found
            if review.id in wanted}
