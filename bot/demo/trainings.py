"""Invented Point of Contact training courses and reporting dates reproducing the seed paper's
sections 4.4 and 4.2 over its monitoring window ("since 2016": 1 January 2016 to 15 April 2022).

4.4: "From 2016 to date, courses have been organized in Chile (for the Latin American region),
Barbados (for the CARICOM region), the Russian Federation (two, for the OSCE region), China
(two, for the Asia-Pacific region) and the African Union (two, for the African Union region)":
eight courses. The invented events (bot/demo/events.py) hold fourteen of type poc_training in
the period: the first eight become the paper's courses (host, title, organisers; their day,
audiences and organisations' involvement stay, so every outreach figure stays as it was), the
other six become regional workshops. PoCs of the region's States attended each course (the
first national PoC of each State that has one). Rows just outside the rules: a course the day
before the window and one the day after, a course deleted, each attended by one State that
attended nothing else (so among those that never attended); an organisation's PoC at a course
(counted among the PoCs, not the States).

4.2: "the number of non-reporting States has been reduced from 17 to 8": the invented
submissions (bot/demo/dataset.py) have eight States whose first report falls in the window;
one more State's first report moves into it (a State that reported twice, both in the window
then: its counts stay), and a first report dated before the outreach period's start moves
after it, so 17 -> 8 holds from 1 January 2016 and from 26 April 2016 alike; every figure of
bot/demo/paper.py stays. "Several States have not submitted additional information since
2008": the States whose only report is an early first report.

The States are real (their codes); every course, attendance and document is invented.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlmodel import Session, col, select

from bot.render.templates import DEFAULT_LANGUAGE, catalogue_message, long_date
from bot.render.words import labels
from storage import events, parties, trainings
from storage.events import Event, EventFields, EventType
from storage.figures.period import Period
from storage.figures.statistics import TransparencyFigures
from storage.pocs import PocRole, PocStatus, PointOfContact
from storage.trainings import TrainingRegion

ACTOR: Final = "demo"
MONITORING: Final = Period(date(2016, 1, 1), date(2022, 4, 15))
OUTREACH_START: Final = date(2016, 4, 26)


@dataclass(frozen=True)
class Course:
    host: str
    region: TrainingRegion
    organisation: str  # the organisation that supported it
    states: tuple[str, ...]  # the States invited: those with a national PoC attend


LA, CC, OSCE = TrainingRegion.LATIN_AMERICA, TrainingRegion.CARICOM, TrainingRegion.OSCE
AP, AU = TrainingRegion.ASIA_PACIFIC, TrainingRegion.AFRICAN_UNION

# In the order of the invented poc_training events' days.
COURSES: Final = (
    Course("CHL", LA, "OAS/CICTE", ("ARG", "BOL", "BRA", "CHL", "COL", "CRI", "ECU", "GTM",
                                    "MEX", "PAN", "PER", "PRY", "URY", "SLV", "HND", "DOM")),
    Course("BRB", CC, "CARICOM", ("ATG", "BHS", "BRB", "BLZ", "DMA", "GRD", "GUY", "HTI",
                                  "JAM", "KNA", "LCA", "VCT", "SUR", "TTO")),
    Course("RUS", OSCE, "OSCE", ("ARM", "AZE", "BLR", "KAZ", "KGZ", "RUS", "TJK", "TKM",
                                 "UZB")),
    Course("CHN", AP, "UNRCPD", ("CHN", "KHM", "LAO", "MNG", "MMR", "VNM", "THA", "IDN")),
    Course("ETH", AU, "AU", ("ETH", "KEN", "UGA", "TZA", "RWA", "BDI", "SDN", "SSD", "SOM",
                             "DJI")),
    Course("RUS", OSCE, "OSCE", ("MDA", "GEO", "UKR", "SRB", "MNE", "MKD", "BIH", "ALB",
                                 "RUS")),
    Course("CHN", AP, "UNRCPD", ("PHL", "MYS", "BGD", "NPL", "LKA", "PAK", "FJI", "PNG",
                                 "CHN")),
    Course("ETH", AU, "AU", ("NGA", "GHA", "SEN", "CIV", "MLI", "NER", "BFA", "TGO", "BEN",
                             "CMR", "ZAF")),
)
# (start date, region, the one State attending, deleted): outside the rules
OUTSIDE: Final = (
    (MONITORING.start - timedelta(days=1), OSCE, "NZL", False),
    (MONITORING.end + timedelta(days=1), AP, "CAN", False),
    (date(2019, 6, 3), TrainingRegion.OTHER, "ISL", True),
)
ORGANISATION_ATTENDING: Final = "AU"  # its PoC at the first African Union course

_COURSE_TITLE: Final = "Regional training course for Points of Contact ({host}, {region})"
_WORKSHOP_PREFIX: Final = "Regional workshop on"
_TRAINING_PREFIX: Final = "Training course for Points of Contact on"


def _number(title: str) -> str:
    """The "(invented event NNN)" ending of an invented event's title."""
    return title[title.rindex("(invented event "):]


def paper_courses(rows: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """bot/demo/events.py's rows with its poc_training events of the paper's period made the
    paper's eight courses, and the rest regional workshops."""
    result = [dict(row) for row in rows]
    training = [row for row in result if row["type"] == EventType.POC_TRAINING
                and OUTREACH_START <= date.fromisoformat(row["start_date"]) <= MONITORING.end]
    training.sort(key=lambda row: (row["start_date"], row["title"]))
    if len(training) < len(COURSES):
        raise ValueError(f"the invented events hold {len(training)} trainings, "
                         f"fewer than the paper's {len(COURSES)} courses")
    for row, course in zip(training, COURSES, strict=False):
        row.update(country=course.host, city=f"Capital of {course.host}", mode="in_person",
                   organisers=";".join(("committee", course.organisation, course.host)),
                   title=f"{_COURSE_TITLE.format(host=course.host, region=course.region)}"
                         f" {_number(row['title'])}")
    for row in training[len(COURSES):]:
        row.update(type=EventType.WORKSHOP,
                   title=row["title"].replace(_TRAINING_PREFIX, _WORKSHOP_PREFIX, 1))
    return result


def _first_reports(rows: Sequence[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["state"]: row for row in rows if row["kind"] == "first_report"}


def _renumber(row: dict[str, str], day: date, rows: Sequence[dict[str, str]]) -> None:
    """Give a moved report its new day and the next free symbol of that year's series."""
    prefix = f"S/AC.44/{day.year}/(02)/"
    used = [int(r["symbol"][len(prefix):]) for r in rows if r["symbol"].startswith(prefix)]
    row["date"] = day.isoformat()
    row["symbol"] = f"{prefix}{max(used, default=0) + 1}" if row["symbol"] else ""


def _twice_reported(rows: Sequence[dict[str, str]]) -> str:
    """The first State (by code) with exactly an early first report and one additional
    information in the window, nothing else: its first report can move into the window."""
    by_state: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_state.setdefault(row["state"], []).append(row)
    for state in sorted(by_state):
        kinds = sorted((r["kind"], r["date"]) for r in by_state[state])
        if (len(kinds) == 2 and kinds[0][0] == "additional_info"
                and kinds[1][0] == "first_report" and kinds[1][1] < MONITORING.start.isoformat()
                and kinds[0][1] >= (OUTREACH_START + timedelta(days=60)).isoformat()):
            return state
    raise ValueError("no State reported exactly twice with the second in the window")


def paper_freshness(rows: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """bot/demo/dataset.py's submissions with nine first reports in the paper's window, all
    on or after the outreach period's start: non-reporting from 17 to 8 over either window."""
    result = [dict(row) for row in rows]
    firsts = _first_reports(result)
    for state, row in sorted(firsts.items()):
        day = date.fromisoformat(row["date"])
        if MONITORING.start <= day < OUTREACH_START:
            later = [r for r in result if r["state"] == state and r is not row]
            moved = OUTREACH_START + (day - MONITORING.start)
            if any(date.fromisoformat(r["date"]) <= moved for r in later):
                raise ValueError(f"{state}'s first report cannot move after its others")
            _renumber(row, moved, result)
    state = _twice_reported(result)
    additional = next(r for r in result if r["state"] == state and r["kind"] != "first_report")
    _renumber(firsts[state], date.fromisoformat(additional["date"]) - timedelta(days=45),
              result)
    return result


class _Attendance:
    """Writes the courses' regions and attendance through storage.trainings."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session, self.now = session, now
        self.party_ids = {p.code: p.id for p in [*parties.states(session=session),
                                                 *parties.organisations(session=session)]}
        self.first_poc: dict[int, PointOfContact] = {}
        for poc in session.exec(select(PointOfContact).where(
                PointOfContact.status == PocStatus.ACTIVE,
                col(PointOfContact.role).in_((PocRole.NATIONAL, PocRole.COORDINATOR)))
                .order_by(col(PointOfContact.id))):
            self.first_poc.setdefault(poc.party_id, poc)

    def course(self, event: Event, region: str, codes: Sequence[str]) -> None:
        trainings.set_region(session=self.session, event=event, region=region, actor=ACTOR,
                             now=self.now)
        for code in codes:
            poc = self.first_poc.get(self.party_ids.get(code) or 0)
            if poc is not None:
                trainings.attend(session=self.session, event=event, poc=poc, actor=ACTOR,
                                 now=self.now)

    def outside(self, day: date, region: str, code: str, deleted: bool) -> None:
        fields = EventFields(title=f"Training course for Points of Contact {day.isoformat()}"
                             " (invented event, just outside the rules)",
                             start_date=day, end_date=day, type=EventType.POC_TRAINING,
                             organisers=("committee",),
                             notes="Invented event (demonstration data set), not a real "
                                   "meeting.")
        event = events.add(session=self.session, fields=fields, actor=ACTOR, now=self.now)
        self.course(event, region, (code,))
        if deleted:
            events.soft_delete(session=self.session, event_id=event.id or 0, actor=ACTOR,
                               now=self.now)


def load_invented_trainings(session: Session, now: datetime) -> None:
    """Record the regions and attendance of the invented courses (events imported), and the
    courses just outside the rules."""
    writer = _Attendance(session, now)
    held = list(session.exec(
        select(Event).where(Event.type == EventType.POC_TRAINING,
                            col(Event.deleted_at).is_(None))
        .order_by(col(Event.start_date), col(Event.title))))
    if len(held) != len(COURSES):
        raise RuntimeError(f"expected the paper's {len(COURSES)} courses, found {len(held)}")
    for event, course in zip(held, COURSES, strict=True):
        writer.course(event, course.region, course.states)
    for day, region, code, deleted in OUTSIDE:
        writer.outside(day, region, code, deleted)
    first_au = next(event for event, course in zip(held, COURSES, strict=True)
                    if course.region == AU)
    writer.course(first_au, AU, (ORGANISATION_ATTENDING,))
    session.flush()


def demo_monitoring(figures: TransparencyFigures) -> str:
    """The demo's lines for sections 4.2 and 4.4 over the monitoring window, each line that
    names a State saying the data is invented."""
    return catalogue_message("trainings", "demo_monitoring", {
        "figures": figures, "since": long_date(figures.monitoring.start, DEFAULT_LANGUAGE),
        "end": long_date(figures.monitoring.end, DEFAULT_LANGUAGE),
        "words": labels(DEFAULT_LANGUAGE)})
