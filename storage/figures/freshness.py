"""How fresh the States' reporting is (seed paper, section 4.2), over a window.

"The number of non-reporting States has been reduced from 17 to 8" (at the window's start and
at its end), "several States have not submitted additional information since 2008" (silent
since a year), and the States by the year of their latest national report or additional
information. Each figure is one SQL aggregate over the submissions; the rules are written
beside the keys in docs/report-json.md.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Subquery, case, func
from sqlmodel import Session, col, select

from storage.figures.period import Period
from storage.parties import Party, PartyKind
from storage.submissions import NATIONAL_REPORT_KINDS, Submission, SubmissionKind

# The year the paper names ("several States have not submitted additional information since
# 2008"): `outreach report --silent-since` asks for another.
DEFAULT_SILENT_SINCE = 2008


@dataclass(frozen=True)
class ReportingFreshness:
    window: Period
    # reporting States on window.end by the year of their latest national report or
    # additional information; years from the first to the last, gaps as 0
    by_latest_year: Mapping[int, int]
    silent_since: int  # the year asked
    # reporting States on window.end whose latest national report or additional information
    # is dated before 1 January of `silent_since`, ISO3 sorted
    silent: list[str]
    # Member States with no first report dated before window.start, ISO3 sorted
    non_reporting_at_start: list[str]

    @property
    def silent_states(self) -> int:
        return len(self.silent)

    @property
    def non_reporting_states_at_start(self) -> int:
        return len(self.non_reporting_at_start)


def _latest_per_reporting_state(until: date) -> Subquery:
    """(party_id, latest): each State with a first report dated up to `until`, and the day
    of its latest national report or additional information up to then."""
    first = func.sum(case((col(Submission.kind) == SubmissionKind.FIRST_REPORT, 1), else_=0))
    return (
        select(col(Submission.party_id).label("party_id"),
               func.max(col(Submission.submitted_on)).label("latest"))
        .join(Party, col(Party.id) == col(Submission.party_id))
        .where(col(Party.kind) == PartyKind.STATE,
               col(Submission.kind).in_(NATIONAL_REPORT_KINDS),
               col(Submission.submitted_on) <= until)
        .group_by(col(Submission.party_id))
        .having(first > 0)
        .subquery())


def reporting_freshness(*, session: Session, window: Period,
                        silent_since: int = DEFAULT_SILENT_SINCE) -> ReportingFreshness:
    latest = _latest_per_reporting_state(window.end)
    year = func.extract("year", latest.c.latest).label("year")
    counts = {int(y): int(n) for y, n in session.exec(
        select(year, func.count()).select_from(latest).group_by(year))}
    years = range(min(counts), max(counts) + 1) if counts else range(0)
    silent = list(session.exec(
        select(Party.code).join(latest, latest.c.party_id == col(Party.id))
        .where(latest.c.latest < date(silent_since, 1, 1)).order_by(col(Party.code))))
    reported_before = select(Submission.party_id).where(
        Submission.kind == SubmissionKind.FIRST_REPORT,
        col(Submission.submitted_on) < window.start)
    at_start = list(session.exec(
        select(Party.code).where(Party.kind == PartyKind.STATE,
                                 col(Party.id).not_in(reported_before))
        .order_by(col(Party.code))))
    return ReportingFreshness(
        window=window, by_latest_year={y: counts.get(y, 0) for y in years},
        silent_since=silent_since, silent=silent, non_reporting_at_start=at_start)
