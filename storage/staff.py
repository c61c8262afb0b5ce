"""Who may do what: the Committee's staff and admins, known by their Telegram user id.

Revoking is not deleting: the row stays with `revoked_at` set, and its history is in the
audit log. The display name is what staff typed to recognise a person; it is personal data,
so it stays in this table and goes neither into the audit log nor into any log line.
"""

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Column
from sqlmodel import Field, Session, SQLModel, col, func, select

from storage import audit
from storage.columns import UTCDateTime
from storage.parties import UN_LANGUAGES

# The actor of the admins that OUTREACH_ADMIN_TELEGRAM_IDS names.
SETTINGS_ACTOR = "system:settings"
DISPLAY_NAME_MAX = 120
MAX_USER_ID = 2**63 - 1  # what the BIGINT column holds; Telegram's user ids are far smaller
# The language the bot speaks to a member in: one of the UN's six (the staff chat is
# translated into the Secretariat's working languages; the others fall back to English).
DEFAULT_LANGUAGE = "en"
LANGUAGE_CHECK = "language IN ({})".format(", ".join(f"'{code}'" for code in UN_LANGUAGES))


class StaffRole(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"


class LastAdminError(ValueError):
    """The change would leave nobody able to grant roles."""


class StaffMember(SQLModel, table=True):
    __tablename__ = "staff_member"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'staff')", name="ck_staff_member_role"),
        CheckConstraint(LANGUAGE_CHECK, name="ck_staff_member_language"),
    )

    telegram_user_id: int = Field(
        sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    role: str = Field(max_length=10)
    display_name: str = Field(default="", max_length=DISPLAY_NAME_MAX)
    granted_by: str = Field(max_length=120)
    granted_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    revoked_by: str | None = Field(default=None, max_length=120)
    language: str = Field(default=DEFAULT_LANGUAGE, max_length=5,
                          sa_column_kwargs={"server_default": DEFAULT_LANGUAGE})

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def is_user_id(value: int) -> bool:
    """Telegram user ids are positive (negative chat ids are groups and channels)."""
    return 0 < value <= MAX_USER_ID


def _snapshot(member: StaffMember | None) -> dict[str, Any] | None:
    """The audit log's picture of a member: the role and whether it is in force, no name."""
    if member is None:
        return None
    return {"role": member.role, "active": member.active}


def role_of(*, session: Session, telegram_user_id: int) -> StaffRole | None:
    """The member's role in force; None for someone unknown or revoked."""
    member = session.get(StaffMember, telegram_user_id)
    if member is None or not member.active:
        return None
    return StaffRole(member.role)


def language_of(*, session: Session, telegram_user_id: int) -> str | None:
    """The chat language of a member in force; None for someone unknown or revoked."""
    member = session.get(StaffMember, telegram_user_id)
    if member is None or not member.active:
        return None
    return member.language


def set_language(*, session: Session, telegram_user_id: int, language: str, actor: str,
                 now: datetime) -> bool:
    """Set a member's chat language; False, writing nothing, when it is already that one.
    A code that is not a UN language raises ValueError; so does a member not in force
    (LookupError)."""
    if language not in UN_LANGUAGES:
        raise ValueError(language)
    member = session.get(StaffMember, telegram_user_id)
    if member is None or not member.active:
        raise LookupError(telegram_user_id)
    if member.language == language:
        return False
    before = {"language": member.language}
    member.language = language
    session.add(member)
    session.flush()
    audit.record(session=session, actor=actor, action="language_changed",
                 entity="staff_member", entity_id=telegram_user_id, before=before,
                 after={"language": language}, now=now)
    return True


def active_admin_count(*, session: Session) -> int:
    query = (select(func.count()).select_from(StaffMember)
             .where(StaffMember.role == StaffRole.ADMIN)
             .where(col(StaffMember.revoked_at).is_(None)))
    return session.exec(query).one()


def _refuse_losing_the_last_admin(session: Session, member: StaffMember) -> None:
    if member.active and member.role == StaffRole.ADMIN and (
            active_admin_count(session=session) <= 1):
        raise LastAdminError(member.telegram_user_id)


def grant(
    *,
    session: Session,
    telegram_user_id: int,
    role: StaffRole,
    actor: str,
    now: datetime,
    display_name: str = "",
) -> bool:
    """Give `role`, reactivating a revoked member; False, writing nothing, when nothing changes.

    An empty `display_name` keeps the one stored. Demoting the last active admin to staff
    raises LastAdminError.
    """
    role = StaffRole(role)
    member = session.get(StaffMember, telegram_user_id)
    if member is None:
        member = StaffMember(telegram_user_id=telegram_user_id, role=role,
                             display_name=display_name, granted_by=actor, granted_at=now)
        session.add(member)
        session.flush()
        audit.record(session=session, actor=actor, action="grant", entity="staff_member",
                     entity_id=telegram_user_id, before=None, after=_snapshot(member), now=now)
        return True
    renamed = bool(display_name) and display_name != member.display_name
    if member.active and member.role == role and not renamed:
        return False
    if role != StaffRole.ADMIN:
        _refuse_losing_the_last_admin(session, member)
    before = _snapshot(member)
    if renamed:
        member.display_name = display_name
    if not member.active or member.role != role:
        member.role = role
        member.granted_by = actor
        member.granted_at = now
        member.revoked_at = None
        member.revoked_by = None
    after = _snapshot(member)
    session.add(member)
    session.flush()
    audit.record(session=session, actor=actor, action="grant" if after != before else "rename",
                 entity="staff_member", entity_id=telegram_user_id, before=before, after=after,
                 now=now)
    return True


def revoke(*, session: Session, telegram_user_id: int, actor: str, now: datetime) -> bool:
    """Take the role away; False when there is none in force. The last admin raises
    LastAdminError."""
    member = session.get(StaffMember, telegram_user_id)
    if member is None or not member.active:
        return False
    _refuse_losing_the_last_admin(session, member)
    before = _snapshot(member)
    member.revoked_at = now
    member.revoked_by = actor
    session.add(member)
    session.flush()
    audit.record(session=session, actor=actor, action="revoke", entity="staff_member",
                 entity_id=telegram_user_id, before=before, after=_snapshot(member), now=now)
    return True


def members(*, session: Session, include_revoked: bool = False) -> list[StaffMember]:
    query = select(StaffMember).order_by(col(StaffMember.telegram_user_id))
    if not include_revoked:
        query = query.where(col(StaffMember.revoked_at).is_(None))
    return list(session.exec(query))


def bootstrap_admins(*, session: Session, ids: Sequence[int], now: datetime) -> int:
    """Make admin everyone the settings name who is not one yet; never revokes anyone.

    Returns how many were granted (0 when run again).
    """
    granted = 0
    for telegram_user_id in dict.fromkeys(ids):
        if role_of(session=session, telegram_user_id=telegram_user_id) is StaffRole.ADMIN:
            continue
        if grant(session=session, telegram_user_id=telegram_user_id, role=StaffRole.ADMIN,
                 actor=SETTINGS_ACTOR, now=now):
            granted += 1
    return granted
