"""Assistance (seed paper, section 5): the requests States send, the providers that offer help,
their offers, and the match the Committee records.

A request follows the Committee's procedure, one step at a time (RequestStatus, in order):
received -> circulated to the Committee -> open to providers (circulated to them, and published
on the website when the State consents) -> matched -> in progress -> met, partly met, withdrawn
or lapsed. Each step a request reaches is a row of AssistanceStep (when, who), so the time a
request waited at each step can be read back; every change is in the audit log too.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Final

from sqlalchemy import CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import UTCDateTime


class AssistanceArea(StrEnum):
    """The areas of the Committee's assistance template, as the paper counts them."""

    OP3_AB = "op3_ab"  # account for, secure and physically protect
    OP3_CD = "op3_cd"  # border and export controls
    OP2 = "op2"  # prohibitions in national law
    TRAINING = "training"
    OUTREACH = "outreach"
    LEGISLATION = "legislation"  # drafting legislation
    EQUIPMENT = "equipment"
    FUNDING = "funding"
    OTHER = "other"


class WeaponCategory(StrEnum):
    NUCLEAR = "nuclear"
    CHEMICAL = "chemical"
    BIOLOGICAL = "biological"
    DELIVERY = "delivery"  # means of delivery


class RequestChannel(StrEnum):
    """How a request reached the Committee."""

    TEMPLATE = "template"  # the Committee's assistance template
    NOTE_VERBALE = "note_verbale"
    NATIONAL_REPORT = "national_report"
    TELEGRAM = "telegram"  # filed by the State's PoC in the chat
    WEB = "web"  # filed by the State's PoC through a signed form


class RequestStatus(StrEnum):
    RECEIVED = "received"
    CIRCULATED = "circulated"  # to the Committee
    OPEN = "open"  # circulated to providers; published on the website with consent
    MATCHED = "matched"
    IN_PROGRESS = "in_progress"
    MET = "met"
    PARTLY_MET = "partly_met"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"


# The steps a request moves through in order; the closing ones end it.
PROCEDURE: Final = (RequestStatus.RECEIVED, RequestStatus.CIRCULATED, RequestStatus.OPEN,
                    RequestStatus.MATCHED, RequestStatus.IN_PROGRESS)
CLOSED: Final = (RequestStatus.MET, RequestStatus.PARTLY_MET, RequestStatus.WITHDRAWN,
                 RequestStatus.LAPSED)
# Met or partly met only once help was matched; withdrawn or lapsed at any step.
CLOSED_AFTER_MATCH: Final = (RequestStatus.MET, RequestStatus.PARTLY_MET)


class OfferStatus(StrEnum):
    OFFERED = "offered"
    MATCHED = "matched"  # the Committee recorded the match
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


REFERENCE_MAX = 80
SUMMARY_MAX = 2000
DETAIL_MAX = 1000


def _one_of(column: str, values: type[StrEnum], name: str) -> CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


class AssistanceRequest(SQLModel, table=True):
    __tablename__ = "assistance_request"
    __table_args__ = (
        _one_of("status", RequestStatus, "ck_assistance_request_status"),
        _one_of("channel", RequestChannel, "ck_assistance_request_channel"),
        Index("ix_assistance_request_received", "received_on", "party_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", index=True)  # the requesting State
    received_on: date
    channel: str = Field(max_length=20)
    reference: str = Field(default="", max_length=REFERENCE_MAX)  # e.g. the note's symbol
    summary: str = Field(default="", max_length=SUMMARY_MAX)
    consent_to_publish: bool = False
    status: str = Field(default=RequestStatus.RECEIVED, max_length=20)
    status_on: date  # the day the request reached its current step
    published_on: date | None = None  # on the Committee's website (needs consent)
    closed_on: date | None = None  # met, partly met, withdrawn or lapsed
    # the last day the State said it keeps an earlier request in force
    maintained_on: date | None = None
    # staff confirmed it (a PoC's own request counts only then); None: awaiting staff
    confirmed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class AssistanceNeed(SQLModel, table=True):
    __tablename__ = "assistance_need"
    __table_args__ = (
        _one_of("area", AssistanceArea, "ck_assistance_need_area"),
        CheckConstraint("weapon IS NULL OR weapon IN ('nuclear', 'chemical', 'biological',"
                        " 'delivery')", name="ck_assistance_need_weapon"),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="assistance_request.id", index=True)
    area: str = Field(max_length=20)
    weapon: str | None = Field(default=None, max_length=20)
    detail: str = Field(default="", max_length=DETAIL_MAX)


class AssistanceStep(SQLModel, table=True):
    """A step a request reached: its history, for durations and for people to follow."""

    __tablename__ = "assistance_step"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="assistance_request.id", index=True)
    status: str = Field(max_length=20)
    reached_on: date
    actor: str = Field(max_length=120)
    note: str = Field(default="", max_length=DETAIL_MAX)


class AssistanceProvider(SQLModel, table=True):
    """A State or organisation registered with the Committee as offering assistance."""

    __tablename__ = "assistance_provider"

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", unique=True)
    registered_on: date
    withdrawn_on: date | None = None


class ProviderArea(SQLModel, table=True):
    __tablename__ = "assistance_provider_area"
    __table_args__ = (
        _one_of("area", AssistanceArea, "ck_assistance_provider_area_area"),
        UniqueConstraint("provider_id", "area"),
    )

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="assistance_provider.id", index=True)
    area: str = Field(max_length=20)
    since: date


class AssistanceOffer(SQLModel, table=True):
    """A provider's offer against a request; MATCHED when the Committee records the match."""

    __tablename__ = "assistance_offer"
    __table_args__ = (
        _one_of("status", OfferStatus, "ck_assistance_offer_status"),
        UniqueConstraint("request_id", "provider_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="assistance_request.id", index=True)
    provider_id: int = Field(foreign_key="assistance_provider.id", index=True)
    offered_on: date
    detail: str = Field(default="", max_length=DETAIL_MAX)
    status: str = Field(default=OfferStatus.OFFERED, max_length=20)
    matched_on: date | None = None


class FeedbackAnswer(StrEnum):
    """What a requesting State answers, a year after a match, about the assistance."""

    MET = "met"
    PARTLY_MET = "partly_met"
    STILL_NEEDED = "still_needed"


class AssistanceFeedback(SQLModel, table=True):
    """A requesting State's answer on how the assistance went (the paper's "feedback from
    requesting States ... on the functioning of the Committee's match-making role"): each
    PoC's latest answer per request, by button, link or staff."""

    __tablename__ = "assistance_feedback"
    __table_args__ = (
        _one_of("answer", FeedbackAnswer, "ck_assistance_feedback_answer"),
        UniqueConstraint("request_id", "poc_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="assistance_request.id", index=True)
    poc_id: int | None = Field(default=None, foreign_key="poc.id")  # None: recorded by staff
    answer: str = Field(max_length=20)
    channel: str = Field(max_length=10)  # email, telegram or staff
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
