"""Helpers of the matrix specs: a version written as staff's import would write it."""

from datetime import date

from sqlmodel import Session, select

from storage.matrices import versions
from storage.matrices.model import MatrixVersion
from storage.matrices.versions import CELLS, Cell, VersionFields
from storage.parties import Party
from tests.support.outbox import NOW


def party(session: Session, code: str) -> Party:
    return session.exec(select(Party).where(Party.code == code)).one()


def cells(recorded: int, possible: int = 10) -> tuple[Cell, ...]:
    """Every section and category with the same counts."""
    return tuple(Cell(section, category, recorded, possible) for section, category in CELLS)


def version(session: Session, state: str, number: int, sent: date,
            approved: date | None = None, published: date | None = None,
            recorded: int = 5, possible: int = 10,
            given: tuple[Cell, ...] | None = None) -> MatrixVersion:
    fields = VersionFields(2017, sent, approved, published,
                           given if given is not None else cells(recorded, possible))
    saved, _ = versions.save(session=session, party=party(session, state), number=number,
                             fields=fields, actor="ana", now=NOW)
    return saved
