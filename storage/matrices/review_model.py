"""A draft matrix sent to its State for review, and where the State's answer stands.

state: pending (sent, no answer yet) -> comments (the State said "comments attached": it is
asked to upload them, and the review waits for staff) | approved (the State approved the
draft: its version's `approved_on` is set through storage.matrices.versions.approve).
"comments" may still become "approved"; "approved" is final.

The draft's bytes are kept under <data dir>/matrices/<stored name>, a name this module's
writer chooses, with the checksum of what was sent; the outbox message carries the review
id in its context under "matrix_review", so the dispatcher attaches the draft and labels the
answer buttons, and a reminder names the same review.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column
from sqlmodel import Field, SQLModel

from storage.columns import UTCDateTime

FILE_NAME_MAX = 200  # the draft's name as staff gave it, what the PoC's mail client shows
STORED_NAME_MAX = 80
REVIEW_TARGET = "unapproved_matrix"
REVIEW_TEMPLATE = "matrix_review"
REVIEW_REMINDER_TEMPLATE = "reminder_matrix"
CONTEXT_KEY = "matrix_review"  # the outbox message context's key naming the review


class ReviewState(StrEnum):
    PENDING = "pending"
    COMMENTS = "comments"
    APPROVED = "approved"


class MatrixReview(SQLModel, table=True):
    __tablename__ = "matrix_review"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'comments', 'approved')",
                        name="ck_matrix_review_state"),
        CheckConstraint("size > 0", name="ck_matrix_review_size"),
        CheckConstraint("detected_type IN ('pdf', 'docx', 'odt', 'xlsx')",
                        name="ck_matrix_review_type"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="matrix_version.id", index=True)
    # None only between the review's insert and its message's, in one transaction
    outbox_message_id: int | None = Field(default=None, foreign_key="outbox_message.id",
                                          unique=True)
    file_name: str = Field(max_length=FILE_NAME_MAX)
    stored_name: str = Field(max_length=STORED_NAME_MAX, unique=True)
    checksum: str = Field(max_length=64)  # SHA-256, hex
    size: int
    detected_type: str = Field(max_length=10)
    due_on: date
    policy_id: int | None = Field(default=None, foreign_key="reminder_policy.id")
    state: str = Field(default=ReviewState.PENDING, max_length=10, index=True)
    answered_on: date | None = None  # the day of the State's last answer
    answered_by: int | None = Field(default=None, foreign_key="poc.id")
    answer_channel: str | None = Field(default=None, max_length=10)
    created_by: str = Field(max_length=120)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
