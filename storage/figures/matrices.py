"""The matrix figures of the seed paper (section 4.3) over a period; the counting rules are
written beside their keys in docs/report-json.md.

On a day D, each State counts with its latest version approved on or before D (the later
approval first, then the higher version number); a version sent but not approved, or
approved after D, does not count. A share is the measures recorded over the measures
possible, summed over those versions (whole percent, `percent` of statistics.py). The change
since a day S is the overall share on D minus the overall share on S, in percentage points:
the paper's "increased globally since 2016 by approximately 6%" read as 6 points. Regional
groups are the electoral groups (Party.electoral_group: the United States counts with WEOG),
as the outreach figures count them.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Subquery, func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from storage.figures.period import Period
from storage.matrices.model import MatrixCategory, MatrixCell, MatrixSection, MatrixVersion
from storage.parties import Party, PartyKind, RegionalGroup


@dataclass(frozen=True)
class Share:
    """Measures recorded of those possible."""

    recorded: int = 0
    possible: int = 0

    def __add__(self, other: "Share") -> "Share":
        return Share(self.recorded + other.recorded, self.possible + other.possible)

    @property
    def percent(self) -> int:
        # statistics.py imports this module for TransparencyFigures: its `percent` is
        # looked up when a share is read, not when the module loads
        from storage.figures.statistics import percent

        return percent(self.recorded, self.possible)


@dataclass(frozen=True)
class MatrixShares:
    """The approved matrices on one day: every State's latest approved version then."""

    on: date
    states: int  # States with an approved matrix on `on`
    overall: Share
    by_section: Mapping[str, Share]  # every MatrixSection, in its order
    by_category: Mapping[str, Share]  # every MatrixCategory, in its order
    by_regional_group: Mapping[str, Share]  # every regional group, by code


@dataclass(frozen=True)
class MatrixFigures:
    period: Period
    now: MatrixShares  # on the period's last day (D)
    then: MatrixShares  # on the day the change is counted from (S)
    approved: int  # versions approved by their State in the period
    published: int  # versions published in the period

    @property
    def change(self) -> int:
        """Percentage points the overall share moved from `then` to `now`."""
        return self.now.overall.percent - self.then.overall.percent

    @property
    def change_by_regional_group(self) -> dict[str, int]:
        then = self.then.by_regional_group
        return {group: share.percent - then.get(group, Share()).percent
                for group, share in self.now.by_regional_group.items()}


def _latest_approved(day: date) -> Subquery:
    """Each State's latest version approved on or before `day`: a subquery of version ids."""
    rank = func.row_number().over(
        partition_by=col(MatrixVersion.party_id),
        order_by=(col(MatrixVersion.approved_on).desc(), col(MatrixVersion.version).desc()))
    ranked = (select(col(MatrixVersion.id).label("version_id"),
                     col(MatrixVersion.party_id).label("party_id"), rank.label("rank"))
              .where(col(MatrixVersion.approved_on) <= day).subquery())
    return select(ranked.c.version_id, ranked.c.party_id).where(ranked.c.rank == 1).subquery()


def matrix_shares(*, session: Session, on: date) -> MatrixShares:
    """One aggregate: recorded and possible by regional group, section and category."""
    latest = _latest_approved(on)
    # more columns than sqlmodel's select types: SQLAlchemy's, through execute
    rows = session.execute(
        select_columns(col(Party.electoral_group), col(MatrixCell.section),
                       col(MatrixCell.category), func.sum(col(MatrixCell.recorded)),
                       func.sum(col(MatrixCell.possible)),
                       func.count(func.distinct(latest.c.party_id)))
        .select_from(MatrixCell)
        .join(latest, latest.c.version_id == col(MatrixCell.version_id))
        .join(Party, col(Party.id) == latest.c.party_id)
        .where(col(Party.kind) == PartyKind.STATE)
        .group_by(col(Party.electoral_group), col(MatrixCell.section),
                  col(MatrixCell.category))).all()
    codes = list(session.exec(select(RegionalGroup.code).order_by(col(RegionalGroup.code))))
    by_section = dict.fromkeys([s.value for s in MatrixSection], Share())
    by_category = dict.fromkeys([c.value for c in MatrixCategory], Share())
    by_group = dict.fromkeys(codes, Share())
    states_by_group: dict[str, int] = {}
    for group, section, category, recorded, possible, states in rows:
        share = Share(int(recorded or 0), int(possible or 0))
        by_section[section] = by_section.get(section, Share()) + share
        by_category[category] = by_category.get(category, Share()) + share
        key = group or ""
        by_group[key] = by_group.get(key, Share()) + share
        # every version has all its cells: any one cell's States are the group's
        states_by_group[key] = max(states_by_group.get(key, 0), int(states))
    overall = sum(by_section.values(), Share())
    return MatrixShares(on=on, states=sum(states_by_group.values()), overall=overall,
                        by_section=by_section, by_category=by_category,
                        by_regional_group=by_group)


def _approved_and_published(session: Session, period: Period) -> tuple[int, int]:
    approved = session.exec(select(func.count()).select_from(MatrixVersion).where(
        col(MatrixVersion.approved_on) >= period.start,
        col(MatrixVersion.approved_on) <= period.end)).one()
    published = session.exec(select(func.count()).select_from(MatrixVersion).where(
        col(MatrixVersion.published_on) >= period.start,
        col(MatrixVersion.published_on) <= period.end)).one()
    return approved, published


def matrix_figures(*, session: Session, period: Period, since: date) -> MatrixFigures:
    """The shares on the period's last day, the change since `since`, and the versions
    approved and published in the period."""
    approved, published = _approved_and_published(session, period)
    return MatrixFigures(period=period, now=matrix_shares(session=session, on=period.end),
                         then=matrix_shares(session=session, on=since),
                         approved=approved, published=published)


@dataclass(frozen=True)
class VersionShares:
    """One version's shares, for a State's own summary (chat, CLI)."""

    overall: Share
    by_section: Mapping[str, Share]
    by_category: Mapping[str, Share]


def version_shares(cells: Iterable[MatrixCell]) -> VersionShares:
    by_section = dict.fromkeys([s.value for s in MatrixSection], Share())
    by_category = dict.fromkeys([c.value for c in MatrixCategory], Share())
    for cell in cells:
        share = Share(cell.recorded, cell.possible)
        by_section[cell.section] = by_section.get(cell.section, Share()) + share
        by_category[cell.category] = by_category.get(cell.category, Share()) + share
    return VersionShares(sum(by_section.values(), Share()), by_section, by_category)
