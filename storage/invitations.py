"""Invitations: a single-use, expiring Telegram deep link that binds a PoC's chat.

Only the SHA-256 of the token is stored: whoever reads the database cannot redeem it.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, Session, SQLModel

from storage import audit
from storage.columns import UTCDateTime
from storage.pocs import PocStatus, PointOfContact

LIFETIME = timedelta(days=7)
TOKEN_BYTES = 24  # secrets.token_urlsafe(24): 32 characters of [A-Za-z0-9_-]


class PocInvitation(SQLModel, table=True):
    __tablename__ = "poc_invitation"

    token_hash: str = Field(primary_key=True, max_length=64)
    poc_id: int = Field(foreign_key="poc.id", index=True)
    created_by: str = Field(max_length=120)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    used_by_chat_id: int | None = Field(default=None, sa_column=Column(BigInteger))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_invitation(*, session: Session, poc_id: int, actor: str, now: datetime) -> str:
    """A new token for the PoC (valid for LIFETIME, once); the token itself is not stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(PocInvitation(token_hash=token_hash(token), poc_id=poc_id, created_by=actor,
                              created_at=now, expires_at=now + LIFETIME))
    session.flush()
    audit.record(session=session, actor=actor, action="invite", entity="poc", entity_id=poc_id,
                 before=None, after={"expires_at": (now + LIFETIME).isoformat()}, now=now)
    return token


def redeem(*, session: Session, token: str, chat_id: int, now: datetime
           ) -> PointOfContact | None:
    """Bind the chat to the invited PoC; None when the token is unknown, used or expired (or
    the PoC is no longer active)."""
    if not token or len(token) > 64:
        return None
    invitation = session.get(PocInvitation, token_hash(token))
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        return None
    poc = session.get(PointOfContact, invitation.poc_id)
    if poc is None or poc.status != PocStatus.ACTIVE:
        return None
    actor = f"telegram:{chat_id}"
    before = {"telegram_chat_id": poc.telegram_chat_id,
              "telegram_unreachable_at": _iso(poc.telegram_unreachable_at)}
    invitation.used_at = now
    invitation.used_by_chat_id = chat_id
    poc.telegram_chat_id = chat_id
    poc.telegram_unreachable_at = None
    poc.updated_at = now
    session.add(invitation)
    session.add(poc)
    session.flush()
    assert poc.id is not None
    audit.record(session=session, actor=actor, action="invitation_redeemed", entity="poc",
                 entity_id=poc.id, before=before,
                 after={"telegram_chat_id": chat_id, "telegram_unreachable_at": None}, now=now)
    return poc


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def deep_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username.lstrip('@')}?start={token}"
