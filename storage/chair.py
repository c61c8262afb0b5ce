"""The Chair's messages: drafts in the six UN languages, four-eyes approval, cancellation.

A message moves draft -> approved -> sending -> sent, or to cancelled before its first
delivery leaves. Any edit of an approved message sends it back to draft. Whoever wrote or
changed any part of a message may not approve it. Releasing it into the outbox is in
storage/chair_release.py; who receives it in storage/chair_audience.py.

Errors are ChairError subclasses (storage.chair_errors, importable from here) with a `code`
and `params`: the words live in templates/.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Text, delete
from sqlalchemy.engine import CursorResult
from sqlmodel import Field, Session, SQLModel, col, select

from storage import audit
from storage.audit import AuditEntry
from storage.chair_audience import (
    CHAIR_LANGUAGES,
    FALLBACK_LANGUAGE,
    AudienceFilter,
    plan,
)
from storage.chair_errors import (
    CancelRefused,
    ChairError,
    EmptyAudience,
    IncompleteBody,
    InvalidLanguage,
    MessageNotFound,
    MissingEnglish,
    NotApprovable,
    NotEditable,
    RetryRefused,
    SelfApproval,
    StaleRevision,
    SubjectTooLong,
    TelegramTooLong,
)
from storage.columns import UTCDateTime
from storage.outbox import Delivery, DeliveryState, OutboxMessage

# The refusals (storage.chair_errors) are part of this module's API: chair.ChairError.
__all__ = [
    "AUTHORING_ACTIONS", "EDITABLE", "ENTITY", "OUTBOX_KIND", "SUBJECT_MAX", "CancelRefused",
    "Cancelled", "ChairBody", "ChairError", "ChairMessage", "ChairState", "EmptyAudience",
    "IncompleteBody", "InvalidLanguage", "MessageNotFound", "MissingEnglish", "NotApprovable",
    "NotEditable", "RetryRefused", "SelfApproval", "StaleRevision", "SubjectTooLong",
    "TelegramTooLong", "approve", "authors", "bodies", "cancel", "complete_languages",
    "create_draft", "get", "history", "listing", "outbox_keys", "outbox_message_ids",
    "remove_body", "set_audience", "set_body", "set_send_at", "snapshot",
]

ENTITY = "chair_message"
OUTBOX_KIND = "chair"
SUBJECT_MAX = 300


class ChairState(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"


EDITABLE = (ChairState.DRAFT, ChairState.APPROVED)
# Audit actions that write the message: whoever did one of them may not approve it.
AUTHORING_ACTIONS = ("create", "set_body", "remove_body", "set_audience", "set_send_at")


class ChairMessage(SQLModel, table=True):
    __tablename__ = "chair_message"

    id: int | None = Field(default=None, primary_key=True)
    state: str = Field(default=ChairState.DRAFT, max_length=10, index=True)
    revision: int = 1  # +1 on every edit: an approval names the revision it saw
    drafted_by: str = Field(max_length=120)
    drafted_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_by: str = Field(max_length=120)
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    approved_by: str | None = Field(default=None, max_length=120)
    approved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    # None: as soon as it is approved
    send_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    audience: dict[str, Any] = Field(default_factory=dict,
                                     sa_column=Column(JSON, nullable=False))
    released_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    cancelled_by: str | None = Field(default=None, max_length=120)
    cancelled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    # PoC ids selected at release that had no usable channel: listed for staff
    unreachable: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class ChairBody(SQLModel, table=True):
    """One language's version: a subject line and Markdown text."""

    __tablename__ = "chair_message_body"

    message_id: int = Field(foreign_key="chair_message.id", primary_key=True)
    language: str = Field(primary_key=True, max_length=5)
    subject: str = Field(default="", max_length=SUBJECT_MAX)
    markdown: str = Field(default="", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))

    @property
    def complete(self) -> bool:
        return bool(self.subject.strip() and self.markdown.strip())


def snapshot(message: ChairMessage) -> dict[str, Any]:
    """The audit log's picture of a message's state (the text is audited per body)."""
    return {
        "state": message.state, "revision": message.revision,
        "approved_by": message.approved_by,
        "send_at": message.send_at.isoformat() if message.send_at else None,
        "audience": dict(message.audience),
    }


def get(*, session: Session, message_id: int) -> ChairMessage:
    message = session.get(ChairMessage, message_id)
    if message is None:
        raise MessageNotFound(message_id)
    return message


def bodies(*, session: Session, message_id: int) -> dict[str, ChairBody]:
    """language -> body, in the UN's order of languages."""
    rows = {body.language: body for body in session.exec(
        select(ChairBody).where(ChairBody.message_id == message_id))}
    return {language: rows[language] for language in CHAIR_LANGUAGES if language in rows}


def complete_languages(*, session: Session, message_id: int) -> list[str]:
    """Languages with both a subject and a text: the only ones PoCs may receive."""
    return [language for language, body in bodies(session=session,
                                                  message_id=message_id).items()
            if body.complete]


def listing(*, session: Session, states: Collection[str] | None = None) -> list[ChairMessage]:
    """Messages, newest first."""
    query = select(ChairMessage).order_by(col(ChairMessage.id).desc())
    if states is not None:
        query = query.where(col(ChairMessage.state).in_(list(states)))
    return list(session.exec(query))


def create_draft(*, session: Session, actor: str, now: datetime, send_at: datetime | None,
                 audience: AudienceFilter | None = None) -> ChairMessage:
    """A new, empty draft. `send_at` None means "as soon as it is approved"; the usual
    value is scheduler.quarters.default_send_at(now)."""
    message = ChairMessage(drafted_by=actor, drafted_at=now, updated_by=actor, updated_at=now,
                           send_at=send_at, audience=(audience or AudienceFilter()).to_json())
    session.add(message)
    session.flush()
    assert message.id is not None
    audit.record(session=session, actor=actor, action="create", entity=ENTITY,
                 entity_id=message.id, before=None, after=snapshot(message), now=now)
    return message


def _edit(session: Session, message_id: int, actor: str, now: datetime
          ) -> tuple[ChairMessage, dict[str, Any]]:
    """The message, made ready for an edit: a draft again, one revision further."""
    message = get(session=session, message_id=message_id)
    if message.state not in EDITABLE:
        raise NotEditable(message_id, state=message.state)
    before = snapshot(message)
    message.state = ChairState.DRAFT
    message.approved_by = None
    message.approved_at = None
    message.revision += 1
    message.updated_by = actor
    message.updated_at = now
    session.add(message)
    return message, before


def _check_language(message_id: int, language: str) -> str:
    if language not in CHAIR_LANGUAGES:
        raise InvalidLanguage(message_id, language=language)
    return language


def set_body(*, session: Session, message_id: int, language: str, actor: str, now: datetime,
             markdown: str | None = None, subject: str | None = None) -> ChairMessage:
    """Set the text and/or the subject line of one language (None leaves it as it is)."""
    _check_language(message_id, language)
    if markdown is None and subject is None:
        return get(session=session, message_id=message_id)
    if subject is not None:
        subject = " ".join(subject.split())  # one line, as mail headers need
        if len(subject) > SUBJECT_MAX:
            raise SubjectTooLong(message_id, limit=str(SUBJECT_MAX))
    message, before = _edit(session, message_id, actor, now)
    body = session.get(ChairBody, (message_id, language))
    old = None if body is None else {"subject": body.subject, "markdown": body.markdown}
    if body is None:
        body = ChairBody(message_id=message_id, language=language, updated_at=now)
    if subject is not None:
        body.subject = subject
    if markdown is not None:
        body.markdown = markdown.strip("\n")
    body.updated_at = now
    session.add(body)
    audit.record(session=session, actor=actor, action="set_body", entity=ENTITY,
                 entity_id=message_id, before={**before, "language": language, "body": old},
                 after={**snapshot(message), "language": language,
                        "body": {"subject": body.subject, "markdown": body.markdown}}, now=now)
    session.flush()
    return message


def remove_body(*, session: Session, message_id: int, language: str, actor: str,
                now: datetime) -> ChairMessage:
    """Drop one language's version (its PoCs will then get English)."""
    _check_language(message_id, language)
    body = session.get(ChairBody, (message_id, language))
    if body is None:
        return get(session=session, message_id=message_id)
    message, before = _edit(session, message_id, actor, now)
    old = {"subject": body.subject, "markdown": body.markdown}
    session.delete(body)
    audit.record(session=session, actor=actor, action="remove_body", entity=ENTITY,
                 entity_id=message_id, before={**before, "language": language, "body": old},
                 after={**snapshot(message), "language": language, "body": None}, now=now)
    session.flush()
    return message


def set_audience(*, session: Session, message_id: int, audience: AudienceFilter, actor: str,
                 now: datetime) -> ChairMessage:
    """Who receives it (build `audience` with chair_audience.validated)."""
    message, before = _edit(session, message_id, actor, now)
    message.audience = audience.to_json()
    audit.record(session=session, actor=actor, action="set_audience", entity=ENTITY,
                 entity_id=message_id, before=before, after=snapshot(message), now=now)
    session.flush()
    return message


def set_send_at(*, session: Session, message_id: int, send_at: datetime | None, actor: str,
                now: datetime) -> ChairMessage:
    """When it goes out (aware datetime), or None for "right after approval"."""
    if send_at is not None and send_at.tzinfo is None:
        raise ValueError("send_at must be timezone-aware")
    message, before = _edit(session, message_id, actor, now)
    message.send_at = send_at
    audit.record(session=session, actor=actor, action="set_send_at", entity=ENTITY,
                 entity_id=message_id, before=before, after=snapshot(message), now=now)
    session.flush()
    return message


def authors(*, session: Session, message_id: int) -> set[str]:
    """Everyone who wrote or changed any part of the message, from the audit log."""
    return {entry.actor for entry in audit.entries(session=session, entity=ENTITY,
                                                    entity_id=str(message_id))
            if entry.action in AUTHORING_ACTIONS}


def approve(*, session: Session, message_id: int, actor: str, now: datetime,
            revision: int | None = None) -> ChairMessage:
    """Four eyes: a person who did not write it approves it, as it is (at `revision`,
    when given: the one the approver previewed)."""
    message = get(session=session, message_id=message_id)
    if message.state != ChairState.DRAFT:
        raise NotApprovable(message_id, state=message.state)
    if revision is not None and revision != message.revision:
        raise StaleRevision(message_id, seen=str(revision), current=str(message.revision))
    if actor in authors(session=session, message_id=message_id):
        raise SelfApproval(message_id)
    texts = bodies(session=session, message_id=message_id)
    english = texts.get(FALLBACK_LANGUAGE)
    if english is None or not english.complete:
        raise MissingEnglish(message_id)
    for language, body in texts.items():
        if not body.complete and (body.subject.strip() or body.markdown.strip()):
            raise IncompleteBody(message_id, language=language)
    recipients = plan(session=session, audience=AudienceFilter.from_json(message.audience),
                      body_languages=complete_languages(session=session, message_id=message_id))
    if not recipients.reachable:
        raise EmptyAudience(message_id)
    before = snapshot(message)
    message.state = ChairState.APPROVED
    message.approved_by = actor
    message.approved_at = now
    session.add(message)
    audit.record(session=session, actor=actor, action="approve", entity=ENTITY,
                 entity_id=message_id, before=before, after=snapshot(message), now=now)
    session.flush()
    return message


def outbox_keys(message_id: int) -> list[str]:
    """The outbox dedupe keys of a message's per-language outbox messages."""
    return [f"chair:{message_id}:{language}" for language in CHAIR_LANGUAGES]


def outbox_message_ids(*, session: Session, message_id: int) -> dict[int, str]:
    """outbox message id -> body language, for a released message."""
    query = select(OutboxMessage.id, OutboxMessage.dedupe_key).where(
        col(OutboxMessage.dedupe_key).in_(outbox_keys(message_id)))
    return {outbox_id: str(key).rsplit(":", 1)[1] for outbox_id, key in session.exec(query)
            if outbox_id is not None}


# A delivery in one of these states, or with an attempt, has (or may have) left.
_LEFT = (DeliveryState.SENDING, DeliveryState.SENT, DeliveryState.UNCERTAIN,
         DeliveryState.RETRY)


def _first_delivery_left(session: Session, outbox_ids: Collection[int]) -> bool:
    query = select(Delivery.id).where(
        col(Delivery.message_id).in_(list(outbox_ids)),
        (col(Delivery.state).in_(_LEFT)) | (col(Delivery.attempts) > 0),
    ).limit(1)
    return session.exec(query).first() is not None


@dataclass(frozen=True)
class Cancelled:
    message: ChairMessage
    withdrawn_deliveries: int  # deliveries already queued that will now never leave


def cancel(*, session: Session, message_id: int, actor: str, now: datetime) -> Cancelled:
    """Stop the message, as long as no delivery has left.

    Released deliveries still waiting (none of which ever left) are withdrawn: deleted, so
    that nobody can resend them by mistake; the audit entry counts them. A dispatcher that
    claimed one finds nothing to start. If a delivery started in the meantime, everything
    is rolled back and CancelRefused raised (the session is rolled back then: callers start a
    fresh unit of work).
    """
    message = get(session=session, message_id=message_id)
    if message.state in (ChairState.SENT, ChairState.CANCELLED):
        raise CancelRefused(message_id, state=message.state)
    outbox_ids = list(outbox_message_ids(session=session, message_id=message_id))
    if outbox_ids and _first_delivery_left(session, outbox_ids):
        raise CancelRefused(message_id, state=message.state)
    withdrawn = 0
    if outbox_ids:
        result = session.exec(
            delete(Delivery)
            .where(col(Delivery.message_id).in_(outbox_ids),
                   col(Delivery.state) == DeliveryState.PENDING, col(Delivery.attempts) == 0)
            .execution_options(synchronize_session=False)
        )
        assert isinstance(result, CursorResult)
        withdrawn = int(result.rowcount)
        if _first_delivery_left(session, outbox_ids):  # a dispatcher was quicker
            session.rollback()
            raise CancelRefused(message_id, state=ChairState.SENDING)
    before = snapshot(message)
    message.state = ChairState.CANCELLED
    message.cancelled_by = actor
    message.cancelled_at = now
    session.add(message)
    audit.record(session=session, actor=actor, action="cancel", entity=ENTITY,
                 entity_id=message_id, before=before,
                 after={**snapshot(message), "withdrawn_deliveries": withdrawn}, now=now)
    session.flush()
    return Cancelled(message=message, withdrawn_deliveries=withdrawn)


def history(*, session: Session, message_id: int) -> list[AuditEntry]:
    return audit.entries(session=session, entity=ENTITY, entity_id=str(message_id))
