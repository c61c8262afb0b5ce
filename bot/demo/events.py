"""Invented outreach events reproducing the 2022 background paper's outreach figures.

Every title, link and note produced here is invented; only the *aggregates* are meant to be
realistic. Imported with `outreach import events`, the rows reproduce the seed paper's
section 7 (and the 82 % of section 6): "from 26 April 2016 to 15 April 2022 the Committee and
its Experts participated in 249 events", about 82 % of them organised, co-organised by or
involving organisations, 144 with outreach to States and civil society, of which 104 included
States, 15 academia, 17 industry and 10 parliamentarians. Visits (4.5: 16 States, two in 2016,
four in 2017 with one State visited twice, six in 2018, four in 2019) and peer reviews (4.7)
follow the paper's text. A few events just outside the period test its boundaries.

Like bot/demo/dataset.py, the module is pure and deterministic: a private
`random.Random(1540)`, no I/O except in `write_xlsx`, the same input always giving the same
rows (bot.demo.dataset.write_csv writes them as CSV).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Final

from openpyxl import Workbook

__all__ = [
    "EVENT_COLUMNS",
    "OUTSIDE_PERIOD",
    "PAPER_OUTREACH",
    "PERIOD_END",
    "PERIOD_START",
    "PaperOutreach",
    "build_paper_events",
    "write_xlsx",
]

EVENT_COLUMNS: Final = (
    "start_date", "end_date", "title", "city", "country", "mode", "type", "organisers",
    "iro_involvement", "audiences", "participants", "committee_role", "source_url", "notes",
    "lead_body",
)
PERIOD_START: Final = date(2016, 4, 26)
PERIOD_END: Final = date(2022, 4, 15)
OUTSIDE_PERIOD: Final = (date(2015, 11, 17), date(2016, 4, 25), date(2022, 4, 16))
"""Start dates of the invented events just outside the period (the day before, the day after)."""

_NOTE: Final = "Invented event (demonstration data set), not a real meeting."
_URL: Final = "https://example.org/invented-events/{number:03d}"


@dataclass(frozen=True)
class PaperOutreach:
    """The paper's outreach figures for PERIOD_START..PERIOD_END that the rows reproduce."""

    events: int = 249
    events_with_organisations: int = 204  # 81.9 %: "approximately 82 %"
    events_states_and_civil_society: int = 144
    states: int = 104
    academia: int = 15
    industry: int = 17
    parliamentarians: int = 10
    visited_states: int = 16
    visits: int = 17  # one State visited twice in 2017


PAPER_OUTREACH: Final = PaperOutreach()

# (audiences, how many events have exactly these). Overlaps are chosen so that each audience
# count of the paper holds exactly: an event counts once in each audience it has.
_AUDIENCE_MIX: Final[tuple[tuple[tuple[str, ...], int], ...]] = (
    (("states",), 70),
    (("states", "organisations"), 24),
    (("states", "parliamentarians"), 5),
    (("states", "industry"), 3),
    (("states", "academia"), 2),
    (("academia", "industry"), 1),
    (("parliamentarians",), 5),
    (("industry",), 13),
    (("academia",), 8),
    (("academia", "civil_society"), 4),
    (("civil_society",), 9),
    (("organisations",), 60),
    ((), 45),
)

# 4.5: visits at the invitation of States, by year; one of the 2017 States twice.
_VISITS_BY_YEAR: Final = {2016: 2, 2017: 4, 2018: 6, 2019: 4}
_VISITED_TWICE_YEAR: Final = 2017

# 4.7: peer reviews since 2016: (year, host, partners, supporting organisation).
_PEER_REVIEWS: Final = (
    (2016, "KGZ", "Kyrgyzstan, Tajikistan and Belarus", "OSCE"),
    (2017, "BLR", "Kyrgyzstan, Tajikistan and Belarus", "OSCE"),
    (2017, "CHL", "Chile and Colombia", "OAS/CICTE"),
    (2017, "COL", "Chile and Colombia", "OAS/CICTE"),
    (2019, "DOM", "the Dominican Republic and Panama", "OAS/CICTE"),
    (2019, "PAN", "the Dominican Republic and Panama", "OAS/CICTE"),
    (2019, "PRY", "Paraguay and Uruguay", "OAS/CICTE"),
    (2019, "URY", "Paraguay and Uruguay", "OAS/CICTE"),
)
# Section 6: three visits of the CTC and one of the 1267 Committee since April 2016: visits
# (type) led by those committees (lead body), never among the visits at a State's invitation.
_COMMITTEE_VISITS: Final = (("CTC", "ctc"), ("CTC", "ctc"), ("CTC", "ctc"),
                            ("1267 Committee", "c1267"))

_EVENT_TOPICS: Final = (
    "national implementation of resolution 1540 (2004)",
    "export and border controls",
    "biosecurity and biosafety",
    "chemical security",
    "nuclear security and the physical protection of materials",
    "national reporting and voluntary action plans",
    "financing of proliferation",
    "transport and trans-shipment controls",
)
_TYPE_LABELS: Final = {
    "workshop": "Regional workshop on",
    "conference": "Conference on",
    "poc_training": "Training course for Points of Contact on",
    "roundtable": "National roundtable on",
    "webinar": "Webinar on",
    "briefing": "Briefing on",
    "other": "Meeting on",
}
# Which event types suit an audience mix (the first audience decides).
_TYPES_FOR: Final = {
    "states": ("workshop", "workshop", "conference", "poc_training", "roundtable", "webinar"),
    "parliamentarians": ("briefing", "conference"),
    "industry": ("workshop", "conference", "webinar"),
    "academia": ("conference", "roundtable", "webinar"),
    "civil_society": ("conference", "briefing", "other"),
    "organisations": ("briefing", "conference", "other", "webinar"),
    "": ("briefing", "conference", "other"),
}
_INVOLVEMENTS: Final = ("organised", "co_organised", "co_organised", "involved", "involved")
_ROLES: Final = ("chair", "member", "expert", "expert", "expert")
# Travel stopped in the pandemic: most events of this stretch were virtual.
_PANDEMIC: Final = (date(2020, 3, 15), date(2021, 12, 31))


@dataclass
class _Event:
    start: date
    type: str
    audiences: tuple[str, ...]
    involvement: str
    country: str = ""
    organisers: tuple[str, ...] = ()
    topic: str = ""
    title: str = ""
    mode: str = "in_person"
    lead_body: str = "committee"


def build_paper_events(
    states: Sequence[str], organisations: Sequence[str]
) -> list[dict[str, str]]:
    """Rows of the events import format: 249 events in the paper's period, a few outside.

    `states` are the ISO3 codes of the Member States (they must include the peer-review
    States of section 4.7), `organisations` acronyms from the registry (OSCE and OAS/CICTE
    among them). The same input always yields the same rows, sorted by date and title.
    """
    _check_input(states, organisations)
    rng = random.Random(1540)
    mixes = [audiences for audiences, count in _AUDIENCE_MIX for _ in range(count)]
    assert len(mixes) == PAPER_OUTREACH.events
    special = _visits(rng, states) + _peer_reviews() + _committee_visits(rng, states)
    # The special events are all with States: take their mixes first, shuffle the rest.
    for _ in special:
        mixes.remove(("states",))
    rng.shuffle(mixes)
    generic = _generic(rng, states, organisations, mixes)
    events = special + generic
    _assign_no_involvement(rng, generic, PAPER_OUTREACH.events
                           - PAPER_OUTREACH.events_with_organisations
                           - sum(1 for e in special if e.involvement == "none"))
    events += _outside(organisations)
    return [_row(rng, number, event) for number, event in enumerate(
        sorted(events, key=lambda e: (e.start, e.type, e.country, e.audiences)), start=1)]


def _check_input(states: Sequence[str], organisations: Sequence[str]) -> None:
    missing = {host for _, host, _, _ in _PEER_REVIEWS} | {"AUT", "KEN"}
    missing -= set(states)
    if missing:
        raise ValueError(f"States the events need are missing: {sorted(missing)}")
    needed = {"OSCE", "OAS/CICTE", "CTED", "UNODA"} - set(organisations)
    if needed:
        raise ValueError(f"the organisations are missing: {sorted(needed)}")


def _day_in(rng: random.Random, low: date, high: date) -> date:
    return low + timedelta(days=rng.randint(0, (high - low).days))


def _year_span(year: int) -> tuple[date, date]:
    return max(date(year, 1, 1), PERIOD_START), min(date(year, 12, 31), PERIOD_END)


def _visits(rng: random.Random, states: Sequence[str]) -> list[_Event]:
    peer_states = {host for _, host, _, _ in _PEER_REVIEWS}
    candidates = sorted(set(states) - peer_states)
    hosts = rng.sample(candidates, PAPER_OUTREACH.visited_states)
    visits: list[_Event] = []
    for year, count in _VISITS_BY_YEAR.items():
        this_year, hosts = hosts[:count], hosts[count:]
        if year == _VISITED_TWICE_YEAR:
            this_year.append(this_year[0])
        low, high = _year_span(year)
        for host in this_year:
            visits.append(_Event(_day_in(rng, low, high), "visit", ("states",), "none",
                                 country=host, organisers=("committee", host),
                                 title=f"Visit to {host} at its invitation"))
    assert len(visits) == PAPER_OUTREACH.visits
    return visits


def _peer_reviews() -> list[_Event]:
    reviews: list[_Event] = []
    for index, (year, host, partners, organisation) in enumerate(_PEER_REVIEWS):
        # Fixed days, spread over the year; the 2016 one after the period has begun.
        start = date(year, 5 + index % 6, 10 + index)
        reviews.append(_Event(start, "peer_review", ("states",), "involved", country=host,
                              organisers=(host, organisation),
                              title=f"Peer review between {partners}: meeting in {host}"))
    return reviews


def _committee_visits(rng: random.Random, states: Sequence[str]) -> list[_Event]:
    return [
        _Event(_day_in(rng, date(2016, 6, 1), date(2019, 12, 31)), "visit", ("states",),
               "organised", country=rng.choice(list(states)), organisers=("CTED",),
               title=f"Visit of the {committee} to a Member State, with the 1540 Committee",
               lead_body=lead)
        for committee, lead in _COMMITTEE_VISITS
    ]


def _generic(rng: random.Random, states: Sequence[str], organisations: Sequence[str],
             mixes: list[tuple[str, ...]]) -> list[_Event]:
    # One event exactly on each boundary day; the others anywhere in the period.
    span = (PERIOD_END - PERIOD_START).days
    days = [PERIOD_START, PERIOD_END] + [
        PERIOD_START + timedelta(days=rng.randint(1, span - 1)) for _ in mixes[2:]]
    events: list[_Event] = []
    for start, audiences in zip(days, mixes, strict=True):
        event_type = rng.choice(_TYPES_FOR[audiences[0] if audiences else ""])
        virtual = event_type == "webinar" or (
            _PANDEMIC[0] <= start <= _PANDEMIC[1] and rng.random() < 0.8)
        country = "" if virtual else rng.choice(list(states))
        partners = tuple(rng.sample(list(organisations), rng.choice((1, 1, 2))))
        events.append(_Event(start, event_type, audiences, rng.choice(_INVOLVEMENTS),
                             country=country,
                             organisers=partners + ((country,) if country else ()),
                             topic=rng.choice(_EVENT_TOPICS),
                             mode="virtual" if virtual else "in_person"))
    return events


def _assign_no_involvement(rng: random.Random, generic: list[_Event], count: int) -> None:
    """Events neither organised by nor involving organisations: the Committee's own."""
    for event in rng.sample(generic, count):
        event.involvement = "none"
        event.organisers = ("committee",) + ((event.country,) if event.country else ())


def _outside(organisations: Sequence[str]) -> list[_Event]:
    """Invented events just outside the period: a boundary that leaks would count them."""
    before_last, day_before, day_after = OUTSIDE_PERIOD
    return [
        _Event(before_last, "conference", ("states", "industry"), "organised",
               country="AUT", organisers=("UNODA",), topic=_EVENT_TOPICS[1]),
        _Event(day_before, "workshop", ("states", "academia", "parliamentarians"),
               "co_organised", country="KEN", organisers=("UNODA", "KEN"),
               topic=_EVENT_TOPICS[0]),
        _Event(day_after, "webinar", ("states", "industry"), "organised",
               organisers=("UNODA",), topic=_EVENT_TOPICS[5], mode="virtual"),
    ]


def _row(rng: random.Random, number: int, event: _Event) -> dict[str, str]:
    title = event.title or f"{_TYPE_LABELS[event.type]} {event.topic}"
    days = 0 if event.type in ("webinar", "briefing") else rng.choice((0, 1, 1, 2))
    return {
        "start_date": event.start.isoformat(),
        "end_date": (event.start + timedelta(days=days)).isoformat(),
        "title": f"{title} (invented event {number:03d})",
        "city": "" if not event.country else f"Capital of {event.country}",
        "country": event.country,
        "mode": event.mode,
        "type": event.type,
        "organisers": ";".join(event.organisers),
        "iro_involvement": event.involvement,
        "audiences": ";".join(event.audiences),
        "participants": str(rng.randint(12, 180)),
        "committee_role": rng.choice(_ROLES),
        "source_url": _URL.format(number=number),
        "notes": _NOTE,
        "lead_body": event.lead_body,
    }


def write_xlsx(rows: Sequence[dict[str, str]], columns: Sequence[str], path: Path) -> None:
    """Write `rows` to `path` as the first sheet of an Excel workbook, a header row first."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "events"
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    workbook.save(path)
