"""Points of Contact read and written a chunk at a time, for imports.

A query per chunk of rows, not per row: the PoCs a chunk names are found with three
SELECTs (the PoCs by their first address, all their addresses, their regions) and written
a table at a time (storage/bulk_rows.py: new PoCs with their ids, addresses, regions,
audit entries; changed PoCs with one executemany UPDATE). What is written is what
`storage.pocs.create` and `storage.pocs.update` write for each PoC in turn, audit entries
included, in the chunk's order (tests/storage/test_pocs_bulk.py holds the two side by side).

Core statements on the session's connection, not ORM objects: nothing piles up in the
session whatever the file's size. A PoC the session already holds is expired once changed
here, so that it is read again.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, select, update
from sqlmodel import Session

from storage.audit import AuditEntry
from storage.bulk_rows import insert_rows, insert_with_ids
from storage.pocs import (
    SCALAR_FIELDS,
    PocEmail,
    PocFields,
    PocRegion,
    PointOfContact,
    snapshot,
)

_POC: Table = PointOfContact.__table__  # type: ignore[attr-defined]
_EMAIL: Table = PocEmail.__table__  # type: ignore[attr-defined]
_REGION: Table = PocRegion.__table__  # type: ignore[attr-defined]
_AUDIT: Table = AuditEntry.__table__  # type: ignore[attr-defined]


Key = tuple[int, str]  # (party id, first address lower-cased): the upsert key of imports


@dataclass(frozen=True)
class StoredPoc:
    poc_id: int
    fields: PocFields


@dataclass(frozen=True)
class Change:
    """A PoC to update: as stored, and as it is to become."""

    stored: StoredPoc
    fields: PocFields


def fields_snapshot(fields: PocFields) -> dict[str, Any]:
    """The audit log's picture of a PoC with these fields (storage.pocs.snapshot's)."""
    return snapshot(fields, fields.emails, fields.region)  # type: ignore[arg-type]


def find_by_first_emails(*, session: Session, keys: Iterable[Key]) -> dict[Key, StoredPoc]:
    """The stored PoC of each key that has one (the oldest, should two share a key)."""
    wanted = set(keys)
    if not wanted:
        return {}
    query = (
        select(_POC.c.id, _EMAIL.c.address, *(_POC.c[name] for name in SCALAR_FIELDS))
        .join(_EMAIL, _EMAIL.c.poc_id == _POC.c.id)
        .where(_EMAIL.c.position == 0)
        .where(_EMAIL.c.address.in_(sorted({address for _, address in wanted})))
        .order_by(_POC.c.id)
    )
    connection = session.connection()
    rows: dict[Key, Any] = {}
    for row in connection.execute(query):
        key = (row[2], row[1])  # (party id, address)
        if key in wanted and key not in rows:  # the address may be another party's PoC's
            rows[key] = row
    if not rows:
        return {}
    ids = [row[0] for row in rows.values()]
    emails: dict[int, list[str]] = {}
    for poc_id, address in connection.execute(
        select(_EMAIL.c.poc_id, _EMAIL.c.address).where(_EMAIL.c.poc_id.in_(ids))
        .order_by(_EMAIL.c.poc_id, _EMAIL.c.position)
    ):
        emails.setdefault(poc_id, []).append(address)
    regions = dict(connection.execute(
        select(_REGION.c.poc_id, _REGION.c.region).where(_REGION.c.poc_id.in_(ids))).all())
    return {
        key: StoredPoc(row[0], PocFields(
            **dict(zip(SCALAR_FIELDS, row[2:], strict=True)),
            emails=tuple(emails.get(row[0], ())), region=regions.get(row[0], "")))
        for key, row in rows.items()
    }



def create_many(
    *, session: Session, fields: Sequence[PocFields], now: datetime
) -> list[int]:
    """Insert these PoCs with their addresses and regions; their ids, in the same order.
    No audit entries: `record_audit` writes them, in the file's order with the updates."""
    if not fields:
        return []
    connection = session.connection()
    rows = [{**{name: getattr(item, name) for name in SCALAR_FIELDS},
             "created_at": now, "updated_at": now} for item in fields]
    ids = insert_with_ids(connection, _POC, rows)
    _insert_emails_and_regions(session, list(zip(ids, fields, strict=True)))
    return ids


def update_many(*, session: Session, changes: Sequence[Change], now: datetime) -> None:
    """Write each change (its scalar fields, and addresses or region where they differ)."""
    if not changes:
        return
    connection = session.connection()
    connection.execute(
        update(_POC).where(_POC.c.id == bindparam("poc_id_")),
        [{"poc_id_": change.stored.poc_id, "updated_at": now,
          **{name: getattr(change.fields, name) for name in SCALAR_FIELDS}}
         for change in changes])
    new_emails = [(change.stored.poc_id, change.fields) for change in changes
                  if change.stored.fields.emails != change.fields.emails]
    new_regions = [(change.stored.poc_id, change.fields) for change in changes
                   if change.stored.fields.region != change.fields.region]
    if new_emails:
        connection.execute(delete(_EMAIL).where(
            _EMAIL.c.poc_id.in_([poc_id for poc_id, _ in new_emails])))
    if new_regions:
        connection.execute(delete(_REGION).where(
            _REGION.c.poc_id.in_([poc_id for poc_id, _ in new_regions])))
    insert_rows(connection, _EMAIL, _email_rows(new_emails))
    insert_rows(connection, _REGION, _region_rows(new_regions))
    _expire(session, {change.stored.poc_id for change in changes})


def record_audit(
    *, session: Session, entries: Sequence[tuple[int, Change | PocFields]], actor: str,
    action: str, now: datetime,
) -> None:
    """One audit entry per created PoC (`PocFields`, action "create") or changed PoC
    (`Change`, `action`), in the order given, as storage.pocs writes them."""
    rows = []
    for poc_id, entry in entries:
        if isinstance(entry, Change):
            before: dict[str, Any] | None = fields_snapshot(entry.stored.fields)
            after, verb = fields_snapshot(entry.fields), action
        else:
            before, after, verb = None, fields_snapshot(entry), "create"
        rows.append({"at": now, "actor": actor, "action": verb, "entity": "poc",
                     "entity_id": str(poc_id), "before": before, "after": after})
    insert_rows(session.connection(), _AUDIT, rows)


def _insert_emails_and_regions(session: Session, pocs: list[tuple[int, PocFields]]) -> None:
    connection = session.connection()
    insert_rows(connection, _EMAIL, _email_rows(pocs))
    insert_rows(connection, _REGION, _region_rows(pocs))


def _email_rows(pocs: list[tuple[int, PocFields]]) -> list[dict[str, Any]]:
    return [{"poc_id": poc_id, "position": position, "address": address.lower()}
            for poc_id, fields in pocs for position, address in enumerate(fields.emails)]


def _region_rows(pocs: list[tuple[int, PocFields]]) -> list[dict[str, Any]]:
    return [{"poc_id": poc_id, "region": fields.region}
            for poc_id, fields in pocs if fields.region]


def _expire(session: Session, poc_ids: set[int]) -> None:
    """Forget what the session holds of these PoCs: it is no longer what is stored (and
    their address and region rows may be gone)."""
    for instance in list(session.identity_map.values()):
        if isinstance(instance, PointOfContact) and instance.id in poc_ids:
            session.expire(instance)
        elif isinstance(instance, PocEmail | PocRegion) and instance.poc_id in poc_ids:
            session.expunge(instance)
