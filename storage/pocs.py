"""Points of Contact: the people who speak for a State or an organisation.

Deactivating is not deleting: a PoC's row stays, with its history in the audit log.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, Session, SQLModel, col, func, select

from storage import audit
from storage.columns import UTCDateTime
from storage.parties import Party


class PocRole(StrEnum):
    NATIONAL = "national"
    ASSISTANCE = "assistance"
    COORDINATOR = "coordinator"
    MISSION = "mission"  # a Permanent Mission's address, written to when reminders escalate


REGION_MAX = 120


class PocStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class PointOfContact(SQLModel, table=True):
    __tablename__ = "poc"

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", index=True)
    role: str = Field(max_length=20)
    full_name: str = Field(max_length=200)
    title: str = Field(default="", max_length=200)
    agency: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=40)
    telegram_handle: str | None = Field(default=None, max_length=40)
    telegram_chat_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    language: str = Field(foreign_key="language.code", max_length=5)
    timezone: str = Field(max_length=64)
    status: str = Field(default=PocStatus.ACTIVE, max_length=10, index=True)
    notified_on: date | None = None
    verified_on: date | None = None
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # Set by the PoC (one-click unsubscribe) or by Telegram (bot blocked, chat gone).
    email_opted_out_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    telegram_unreachable_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime())
    )


class PocEmail(SQLModel, table=True):
    """A PoC's addresses in the order given; position 0 is the one we write to first."""

    __tablename__ = "poc_email"

    poc_id: int = Field(foreign_key="poc.id", primary_key=True)
    position: int = Field(primary_key=True)
    address: str = Field(max_length=320, index=True)


class PocRegion(SQLModel, table=True):
    """An organisation's regional 1540 coordinator: the region the PoC covers, as the
    organisation names it ("Africa", "the Caribbean"); no row for every other PoC (seed
    paper, section 6). A table beside `poc`, so that the PoC's own row keeps its shape."""

    __tablename__ = "poc_region"

    poc_id: int = Field(foreign_key="poc.id", primary_key=True)
    region: str = Field(max_length=REGION_MAX)


@dataclass(frozen=True)
class PocFields:
    """Everything a person can set on a PoC, already validated."""

    party_id: int
    role: str
    full_name: str
    emails: tuple[str, ...]
    language: str
    timezone: str
    title: str = ""
    agency: str = ""
    phone: str = ""
    telegram_handle: str | None = None
    telegram_chat_id: int | None = None
    status: str = PocStatus.ACTIVE
    notified_on: date | None = None
    verified_on: date | None = None
    region: str = ""  # a regional coordinator's region (organisations' PoCs only)


@dataclass(frozen=True)
class PocView:
    """A PoC as listed and exported: its row, its party, its addresses and its region."""

    poc: PointOfContact
    party: Party
    emails: tuple[str, ...]
    region: str = ""


_SCALAR_FIELDS = (
    "party_id", "role", "full_name", "title", "agency", "phone", "telegram_handle",
    "telegram_chat_id", "language", "timezone", "status", "notified_on", "verified_on",
)
SCALAR_FIELDS = _SCALAR_FIELDS  # the PoC's own columns a person sets (storage/pocs_bulk.py)


def snapshot(poc: PointOfContact, emails: Sequence[str], region: str = "") -> dict[str, Any]:
    """The audit log's picture of a PoC: JSON-safe, every field a person can change."""
    values: dict[str, Any] = {name: getattr(poc, name) for name in _SCALAR_FIELDS}
    for name in ("notified_on", "verified_on"):
        if values[name] is not None:
            values[name] = values[name].isoformat()
    values["emails"] = list(emails)
    values["region"] = region
    return values


def region_of(*, session: Session, poc_id: int) -> str:
    found = session.get(PocRegion, poc_id)
    return found.region if found is not None else ""


def _write_region(session: Session, poc_id: int, region: str) -> None:
    found = session.get(PocRegion, poc_id)
    if found is not None and not region:
        session.delete(found)
    elif found is not None:
        found.region = region
        session.add(found)
    elif region:
        session.add(PocRegion(poc_id=poc_id, region=region))


def emails_of(*, session: Session, poc_id: int) -> tuple[str, ...]:
    query = select(PocEmail).where(PocEmail.poc_id == poc_id).order_by(col(PocEmail.position))
    return tuple(row.address for row in session.exec(query))


def get(*, session: Session, poc_id: int) -> PointOfContact | None:
    return session.get(PointOfContact, poc_id)


def find_by_first_email(*, session: Session, party_id: int, email: str) -> PointOfContact | None:
    """The upsert key of imports: the same party and the same first address, ignoring case."""
    query = (
        select(PointOfContact)
        .join(PocEmail, col(PocEmail.poc_id) == col(PointOfContact.id))
        .where(PointOfContact.party_id == party_id)
        .where(PocEmail.position == 0)
        .where(PocEmail.address == email.lower())
    )
    return session.exec(query).first()


def _replace_emails(session: Session, poc_id: int, emails: Sequence[str]) -> None:
    for row in session.exec(select(PocEmail).where(PocEmail.poc_id == poc_id)):
        session.delete(row)
    session.flush()
    for position, address in enumerate(emails):
        session.add(PocEmail(poc_id=poc_id, position=position, address=address.lower()))


def create(
    *, session: Session, fields: PocFields, actor: str, now: datetime
) -> PointOfContact:
    moment = now
    values = {name: getattr(fields, name) for name in _SCALAR_FIELDS}
    poc = PointOfContact(**values, created_at=moment, updated_at=moment)
    session.add(poc)
    session.flush()
    assert poc.id is not None
    _replace_emails(session, poc.id, fields.emails)
    if fields.region:  # a new PoC has no region row yet
        session.add(PocRegion(poc_id=poc.id, region=fields.region))
    audit.record(
        session=session, actor=actor, action="create", entity="poc", entity_id=poc.id,
        before=None, after=snapshot(poc, fields.emails, fields.region), now=moment,
    )
    return poc


def update(
    *,
    session: Session,
    poc: PointOfContact,
    fields: PocFields,
    actor: str,
    action: str = "update",
    now: datetime,
) -> bool:
    """Apply `fields`; returns False, writing nothing, when nothing would change."""
    assert poc.id is not None
    old_emails = emails_of(session=session, poc_id=poc.id)
    before = snapshot(poc, old_emails, region_of(session=session, poc_id=poc.id))
    for name in _SCALAR_FIELDS:
        setattr(poc, name, getattr(fields, name))
    after = snapshot(poc, fields.emails, fields.region)
    if before == after:
        session.refresh(poc)  # undo the no-op assignments so nothing is flushed
        return False
    moment = now
    poc.updated_at = moment
    session.add(poc)
    if tuple(old_emails) != tuple(address.lower() for address in fields.emails):
        _replace_emails(session, poc.id, fields.emails)
    _write_region(session, poc.id, fields.region)
    audit.record(
        session=session, actor=actor, action=action, entity="poc", entity_id=poc.id,
        before=before, after=after, now=moment,
    )
    return True


def fields_of(*, session: Session, poc: PointOfContact) -> PocFields:
    """The editable fields of a stored PoC, to change a few and pass to `update`."""
    assert poc.id is not None
    values = {name: getattr(poc, name) for name in _SCALAR_FIELDS}
    return PocFields(**values, emails=emails_of(session=session, poc_id=poc.id),
                     region=region_of(session=session, poc_id=poc.id))


def listing(
    *, session: Session, party_id: int | None = None, include_inactive: bool = False
) -> list[PocView]:
    query = (
        select(PointOfContact, Party)
        .join(Party, col(Party.id) == col(PointOfContact.party_id))
        .order_by(col(Party.code), col(PointOfContact.id))
    )
    if party_id is not None:
        query = query.where(PointOfContact.party_id == party_id)
    if not include_inactive:
        query = query.where(PointOfContact.status == PocStatus.ACTIVE)
    rows = list(session.exec(query))
    # one query for every address of the listed PoCs, whatever their number
    wanted = query.with_only_columns(col(PointOfContact.id)).order_by(None)
    email_query = (
        select(PocEmail)
        .where(col(PocEmail.poc_id).in_(wanted))
        .order_by(col(PocEmail.poc_id), col(PocEmail.position))
    )
    addresses: dict[int, list[str]] = {}
    for email in session.exec(email_query):
        addresses.setdefault(email.poc_id, []).append(email.address)
    regions = dict(session.exec(select(PocRegion.poc_id, PocRegion.region)
                                .where(col(PocRegion.poc_id).in_(wanted))).all())
    return [
        PocView(poc=poc, party=party, emails=tuple(addresses.get(poc.id or 0, [])),
                region=regions.get(poc.id or 0, ""))
        for poc, party in rows
    ]


def active_counts(*, session: Session) -> dict[int, int]:
    """party id -> number of its active PoCs (parties without one are absent)."""
    query = (
        select(PointOfContact.party_id, func.count())
        .where(PointOfContact.status == PocStatus.ACTIVE)
        .group_by(col(PointOfContact.party_id))
    )
    return {party_id: count for party_id, count in session.exec(query)}


def _channel_change(session: Session, poc_id: int, actor: str, now: datetime,
                    action: str, **values: Any) -> bool:
    poc = session.get(PointOfContact, poc_id)
    if poc is None:
        return False
    before = {name: _json_safe(getattr(poc, name)) for name in values}
    if before == {name: _json_safe(value) for name, value in values.items()}:
        return False
    for name, value in values.items():
        setattr(poc, name, value)
    poc.updated_at = now
    session.add(poc)
    audit.record(session=session, actor=actor, action=action, entity="poc", entity_id=poc_id,
                 before=before, after={n: _json_safe(v) for n, v in values.items()}, now=now)
    return True


def _json_safe(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def opt_out_of_email(*, session: Session, poc_id: int, actor: str, now: datetime) -> bool:
    poc = session.get(PointOfContact, poc_id)
    if poc is None or poc.email_opted_out_at is not None:
        return False
    return _channel_change(session, poc_id, actor, now, "email_opt_out", email_opted_out_at=now)


def mark_telegram_unreachable(*, session: Session, poc_id: int, actor: str,
                              now: datetime) -> bool:
    poc = session.get(PointOfContact, poc_id)
    if poc is None or poc.telegram_unreachable_at is not None:
        return False
    return _channel_change(session, poc_id, actor, now, "telegram_unreachable",
                           telegram_unreachable_at=now)


def move_telegram_chat(*, session: Session, poc_id: int, chat_id: int, actor: str,
                       now: datetime) -> bool:
    """Telegram upgraded the PoC's group to a supergroup with a new id: follow it."""
    return _channel_change(session, poc_id, actor, now, "telegram_chat_migrated",
                           telegram_chat_id=chat_id)


def stop_telegram(*, session: Session, poc_id: int, actor: str, now: datetime) -> bool:
    """The PoC typed /stop: no more Telegram messages (e-mail unaffected); False when already
    stopped or unreachable."""
    poc = session.get(PointOfContact, poc_id)
    if poc is None or poc.telegram_unreachable_at is not None:
        return False
    return _channel_change(session, poc_id, actor, now, "telegram_stopped",
                           telegram_unreachable_at=now)
