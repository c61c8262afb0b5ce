"""The Committee's matrices (seed paper, section 4.3), one version after another.

A matrix records, for one Member State, which of the measures the Committee's template makes
possible are recorded, per section of the resolution's operative paragraphs and per weapon
category. A version is a draft sent to the State for review (`sent_on`), approved by the
State (`approved_on`) and published on the Committee's website (`published_on`), in that
order. Its cells hold, per section and weapon category, the recorded and the possible
measures (the figures need no more detail than that); each version has all twelve.

The database enforces what a row alone can break (recorded <= possible, both >= 0, the dates
in order, a section or category of the template); storage/matrices/versions.py the rest.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Final

from sqlalchemy import CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import UTCDateTime


class MatrixSection(StrEnum):
    """The sections the paper reports, in its order."""

    OP1 = "op1"  # refrain from providing support to non-State actors
    OP2 = "op2"  # prohibitions
    OP3_CD = "op3_cd"  # border and export controls
    OP3_AB = "op3_ab"  # account for, secure and physically protect


class MatrixCategory(StrEnum):
    """The weapon categories of the template, in the paper's order."""

    NW = "nw"  # nuclear weapons
    CW = "cw"  # chemical weapons
    BW = "bw"  # biological weapons


# The template the Committee revised in 2017 (the version a matrix was drawn on).
CURRENT_TEMPLATE: Final = 2017
FIRST_TEMPLATE: Final = 2004  # the resolution's year: no template is older
# The most measures one cell may count: far above any template's, low enough to refuse a
# typo (a date pasted into a count).
MAX_MEASURES: Final = 1000


def _one_of(column: str, values: type[StrEnum], name: str) -> CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


class MatrixVersion(SQLModel, table=True):
    __tablename__ = "matrix_version"
    __table_args__ = (
        UniqueConstraint("party_id", "version", name="uq_matrix_version_party_version"),
        CheckConstraint("version >= 1", name="ck_matrix_version_version"),
        CheckConstraint(f"template >= {FIRST_TEMPLATE}", name="ck_matrix_version_template"),
        CheckConstraint("approved_on IS NULL OR approved_on >= sent_on",
                        name="ck_matrix_version_approved_after_sent"),
        CheckConstraint("published_on IS NULL OR (approved_on IS NOT NULL"
                        " AND published_on >= approved_on)",
                        name="ck_matrix_version_published_after_approved"),
    )

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", index=True)  # a Member State
    version: int  # 1, 2, ... per State
    template: int = CURRENT_TEMPLATE  # the year of the template it was drawn on
    sent_on: date  # the draft sent to the State for review
    approved_on: date | None = Field(default=None, index=True)  # approved by the State
    published_on: date | None = None  # on the Committee's website
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class MatrixCell(SQLModel, table=True):
    """One section x weapon category of a version: measures recorded of those possible."""

    __tablename__ = "matrix_cell"
    __table_args__ = (
        _one_of("section", MatrixSection, "ck_matrix_cell_section"),
        _one_of("category", MatrixCategory, "ck_matrix_cell_category"),
        CheckConstraint("recorded >= 0", name="ck_matrix_cell_recorded"),
        CheckConstraint(f"possible >= 0 AND possible <= {MAX_MEASURES}",
                        name="ck_matrix_cell_possible"),
        CheckConstraint("recorded <= possible", name="ck_matrix_cell_recorded_of_possible"),
        UniqueConstraint("version_id", "section", "category", name="uq_matrix_cell"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="matrix_version.id", index=True)
    section: str = Field(max_length=10)
    category: str = Field(max_length=10)
    recorded: int
    possible: int
