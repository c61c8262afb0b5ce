"""Matrix versions: recorded, approved, published, read back; every write audited.

A refused change raises MatrixError, whose `code` names the words (templates/cli) and whose
`params` fill them: nothing is written then. `approve` is the step a State takes on its
draft: staff record it today (`outreach import matrices`); a State's PoC may take it
through the bot later, with the same function and the PoC as `actor`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, delete, select

from storage import audit
from storage.matrices.model import (
    FIRST_TEMPLATE,
    MAX_MEASURES,
    MatrixCategory,
    MatrixCell,
    MatrixSection,
    MatrixVersion,
)
from storage.parties import Party, PartyKind
from storage.problems import RefusedChange
from storage.submissions import RESOLUTION_ADOPTED

ENTITY = "matrix_version"
# every cell a version has: section x weapon category, in the paper's order
CELLS: tuple[tuple[str, str], ...] = tuple(
    (section.value, category.value) for section in MatrixSection for category in MatrixCategory)


class MatrixError(RefusedChange):
    """A refused change; `code` names a message of templates/cli/<lang>/messages.j2."""


@dataclass(frozen=True)
class Cell:
    section: str
    category: str
    recorded: int
    possible: int


@dataclass(frozen=True)
class VersionFields:
    """What a person gives for a version; checked by `check_fields`."""

    template: int
    sent_on: date
    approved_on: date | None
    published_on: date | None
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class VersionView:
    version: MatrixVersion
    party: Party
    cells: tuple[MatrixCell, ...]


def date_problem(fields: VersionFields) -> tuple[str, dict[str, str]] | None:
    """The first way the dates are out of order, as (code, params), or None."""
    sent, approved, published = fields.sent_on, fields.approved_on, fields.published_on
    if approved is not None and approved < sent:
        return "matrix_approved_before_sent", {"approved_on": approved.isoformat(),
                                               "sent_on": sent.isoformat()}
    if published is not None and approved is None:
        return "matrix_published_unapproved", {"published_on": published.isoformat()}
    if published is not None and approved is not None and published < approved:
        return "matrix_published_before_approved", {"published_on": published.isoformat(),
                                                    "approved_on": approved.isoformat()}
    return None


def check_fields(fields: VersionFields, today: date) -> None:
    """Refuse a version no expert could have drawn: every rule, before anything is written."""
    if fields.template < FIRST_TEMPLATE:
        raise MatrixError("matrix_bad_template", value=str(fields.template))
    for what, day in (("sent_on", fields.sent_on), ("approved_on", fields.approved_on),
                      ("published_on", fields.published_on)):
        if day is not None and not RESOLUTION_ADOPTED <= day <= today:
            raise MatrixError("matrix_bad_day", column=what, value=day.isoformat())
    found = date_problem(fields)
    if found is not None:
        raise MatrixError(found[0], **found[1])
    if sorted((c.section, c.category) for c in fields.cells) != sorted(CELLS):
        raise MatrixError("matrix_cells_incomplete")
    for cell in fields.cells:
        if not 0 <= cell.recorded <= cell.possible <= MAX_MEASURES:
            raise MatrixError("matrix_bad_counts", section=cell.section,
                              category=cell.category, recorded=str(cell.recorded),
                              possible=str(cell.possible))


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def snapshot(version: MatrixVersion, cells: Sequence[MatrixCell]) -> dict[str, Any]:
    return {
        "party_id": version.party_id, "version": version.version,
        "template": version.template, "sent_on": _day(version.sent_on),
        "approved_on": _day(version.approved_on), "published_on": _day(version.published_on),
        "cells": [[c.section, c.category, c.recorded, c.possible] for c in cells],
    }


def cells_of(*, session: Session, version_id: int) -> list[MatrixCell]:
    query = select(MatrixCell).where(MatrixCell.version_id == version_id)
    found = {(c.section, c.category): c for c in session.exec(query)}
    return [found[key] for key in CELLS if key in found]


def _audit(session: Session, version: MatrixVersion, action: str,
           before: dict[str, Any] | None, actor: str, now: datetime) -> None:
    assert version.id is not None
    after = snapshot(version, cells_of(session=session, version_id=version.id))
    audit.record(session=session, actor=actor, action=action, entity=ENTITY,
                 entity_id=version.id, before=before, after=after, now=now)


def find(*, session: Session, party_id: int, version: int) -> MatrixVersion | None:
    return session.exec(select(MatrixVersion).where(
        MatrixVersion.party_id == party_id, MatrixVersion.version == version)).first()


def _same(version: MatrixVersion, cells: Sequence[MatrixCell], fields: VersionFields) -> bool:
    stored = {(c.section, c.category): (c.recorded, c.possible) for c in cells}
    given = {(c.section, c.category): (c.recorded, c.possible) for c in fields.cells}
    return (version.template, version.sent_on, version.approved_on, version.published_on,
            stored) == (fields.template, fields.sent_on, fields.approved_on,
                        fields.published_on, given)


def save(*, session: Session, party: Party, number: int, fields: VersionFields, actor: str,
         now: datetime) -> tuple[MatrixVersion, bool]:
    """Version `number` of the State's matrix as given: created, or replaced when it differs
    (audited either way); (the version, whether anything was written)."""
    if party.kind != PartyKind.STATE or party.id is None:
        raise MatrixError("matrix_not_a_state", value=party.code)
    if number < 1:
        raise MatrixError("matrix_bad_version", value=str(number))
    check_fields(fields, now.date())
    version = find(session=session, party_id=party.id, version=number)
    before = None
    if version is not None:
        assert version.id is not None
        stored = cells_of(session=session, version_id=version.id)
        if _same(version, stored, fields):
            return version, False
        before = snapshot(version, stored)
    else:
        version = MatrixVersion(party_id=party.id, version=number, sent_on=fields.sent_on,
                                created_at=now)
    version.template, version.sent_on = fields.template, fields.sent_on
    version.approved_on, version.published_on = fields.approved_on, fields.published_on
    session.add(version)
    session.flush()
    assert version.id is not None
    if before is not None:
        session.exec(delete(MatrixCell).where(col(MatrixCell.version_id) == version.id))
    cells = [MatrixCell(version_id=version.id, section=cell.section, category=cell.category,
                        recorded=cell.recorded, possible=cell.possible)
             for cell in fields.cells]
    session.add_all(cells)
    session.flush()
    order = {key: index for index, key in enumerate(CELLS)}
    cells.sort(key=lambda c: order[(c.section, c.category)])
    audit.record(session=session, actor=actor, action="create" if before is None else "update",
                 entity=ENTITY, entity_id=version.id, before=before,
                 after=snapshot(version, cells), now=now)
    return version, True


def approve(*, session: Session, version: MatrixVersion, approved_on: date, actor: str,
            now: datetime) -> bool:
    """The State approved this draft on `approved_on`; False when already approved that
    day. Refused before the draft was sent, in the future, or when approved another day."""
    assert version.id is not None
    if version.approved_on == approved_on:
        return False
    if version.approved_on is not None:
        raise MatrixError("matrix_already_approved", version=str(version.version),
                          approved_on=version.approved_on.isoformat())
    if approved_on > now.date():
        raise MatrixError("matrix_bad_day", column="approved_on", value=approved_on.isoformat())
    if approved_on < version.sent_on:
        raise MatrixError("matrix_approved_before_sent", approved_on=approved_on.isoformat(),
                          sent_on=version.sent_on.isoformat())
    before = snapshot(version, cells_of(session=session, version_id=version.id))
    version.approved_on = approved_on
    session.add(version)
    session.flush()
    _audit(session, version, "approve", before, actor, now)
    return True


def _views(session: Session, versions: Sequence[tuple[MatrixVersion, Party]]
           ) -> list[VersionView]:
    ids = [v.id for v, _ in versions]
    by_version: dict[int, list[MatrixCell]] = {}
    if ids:
        for cell in session.exec(select(MatrixCell).where(col(MatrixCell.version_id).in_(ids))):
            by_version.setdefault(cell.version_id, []).append(cell)
    order = {key: index for index, key in enumerate(CELLS)}
    return [VersionView(v, p, tuple(sorted(by_version.get(v.id or 0, []),
                                           key=lambda c: order[(c.section, c.category)])))
            for v, p in versions]


def listing(*, session: Session, party_id: int | None = None) -> list[VersionView]:
    """Every version (of one State), by State code and version number."""
    query = (select(MatrixVersion, Party).join(Party, col(Party.id) == MatrixVersion.party_id)
             .order_by(col(Party.code), col(MatrixVersion.version)))
    if party_id is not None:
        query = query.where(MatrixVersion.party_id == party_id)
    return _views(session, list(session.exec(query).all()))


def latest(*, session: Session, party_id: int, approved_by: date | None = None
           ) -> VersionView | None:
    """The State's newest version; with `approved_by`, its latest approved on or before that
    day (the one the figures count), the later approval first, then the higher number."""
    query = (select(MatrixVersion, Party).join(Party, col(Party.id) == MatrixVersion.party_id)
             .where(MatrixVersion.party_id == party_id))
    if approved_by is None:
        query = query.order_by(col(MatrixVersion.version).desc())
    else:
        query = query.where(col(MatrixVersion.approved_on) <= approved_by).order_by(
            col(MatrixVersion.approved_on).desc(), col(MatrixVersion.version).desc())
    found = session.exec(query.limit(1)).first()
    return None if found is None else _views(session, [found])[0]
