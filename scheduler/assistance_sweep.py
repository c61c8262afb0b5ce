"""The assistance sweep: read the requests, ask the rules (scheduler/assistance.py) what is due,
queue it once.

- Requests overdue at a step: recorded as told (once per step reached) and returned, for the
  service to tell staff in Telegram; `outreach assistance overdue` lists them all.
- A year after a match, the requesting State's assistance PoCs are asked how the assistance
  went (message "assistance_follow_up"), once per request.
- Each quarter, every active provider's assistance PoCs get the requests open to providers in
  the areas it covers (message "assistance_digest"), once per provider and quarter.
The last two write to States and organisations: only once staff turned chasing on. Every
message is queued under a unique key, so a second sweep, a restart or a second process adds
nothing; each in its own transaction, so one conflict loses no other.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from scheduler.assistance import (
    Overdue,
    WaitingRequest,
    digest_period,
    follow_up_due,
    overdue,
)
from scheduler.working_hours import WorkingHours, next_working_moment
from storage import outbox
from storage.assistance import chasing
from storage.assistance.chasing import DIGEST_KEY, FOLLOW_UP_KEY, OpenRequest
from storage.assistance.model import RequestStatus
from storage.outbox import Recipient

CHASE_ACTOR = "system:assistance"
FOLLOW_UP_TEMPLATE = "assistance_follow_up"
DIGEST_TEMPLATE = "assistance_digest"


@dataclass(frozen=True)
class Digest:
    provider_id: int
    party_id: int
    quarter: tuple[date, date]
    request_ids: tuple[int, ...]

    @property
    def dedupe_key(self) -> str:
        return f"{DIGEST_KEY}{self.provider_id}:{self.quarter[0].isoformat()}"


@dataclass(frozen=True)
class ChasePlan:
    overdue: list[Overdue]  # staff not yet told
    follow_ups: list[int]  # requests whose State is to be asked
    digests: list[Digest]
    enabled: bool  # chasing is on: follow-ups and digests are queued


@dataclass
class ChaseReport:
    told: list[Overdue] = field(default_factory=list)
    follow_ups: list[int] = field(default_factory=list)
    digests: list[int] = field(default_factory=list)  # provider ids
    without_contact: list[int] = field(default_factory=list)  # party ids nobody can receive


def _digests(requests: list[OpenRequest], providers: Mapping[int, tuple[int, tuple[str, ...]]],
             sent: set[str], today: date) -> list[Digest]:
    quarter = digest_period(today)
    offered = [request for request in requests if request.status == RequestStatus.OPEN]
    found = []
    for provider_id, (party_id, areas) in sorted(providers.items()):
        wanted = tuple(request.request_id for request in offered
                       if set(request.areas) & set(areas))
        digest = Digest(provider_id, party_id, quarter, wanted)
        if wanted and digest.dedupe_key not in sent:
            found.append(digest)
    return found


def plan_chase(*, session: Session, today: date, durations: Mapping[str, int]) -> ChasePlan:
    """What a sweep on `today` would do; writes nothing."""
    requests = chasing.open_requests(session=session)
    waiting = [WaitingRequest(r.request_id, r.party_id, r.status, r.status_on)
               for r in requests]
    late = overdue(waiting, durations, today)
    untold = set(chasing.untold(session=session,
                                steps=[(o.request_id, o.status, o.since) for o in late]))
    asked = {int(key.removeprefix(FOLLOW_UP_KEY))
             for key in chasing.sent_keys(session=session, prefix=FOLLOW_UP_KEY)}
    return ChasePlan(
        overdue=[o for o in late if (o.request_id, o.status, o.since) in untold],
        follow_ups=follow_up_due(chasing.matched_on(session=session), asked, today),
        digests=_digests(requests, chasing.provider_areas(session=session),
                         chasing.sent_keys(session=session, prefix=DIGEST_KEY), today),
        enabled=chasing.chasing_enabled(session=session),
    )


def _queue(session: Session, *, party_id: int, template: str, context: dict[str, Any],
           audience: str, dedupe_key: str, now: datetime, hours: WorkingHours) -> bool:
    """Queue one message to the party's assistance contacts; False when nobody can get it."""
    zones = chasing.assistance_contacts(session=session, party_id=party_id)
    reachable = outbox.audience_of(session=session, poc_ids=list(zones)).recipients
    if not reachable:
        return False
    recipients = [Recipient(r.poc_id, r.channel,
                            not_before=next_working_moment(now, zones.get(r.poc_id) or "UTC",
                                                           hours))
                  for r in reachable]
    try:
        outbox.enqueue(session=session, kind="assistance", template=template, context=context,
                       audience=audience, recipients=recipients, created_by=CHASE_ACTOR,
                       now=now, dedupe_key=dedupe_key)
        session.commit()
    except IntegrityError:
        session.rollback()  # another sweep queued it first
    return True


def chase(*, session: Session, now: datetime, durations: Mapping[str, int],
          hours: WorkingHours | None = None) -> ChaseReport:
    """Record the new overdue notices; queue the due follow-ups and digests when chasing is
    on. Returns what was done, for the service to tell staff."""
    hours = hours or WorkingHours()
    plan = plan_chase(session=session, today=now.date(), durations=durations)
    report = ChaseReport(told=plan.overdue)
    chasing.record_told(session=session, steps=[(o.request_id, o.status, o.since)
                                                for o in plan.overdue], now=now)
    session.commit()
    if not plan.enabled:
        return report
    by_id = {r.request_id: r for r in chasing.open_requests(session=session)}
    for request_id in plan.follow_ups:
        request = by_id[request_id]
        if _queue(session, party_id=request.party_id, template=FOLLOW_UP_TEMPLATE,
                  context={"request": chasing.summaries(session=session,
                                                        request_ids=[request_id])[0]},
                  audience=f"assistance follow-up, request {request_id}",
                  dedupe_key=f"{FOLLOW_UP_KEY}{request_id}", now=now, hours=hours):
            report.follow_ups.append(request_id)
        else:
            report.without_contact.append(request.party_id)
    for digest in plan.digests:
        context = {"quarter_start": digest.quarter[0].isoformat(),
                   "quarter_end": digest.quarter[1].isoformat(),
                   "requests": chasing.summaries(session=session,
                                                 request_ids=digest.request_ids)}
        if _queue(session, party_id=digest.party_id, template=DIGEST_TEMPLATE, context=context,
                  audience=f"assistance digest, provider {digest.provider_id}",
                  dedupe_key=digest.dedupe_key, now=now, hours=hours):
            report.digests.append(digest.provider_id)
        else:
            report.without_contact.append(digest.party_id)
    return report
