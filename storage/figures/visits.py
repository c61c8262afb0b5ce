"""Visits to States at their invitation (seed paper, section 4.5) and the visits of other
Security Council committees the 1540 Committee took part in (section 6), over a Period.

A visit belongs to a period by its event's start date (a live event of type `visit`). The
1540 Committee's own visits (lead body `committee`, storage.visits.records.OWN_VISIT_LEADS)
are the "visits at a State's invitation": their counts by year are
storage.figures.statistics.event_kind_figures with that lead body; here, what they led to and
whom they met, from the invitations linked to them. The visits led by the CTC, the 1267
Committee or several committees jointly are the cooperation figures, and never the others.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, distinct, func
from sqlmodel import Session, col, select

from storage.events import Event, EventType, LeadBody
from storage.figures.period import Period
from storage.visits.model import (
    AuthorityCategory,
    VisitAuthority,
    VisitInvitation,
    VisitOutcome,
    VisitOutcomeKind,
)
from storage.visits.records import OWN_VISIT_LEADS

# The lead bodies of the cooperation figures, in this order.
COOPERATION_LEADS: tuple[str, ...] = (LeadBody.CTC, LeadBody.C1267, LeadBody.JOINT)


@dataclass(frozen=True)
class VisitOutcomeFigures:
    """The 1540 Committee's own visits in the period, from their invitations."""

    # visits with a recorded invitation linked to them
    invited: int
    # outcome -> visits that led to it (each VisitOutcomeKind, in order)
    by_outcome: Mapping[str, int]
    # outcome -> visits whose outcome is linked to the submission it led to
    with_submission: Mapping[str, int]
    # authority category -> visits that met at least one such authority
    by_authority: Mapping[str, int]


@dataclass(frozen=True)
class CooperationFigures:
    """Section 6: visits to States led by another committee (or jointly) that the 1540
    Committee took part in, in the period."""

    # lead body -> visits (every COOPERATION_LEADS value)
    visits_by_lead_body: Mapping[str, int]
    # lead body -> distinct States visited
    states_by_lead_body: Mapping[str, int]


def _visits_in(period: Period, leads: tuple[str, ...]) -> list[ColumnElement[bool]]:
    return [col(Event.deleted_at).is_(None), col(Event.type) == EventType.VISIT,
            col(Event.start_date) >= period.start, col(Event.start_date) <= period.end,
            col(Event.lead_body).in_(leads)]


def visit_outcome_figures(*, session: Session, period: Period) -> VisitOutcomeFigures:
    own = _visits_in(period, OWN_VISIT_LEADS)
    linked = col(VisitInvitation.event_id) == col(Event.id)
    invited = session.exec(select(func.count(distinct(col(Event.id))))
                           .join(VisitInvitation, linked).where(*own)).one()
    by_outcome = dict.fromkeys([kind.value for kind in VisitOutcomeKind], 0)
    with_submission = dict(by_outcome)
    outcomes = (select(col(VisitOutcome.outcome), func.count(distinct(col(Event.id))),
                       func.count(col(VisitOutcome.submission_id)))
                .select_from(Event).join(VisitInvitation, linked)
                .join(VisitOutcome, col(VisitOutcome.invitation_id) == col(VisitInvitation.id))
                .where(*own).group_by(col(VisitOutcome.outcome)))
    for outcome, visits, submissions in session.exec(outcomes):
        by_outcome[outcome], with_submission[outcome] = int(visits), int(submissions)
    by_authority = dict.fromkeys([category.value for category in AuthorityCategory], 0)
    met = (select(col(VisitAuthority.category), func.count(distinct(col(Event.id))))
           .select_from(Event).join(VisitInvitation, linked)
           .join(VisitAuthority, col(VisitAuthority.invitation_id) == col(VisitInvitation.id))
           .where(*own).group_by(col(VisitAuthority.category)))
    for category, visits in session.exec(met):
        by_authority[category] = int(visits)
    return VisitOutcomeFigures(invited=invited, by_outcome=by_outcome,
                               with_submission=with_submission, by_authority=by_authority)


def cooperation_figures(*, session: Session, period: Period) -> CooperationFigures:
    visits = dict.fromkeys(COOPERATION_LEADS, 0)
    states = dict.fromkeys(COOPERATION_LEADS, 0)
    query = (select(col(Event.lead_body), func.count(),
                    func.count(distinct(col(Event.country_party_id))))
             .where(*_visits_in(period, COOPERATION_LEADS)).group_by(col(Event.lead_body)))
    for lead, count, hosts in session.exec(query):
        visits[lead], states[lead] = int(count), int(hosts)
    return CooperationFigures(visits_by_lead_body=visits, states_by_lead_body=states)
