"""Peer reviews (4.7), action plans in preparation (4.6) and regional 1540 coordinators (6)
over a period; the counting rules are written beside their keys in docs/report-json.md.

A peer review is recorded by years: it belongs to a period when the years it ran meet the
period's years (a review of 2014-2017 is in a period from 26 April 2016). A draft is "in
preparation" on the period's last day when it began by then and was not closed by then. A
coordinator is an active PoC of an organisation with a region: the registry keeps who is a PoC
now, not since when, so this figure is as recorded today (as the other PoC figures).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from storage.action_plans.model import ActionPlanDraft
from storage.events import Event, EventType
from storage.figures.period import Period
from storage.parties import Party, PartyKind
from storage.peer_reviews.model import PeerReview, PeerReviewState
from storage.pocs import PocRegion, PocStatus, PointOfContact


@dataclass(frozen=True)
class ReviewLine:
    """One review of the period: its States (codes and names, in the order recorded)."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    from_year: int
    to_year: int

    @property
    def label(self) -> str:
        years = (str(self.from_year) if self.from_year == self.to_year
                 else f"{self.from_year}-{self.to_year}")
        return f"{'-'.join(self.codes)} {years}"


@dataclass(frozen=True)
class PeerReviewFigures:
    reviews: int  # whose years meet the period's
    states: int  # distinct States taking part in them
    by_year: Mapping[int, int]  # reviews under way each year (a review counts in each year)
    states_by_year: Mapping[int, int]  # distinct States in that year's reviews
    conducted: tuple[ReviewLine, ...]  # the reviews, by first year
    meetings: int  # live events of type peer_review whose start_date is in the period


@dataclass(frozen=True)
class DraftLine:
    code: str
    name: str
    supported_by: str  # "committee" or a party's code


@dataclass(frozen=True)
class PreparationFigures:
    in_preparation: tuple[DraftLine, ...]  # open on the period's last day, by State code

    @property
    def count(self) -> int:
        return len(self.in_preparation)

    @property
    def by_supporter(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for line in self.in_preparation:
            counts[line.supported_by] = counts.get(line.supported_by, 0) + 1
        return dict(sorted(counts.items()))


@dataclass(frozen=True)
class CoordinatorFigures:
    by_organisation: Mapping[str, tuple[str, ...]]  # acronym -> regions, both sorted

    @property
    def count(self) -> int:
        return sum(len(regions) for regions in self.by_organisation.values())

    @property
    def organisations(self) -> int:
        return len(self.by_organisation)


def peer_review_figures(*, session: Session, period: Period) -> PeerReviewFigures:
    first, last = period.start.year, period.end.year
    reviews = list(session.exec(
        select(PeerReview).where(col(PeerReview.from_year) <= last,
                                 col(PeerReview.to_year) >= first)
        .order_by(col(PeerReview.from_year), col(PeerReview.to_year), col(PeerReview.id))))
    ids = [review.id for review in reviews]
    members: dict[int, list[Party]] = {}
    for review_id, party in session.exec(
            select(PeerReviewState.review_id, Party)
            .join(Party, col(Party.id) == col(PeerReviewState.party_id))
            .where(col(PeerReviewState.review_id).in_(ids))
            .order_by(col(PeerReviewState.review_id), col(PeerReviewState.position))):
        members.setdefault(review_id, []).append(party)
    per_year: dict[int, int] = {}
    states_per_year: dict[int, set[str]] = {}
    for review in reviews:
        for year in range(max(review.from_year, first), min(review.to_year, last) + 1):
            per_year[year] = per_year.get(year, 0) + 1
            states_per_year.setdefault(year, set()).update(
                party.code for party in members.get(review.id or 0, []))
    years = list(range(min(per_year), max(per_year) + 1)) if per_year else []
    meetings = session.exec(select(func.count()).select_from(Event).where(
        col(Event.deleted_at).is_(None), Event.type == EventType.PEER_REVIEW,
        col(Event.start_date) >= period.start, col(Event.start_date) <= period.end)).one()
    return PeerReviewFigures(
        reviews=len(reviews),
        states=len({party.code for found in members.values() for party in found}),
        by_year={year: per_year.get(year, 0) for year in years},
        states_by_year={year: len(states_per_year.get(year, ())) for year in years},
        conducted=tuple(ReviewLine(tuple(p.code for p in members.get(r.id or 0, [])),
                                   tuple(p.name for p in members.get(r.id or 0, [])),
                                   r.from_year, r.to_year) for r in reviews),
        meetings=meetings,
    )


def preparation_figures(*, session: Session, period: Period) -> PreparationFigures:
    day = period.end
    rows = session.exec(
        select(Party.code, Party.name, ActionPlanDraft.supported_by)
        .join(Party, col(Party.id) == col(ActionPlanDraft.party_id))
        .where(col(ActionPlanDraft.opened_on) <= day,
               or_(col(ActionPlanDraft.closed_on).is_(None), col(ActionPlanDraft.closed_on) > day))
        .order_by(col(Party.code)))
    return PreparationFigures(tuple(DraftLine(code, name, by) for code, name, by in rows))


def coordinator_figures(*, session: Session) -> CoordinatorFigures:
    rows = session.exec(
        select(Party.code, PocRegion.region)
        .join(PointOfContact, col(PointOfContact.id) == col(PocRegion.poc_id))
        .join(Party, col(Party.id) == col(PointOfContact.party_id))
        .where(Party.kind == PartyKind.ORGANISATION, PointOfContact.status == PocStatus.ACTIVE)
        .order_by(col(Party.code), col(PocRegion.region)))
    found: dict[str, list[str]] = {}
    for code, region in rows:
        found.setdefault(code, []).append(region)
    return CoordinatorFigures({code: tuple(regions) for code, regions in found.items()})
