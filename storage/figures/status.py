"""The reporting figures of the Committee's review (seed paper, sections 4.2, 4.4, 4.6 and 6).

Each figure is one SQL aggregate, so the count is the database's and scales with it. The same
function serves `outreach status` (everything recorded) and the transparency report over a
period (`until`: submissions dated after it are not counted, as if it were that day).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, case, distinct, func, true
from sqlmodel import Session, col, select

from storage.parties import Party, PartyKind
from storage.pocs import PocStatus, PointOfContact
from storage.submissions import NATIONAL_REPORT_KINDS, Submission, SubmissionKind


@dataclass(frozen=True)
class ReportingStatus:
    member_states: int
    reporting_states: int
    non_reporting: list[str]  # ISO3 codes, sorted
    states_by_report_count: dict[str, int]  # "1", "2", "3+"
    since: date
    # States with a national report or additional information dated from `since` to `until`
    # (the paper's "national reports and/or additional information"; action plans are counted
    # apart, in `action_plans`)
    states_submitting_since: int
    # Active PoCs today: the registry keeps who is a PoC now, not since when, so these two
    # are not limited by `until`.
    states_with_poc: int
    orgs_with_poc: int
    action_plans: int
    action_plan_states: int
    until: date | None = None  # None: every submission recorded, whatever its date

    @property
    def non_reporting_states(self) -> int:
        return len(self.non_reporting)

    @property
    def share_submitting_since(self) -> float:
        if not self.member_states:
            return 0.0
        return self.states_submitting_since / self.member_states


def _count_parties_with_active_poc(session: Session, kind: PartyKind) -> int:
    query = (
        select(func.count(distinct(col(PointOfContact.party_id))))
        .join(Party, col(Party.id) == col(PointOfContact.party_id))
        .where(Party.kind == kind, PointOfContact.status == PocStatus.ACTIVE)
    )
    return session.exec(query).one()


def _is_state() -> ColumnElement[bool]:
    return col(Party.kind) == PartyKind.STATE


def _submitted_by(until: date | None) -> ColumnElement[bool]:
    return true() if until is None else col(Submission.submitted_on) <= until


def reporting_status(
    *, session: Session, since: date, until: date | None = None
) -> ReportingStatus:
    """The figures as they stood on `until` (or with everything recorded, when None)."""
    recorded = _submitted_by(until)
    member_states = session.exec(select(func.count()).select_from(Party).where(_is_state())).one()

    # A State reports once it has sent its first report; it then counts by national reports.
    national = func.sum(case((col(Submission.kind).in_(NATIONAL_REPORT_KINDS), 1), else_=0))
    first = func.sum(case((col(Submission.kind) == SubmissionKind.FIRST_REPORT, 1), else_=0))
    per_state = (
        select(col(Submission.party_id).label("party_id"), national.label("reports"))
        .join(Party, col(Party.id) == col(Submission.party_id))
        .where(_is_state(), recorded)
        .group_by(col(Submission.party_id))
        .having(first > 0)
        .subquery()
    )
    bucket = case((per_state.c.reports == 1, "1"), (per_state.c.reports == 2, "2"), else_="3+")
    by_count = {"1": 0, "2": 0, "3+": 0}
    for label, count in session.exec(
        select(bucket.label("bucket"), func.count()).group_by(bucket)
    ):
        by_count[label] = count
    reporting_ids = select(per_state.c.party_id)

    non_reporting = list(
        session.exec(
            select(Party.code)
            .where(_is_state(), col(Party.id).not_in(reporting_ids))
            .order_by(col(Party.code))
        )
    )
    submitting_since = session.exec(
        select(func.count(distinct(col(Submission.party_id))))
        .join(Party, col(Party.id) == col(Submission.party_id))
        .where(_is_state(), col(Submission.kind).in_(NATIONAL_REPORT_KINDS),
               col(Submission.submitted_on) >= since, recorded)
    ).one()
    plans, plan_states = session.exec(
        select(func.count(), func.count(distinct(col(Submission.party_id)))).where(
            Submission.kind == SubmissionKind.ACTION_PLAN, recorded
        )
    ).one()
    return ReportingStatus(
        member_states=member_states,
        reporting_states=sum(by_count.values()),
        non_reporting=non_reporting,
        states_by_report_count=by_count,
        since=since,
        states_submitting_since=submitting_since,
        states_with_poc=_count_parties_with_active_poc(session, PartyKind.STATE),
        orgs_with_poc=_count_parties_with_active_poc(session, PartyKind.ORGANISATION),
        action_plans=plans,
        action_plan_states=plan_states,
        until=until,
    )
