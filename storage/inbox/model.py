"""A document a PoC sent (by `/submit` in Telegram or the signed upload page): what it is for,
where its bytes are kept, and what staff decided.

status: received -> confirmed (it became a Submission of the reporting history) | declined
(with a reason the PoC is sent) | duplicate (the same party had already sent the same bytes:
recorded, and nothing else changes). `purpose` says what the PoC sent it as; a response to a
letter names the letter (`letter_id`) and, once confirmed, is the document of the party's
letter_response row (its document_id). Comments on a draft matrix name the review they
answer (`matrix_review_id`); confirming them records only that staff have read them.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Index
from sqlmodel import Field, SQLModel

from storage.columns import UTCDateTime

ORIGINAL_NAME_MAX = 200  # a file name as the PoC gave it, cut visibly beyond this
REASON_MAX = 1000
ACTOR_MAX = 120


class Purpose(StrEnum):
    NATIONAL_REPORT = "national_report"
    ADDITIONAL_INFO = "additional_info"
    ACTION_PLAN = "action_plan"
    LETTER_RESPONSE = "letter_response"
    MATRIX_COMMENTS = "matrix_comments"  # a State's comments on its draft matrix


class DocumentType(StrEnum):
    """What the bytes are, read from the content (storage.inbox.detect)."""

    PDF = "pdf"
    DOCX = "docx"
    ODT = "odt"
    XLSX = "xlsx"


class InboxChannel(StrEnum):
    TELEGRAM = "telegram"
    WEB = "web"


class InboxStatus(StrEnum):
    RECEIVED = "received"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    DUPLICATE = "duplicate"


class ReceivedDocument(SQLModel, table=True):
    __tablename__ = "inbox_document"
    __table_args__ = (
        CheckConstraint("purpose IN ('national_report', 'additional_info', 'action_plan',"
                        " 'letter_response', 'matrix_comments')", name="ck_inbox_document_purpose"),
        CheckConstraint("detected_type IN ('pdf', 'docx', 'odt', 'xlsx')",
                        name="ck_inbox_document_type"),
        CheckConstraint("channel IN ('telegram', 'web')", name="ck_inbox_document_channel"),
        CheckConstraint("status IN ('received', 'confirmed', 'declined', 'duplicate')",
                        name="ck_inbox_document_status"),
        Index("ix_inbox_document_party_checksum", "party_id", "checksum"),
    )

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", index=True)
    poc_id: int = Field(foreign_key="poc.id", index=True)
    purpose: str = Field(max_length=20)
    original_name: str = Field(max_length=ORIGINAL_NAME_MAX)
    stored_name: str | None = Field(default=None, max_length=80, unique=True)  # None: duplicate
    size: int
    checksum: str = Field(max_length=64)  # SHA-256, hex
    detected_type: str = Field(max_length=10)
    channel: str = Field(max_length=10)
    status: str = Field(default=InboxStatus.RECEIVED, max_length=10, index=True)
    duplicate_of: int | None = Field(default=None, foreign_key="inbox_document.id")
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # when staff were told in Telegram (bot.chat.inbox_notice); None: not yet
    staff_told_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    decided_by: str | None = Field(default=None, max_length=ACTOR_MAX)
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    submission_kind: str | None = Field(default=None, max_length=20)
    submitted_on: date | None = None
    submission_id: int | None = Field(default=None, foreign_key="submission.id")
    # the letter it answers (purpose letter_response, named by the PoC's link or choice, or
    # by staff at confirmation); None: no letter named
    letter_id: int | None = Field(default=None, foreign_key="letter.id", index=True)
    # the draft matrix review it comments on (purpose matrix_comments: the party's review
    # awaiting an answer when it came); None for every other purpose
    matrix_review_id: int | None = Field(default=None, foreign_key="matrix_review.id",
                                         index=True)
    decline_reason: str | None = Field(default=None, max_length=REASON_MAX)
    decline_message_id: int | None = Field(default=None, foreign_key="outbox_message.id")
