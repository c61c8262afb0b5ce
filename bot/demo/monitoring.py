"""Invented peer reviews, action plans in preparation and regional 1540 coordinators
reproducing the seed paper's sections 4.6, 4.7 and 6.

Over the paper's period (26 April 2016 to 15 April 2022): 4 peer reviews among 9 States
(KGZ-TJK-BLR 2014-2017, CHL-COL 2017, DOM-PAN 2019, PRY-URY 2019), each linked to its
meetings among the invented events; 2 action plans in preparation on the last day (Botswana
with the 1540 Committee, Mongolia with OSCE); 5 regional 1540 coordinators of 4 organisations
(CARICOM, OAS/CICTE, OSCE, and UNODA for Africa and for Asia). Rows just outside each rule
test them: a review that ended in 2015 and one that began in 2023; a draft opened the day after
the period, one discontinued on its last day, and one closed by the State's own action plan
(the latest one the registry holds in the period, when its submissions are loaded); a former
coordinator, inactive.

The States and organisations are real (their codes); every review, plan, milestone, note and
person is invented, and says so. Written through storage (as staff's commands would), in a
fixed order: the same rows every time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final

from sqlmodel import Session, col, select

from bot.demo.paper import EMAIL_DOMAIN
from bot.render.templates import message, render
from storage import parties, pocs
from storage.action_plans import drafts
from storage.action_plans.model import ActionPlanDraft
from storage.events import Event, EventType
from storage.figures.statistics import PAPER_PERIOD, TransparencyFigures
from storage.imports.contact_fields import default_timezone
from storage.parties import Party
from storage.peer_reviews import records
from storage.peer_reviews.records import ReviewText
from storage.submissions import Submission, SubmissionKind

ACTOR: Final = "demo"
INVENTED: Final = "Invented for the demonstration"

# (States in the order the paper names them, first year, last year, supporters)
PEER_REVIEWS: Final = (
    ("KGZ;TJK;BLR", 2014, 2017, "OSCE"),
    ("CHL;COL", 2017, 2017, "OAS/CICTE"),
    ("DOM;PAN", 2019, 2019, "OAS/CICTE"),
    ("PRY;URY", 2019, 2019, "OAS/CICTE"),
)
# Just outside the paper's years (2016-2022): ended before, began after.
REVIEWS_OUTSIDE: Final = (("ARM;GEO", 2013, 2015, "OSCE"), ("GHA;NGA", 2023, 2024, "committee"))

# (State, supporter: "committee" or an organisation, opened on, milestones)
DRAFTS: Final = (
    ("BWA", "committee", date(2021, 3, 15),
     ((date(2021, 6, 2), "National workshop on the draft plan"),
      (date(2022, 1, 20), "First draft shared with the Committee's experts"))),
    ("MNG", "OSCE", date(2020, 10, 5),
     ((date(2021, 4, 12), "Inter-agency working group set up"),)),
)
OPENED_AFTER: Final = ("LSO", "committee", PAPER_PERIOD.end + timedelta(days=1))
DISCONTINUED: Final = ("TLS", "committee", date(2019, 2, 1), PAPER_PERIOD.end)
SUBMITTED_AFTER: Final = timedelta(days=540)  # support began 18 months before the plan

# (organisation, region); a former coordinator, inactive
COORDINATORS: Final = (("CARICOM", "the Caribbean"), ("OAS/CICTE", "the Americas"),
                       ("OSCE", "the OSCE region"), ("UNODA", "Africa"), ("UNODA", "Asia"))
FORMER_COORDINATOR: Final = ("OSCE", "Central Asia")
COORDINATING_ORGANISATIONS: Final = tuple(dict.fromkeys(code for code, _ in COORDINATORS))
_NAMES: Final = ("Alexis Durand", "Maren Okafor", "Tomasz Reyes", "Ilse Nakamura",
                 "Samir Lindqvist", "Priya Castellanos")


def _review(session: Session, states: str, first: int, last: int, supporters: str,
            now: datetime) -> None:
    ids = ";".join(str(event_id) for event_id in _meetings(session, states, first, last))
    fields, problems = records.parse(session=session, today=now.date(), text=ReviewText(
        states=states, from_year=str(first), to_year=str(last), supported_by=supporters,
        events=ids, notes=f"{INVENTED}: the States are real, this record is invented."))
    if fields is None:
        raise RuntimeError(f"the invented peer review failed its own checks: {problems}")
    records.add(session=session, fields=fields, actor=ACTOR, now=now)


def _meetings(session: Session, states: str, first: int, last: int) -> list[int]:
    """The invented events of type peer_review hosted by one of `states` in those years."""
    codes = states.split(";")
    query = (select(Event.id).join(Party, col(Party.id) == col(Event.country_party_id))
             .where(Event.type == EventType.PEER_REVIEW, col(Event.deleted_at).is_(None),
                    col(Party.code).in_(codes), col(Event.start_date) >= date(first, 1, 1),
                    col(Event.start_date) <= date(last, 12, 31))
             .order_by(col(Event.start_date), col(Event.id)))
    return [event_id for event_id in session.exec(query) if event_id is not None]


def _draft(session: Session, by_code: dict[str, Party], state: str, supporter: str,
           opened: date, now: datetime) -> ActionPlanDraft:
    return drafts.start(session=session, party=by_code[state],
                        supporter=None if supporter == "committee" else by_code[supporter],
                        opened_on=opened, note=f"{INVENTED}.", actor=ACTOR, now=now)


def _latest_plan(session: Session, taken: set[str]) -> Submission | None:
    """The latest action plan submitted in the paper's period by a State not used above."""
    query = (select(Submission).join(Party, col(Party.id) == col(Submission.party_id))
             .where(Submission.kind == SubmissionKind.ACTION_PLAN,
                    col(Submission.submitted_on) >= PAPER_PERIOD.start + SUBMITTED_AFTER,
                    col(Submission.submitted_on) <= PAPER_PERIOD.end,
                    col(Party.code).not_in(taken))
             .order_by(col(Submission.submitted_on).desc(), col(Submission.id).desc()))
    return session.exec(query).first()


def _drafts(session: Session, by_code: dict[str, Party], now: datetime) -> None:
    for state, supporter, opened, milestones in DRAFTS:
        draft = _draft(session, by_code, state, supporter, opened, now)
        for on, text in milestones:
            drafts.milestone(session=session, draft=draft, on=on, text=f"{text} (invented)",
                             actor=ACTOR, now=now)
    state, supporter, opened = OPENED_AFTER
    _draft(session, by_code, state, supporter, opened, now)
    state, supporter, opened, stopped = DISCONTINUED
    drafts.discontinue(session=session, draft=_draft(session, by_code, state, supporter,
                                                     opened, now),
                       on=stopped, actor=ACTOR, now=now)
    taken = {state for state, *_ in DRAFTS} | {OPENED_AFTER[0], DISCONTINUED[0]}
    submitted = _latest_plan(session, taken)
    if submitted is not None:  # closed at once by the plan already recorded
        party = session.get(Party, submitted.party_id)
        assert party is not None
        _draft(session, by_code, party.code, "committee",
               submitted.submitted_on - SUBMITTED_AFTER, now)


def _coordinator(session: Session, by_code: dict[str, Party], number: int, code: str,
                 region: str, status: str, now: datetime) -> None:
    party = by_code[code]
    assert party.id is not None
    name = _NAMES[number % len(_NAMES)]
    address = f"coordinator{number + 1}.{code.lower().replace('/', '-')}@{EMAIL_DOMAIN}"
    pocs.create(session=session, now=now, actor=ACTOR, fields=pocs.PocFields(
        party_id=party.id, role=pocs.PocRole.COORDINATOR, full_name=name, emails=(address,),
        language="en", timezone=default_timezone(None), title="Regional 1540 Coordinator",
        agency=f"{INVENTED} (invented person)", status=status, region=region))


def load_invented_monitoring(session: Session, now: datetime) -> None:
    """Write the invented peer reviews, drafts and coordinators (reference data loaded; the
    invented events first, for the reviews' meetings)."""
    by_code = {party.code: party for party in [*parties.states(session=session),
                                               *parties.organisations(session=session)]}
    for states, first, last, supporters in (*PEER_REVIEWS, *REVIEWS_OUTSIDE):
        _review(session, states, first, last, supporters, now)
    _drafts(session, by_code, now)
    for number, (code, region) in enumerate(COORDINATORS):
        _coordinator(session, by_code, number, code, region, pocs.PocStatus.ACTIVE, now)
    code, region = FORMER_COORDINATOR
    _coordinator(session, by_code, len(COORDINATORS), code, region, pocs.PocStatus.INACTIVE,
                 now)
    session.flush()


def invented_text(figures: TransparencyFigures, start: str, end: str) -> str:
    """The report's sentences on peer reviews, plans in preparation and coordinators over
    the demo's figures, each line that names something saying the data are invented."""
    text = "\n".join(render(f"report/{name}.txt.j2", figures=figures, start=start, end=end)
                     for name in ("peer_reviews", "action_plans", "coordinators"))
    return "\n".join(message("demo_invented_line", text=line) if line.strip() else line
                     for line in text.splitlines())
