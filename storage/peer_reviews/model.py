"""A peer review (seed paper, section 4.7): "an exercise whereby two or more countries
voluntarily agree to share information and experiences related to the status of their
implementation of resolution 1540 (2004)". One record holds every participating State (two or
more, in the order given), the organisations (or the Committee) supporting it, the first and
last year it ran, and the meetings it held (events of type peer_review), each event in at most
one review.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import UTCDateTime

NOTES_MAX = 2000
SUPPORTER_MAX = 20  # a party's code (storage.parties.CODE_MAX) or "committee"
# The resolution was adopted in 2004: no review of its implementation ran before.
FIRST_YEAR = 2004


class PeerReview(SQLModel, table=True):
    __tablename__ = "peer_review"
    __table_args__ = (
        CheckConstraint("to_year >= from_year", name="ck_peer_review_years"),
        CheckConstraint(f"from_year >= {FIRST_YEAR}", name="ck_peer_review_from_year"),
    )

    id: int | None = Field(default=None, primary_key=True)
    from_year: int = Field(index=True)
    to_year: int
    notes: str = Field(default="", max_length=NOTES_MAX)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class PeerReviewState(SQLModel, table=True):
    """A participating State, at its position in the order given."""

    __tablename__ = "peer_review_state"
    __table_args__ = (UniqueConstraint("review_id", "party_id"),)

    review_id: int = Field(foreign_key="peer_review.id", primary_key=True)
    position: int = Field(primary_key=True)
    party_id: int = Field(foreign_key="party.id", index=True)


class PeerReviewSupporter(SQLModel, table=True):
    """A supporter in the order given: a party's code (an organisation or a State) or
    "committee" (the 1540 Committee)."""

    __tablename__ = "peer_review_supporter"

    review_id: int = Field(foreign_key="peer_review.id", primary_key=True)
    position: int = Field(primary_key=True)
    code: str = Field(max_length=SUPPORTER_MAX)


class PeerReviewEvent(SQLModel, table=True):
    """A meeting of the review: an event of type peer_review, in one review only."""

    __tablename__ = "peer_review_event"

    review_id: int = Field(foreign_key="peer_review.id", index=True)
    event_id: int = Field(foreign_key="event.id", primary_key=True)
