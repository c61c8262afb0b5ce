"""Invented assistance requests, providers and offers reproducing the seed paper's section 5.

From 26 April 2016 to 15 April 2022: 38 requests from 35 States, and 1 more State that kept
an earlier request in force; of the 35 States, 18 needed operative paragraph 3 (a)-(b), 19
OP 3 (c)-(d), 12 OP 2, 20 training, 12 outreach, 11 drafting legislation, 10 equipment and
11 funding (KEN, SEN and MNG sent two requests each, sharing an area, counted once); on the
period's last day 20 requests of 18 States published on the website; 16 organisations
registered as providers, of which 6 offered help on 20 requests; no regional assistance
conference. A few rows just outside the rules test them: a request the day before and the
day after the period, one a PoC filed that staff have not confirmed, a provider that withdrew,
one registered later, an offer after the period, a published request met after it.

The States are real (their codes); every request, reference, summary and detail is invented,
and no person appears. Written through storage.assistance (as staff's commands would), in a
fixed order: the same rows every time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlmodel import Session

from storage import parties
from storage.assistance import providers, requests
from storage.assistance.model import (
    AssistanceArea,
    AssistanceProvider,
    AssistanceRequest,
    RequestChannel,
    RequestStatus,
)
from storage.assistance.requests import Need, RequestFields
from storage.parties import Party

ACTOR: Final = "demo"
FIRST_RECEIVED: Final = date(2016, 5, 17)
EVERY: Final = timedelta(days=56)  # one request about every eight weeks
TEMPLATE_REVISED: Final = date(2018, 1, 1)  # the template in use from then on
PUBLISHED_ON: Final = date(2022, 4, 15)  # the period's last day
MET_AFTER_PERIOD: Final = date(2023, 3, 31)

# (days after the request) of each step it reaches; offers come 30 days apart once open
CIRCULATED_AFTER: Final = timedelta(days=21)
OPEN_AFTER: Final = timedelta(days=66)
MATCH_AFTER_OPEN: Final = timedelta(days=90)
WORK_AFTER_MATCH: Final = timedelta(days=60)
CLOSE_AFTER_WORK: Final = timedelta(days=300)
WITHDRAWN_AFTER_OPEN: Final = timedelta(days=200)
LAPSED_AFTER_OPEN: Final = timedelta(days=700)


@dataclass(frozen=True)
class Plan:
    """One invented request: its State, the areas it needs, where it ends (a RequestStatus,
    or "met_later": in progress at the period's end, met after it), whether it is published,
    and the providers that offered help (the last one named in `match` got the match)."""

    state: str
    areas: str
    fate: str
    published: bool = False
    consent: bool = True
    offers: tuple[str, ...] = ()
    match: str | None = None


M, P = RequestStatus.MET, RequestStatus.PARTLY_MET
W, L = RequestStatus.WITHDRAWN, RequestStatus.LAPSED
OPEN, MATCHED, WORK = RequestStatus.OPEN, RequestStatus.MATCHED, RequestStatus.IN_PROGRESS
CIRCULATED = RequestStatus.CIRCULATED

# In the order received, EVERY days apart from FIRST_RECEIVED.
PLANS: Final = (
    Plan("BEN", "op3_ab op3_cd training outreach legislation funding", M,
         offers=("IAEA", "EU"), match="EU"),
    Plan("BFA", "op3_ab op3_cd training outreach equipment", W, consent=False),
    Plan("BDI", "op3_ab op3_cd op2 outreach", M, offers=("IAEA",), match="IAEA"),
    Plan("CMR", "op3_ab op3_cd op2", L, consent=False),
    Plan("TCD", "op3_ab op3_cd training outreach", P, offers=("INTERPOL", "USA"), match="USA"),
    Plan("GAB", "op3_ab op3_cd training", M, consent=False, offers=("CAN",), match="CAN"),
    Plan("GHA", "op3_ab op3_cd", WORK, True, offers=("IAEA",), match="IAEA"),
    Plan("KEN", "op3_cd training outreach", WORK, True, offers=("WCO", "EU"), match="EU"),
    Plan("MDG", "op3_ab training", M, offers=("OPCW", "EU"), match="EU"),
    Plan("MWI", "op3_cd training equipment funding", W),
    Plan("MLI", "op3_ab op2 training legislation equipment", WORK, True, offers=("IAEA",),
         match="IAEA"),
    Plan("NER", "op3_ab op3_cd op2 funding", P, offers=("EU",), match="EU"),
    Plan("SEN", "op3_ab op3_cd training", "met_later", True, offers=("INTERPOL", "EU"),
         match="EU"),
    Plan("SLE", "training", L),
    Plan("TGO", "training equipment", M, consent=False, offers=("JPN",), match="JPN"),
    Plan("UGA", "outreach", WORK, True, offers=("UNODC", "USA"), match="USA"),
    Plan("ZMB", "op3_cd op2 funding", MATCHED, consent=False, offers=("EU",), match="EU"),
    Plan("KHM", "op2 training legislation", WORK, True, offers=("UNODC", "OPCW"),
         match="OPCW"),
    Plan("LAO", "op3_ab op3_cd training", WORK, True, offers=("USA",), match="USA"),
    Plan("MNG", "op2 outreach legislation", M, offers=("UNODC",), match="UNODC"),
    Plan("NPL", "op3_cd outreach legislation equipment funding", WORK, consent=False,
         offers=("EU",), match="EU"),
    Plan("KEN", "outreach legislation funding", MATCHED, True, offers=("NOR",), match="NOR"),
    Plan("FJI", "outreach funding", WORK, True, offers=("AUS",), match="AUS"),
    Plan("WSM", "training legislation funding", MATCHED, True, offers=("EU",), match="EU"),
    Plan("TON", "op3_ab equipment funding", MATCHED, True, offers=("USA",), match="USA"),
    Plan("VUT", "op3_ab op2 training outreach", OPEN, True, offers=("IAEA",)),
    Plan("KIR", "op3_ab outreach equipment", OPEN, True),
    Plan("SEN", "training funding", MATCHED, True, offers=("CAN",), match="CAN"),
    Plan("BOL", "op3_cd op2 legislation", MATCHED, True, offers=("UNODC", "USA"), match="USA"),
    Plan("GTM", "op2 training", OPEN, True, offers=("OPCW",)),
    Plan("HND", "op3_cd op2 equipment", OPEN, True, offers=("WCO",)),
    Plan("PRY", "op3_cd", OPEN, True, offers=("INTERPOL",)),
    Plan("SLV", "legislation funding", OPEN, consent=False),
    Plan("MNG", "legislation equipment", OPEN, consent=False),
    Plan("JAM", "op3_ab op3_cd training legislation equipment", OPEN, True),
    Plan("MDA", "op3_ab training outreach", OPEN, True),
    Plan("ARM", "op2 training legislation", CIRCULATED),
    Plan("JOR", "op3_ab op3_cd training", CIRCULATED, consent=False),
)

ALL_AREAS: Final = " ".join(area for area in AssistanceArea if area != AssistanceArea.OTHER)
# code -> (registered on, areas covered, withdrawn on)
PROVIDERS: Final[Mapping[str, tuple[date, str, date | None]]] = {
    "IAEA": (date(2005, 3, 1), "op3_ab op3_cd op2 legislation training equipment outreach",
             None),
    "OPCW": (date(2005, 3, 1), "op3_ab op2 legislation training outreach", None),
    "INTERPOL": (date(2009, 6, 15), "op3_cd training outreach equipment", None),
    "WCO": (date(2009, 6, 15), "op3_cd training equipment outreach", None),
    "UNODC": (date(2010, 2, 1), "op2 legislation training outreach", None),
    "EU": (date(2008, 11, 20), ALL_AREAS, None),
    "CTBTO": (date(2011, 5, 9), "training equipment", None),
    "WHO": (date(2017, 3, 14), "op3_ab training outreach", None),
    "WOAH": (date(2012, 9, 3), "op3_ab training", None),
    "FAO": (date(2014, 1, 20), "op3_ab training", None),
    "IMO": (date(2012, 4, 2), "op3_cd training", None),
    "ICAO": (date(2012, 4, 2), "op3_cd training", None),
    "UNODA": (date(2006, 1, 16), "op2 legislation outreach training funding", None),
    "UNICRI": (date(2013, 7, 1), "op3_ab training outreach", None),
    "BWC ISU": (date(2011, 10, 3), "op3_ab legislation training", None),
    "OSCE": (date(2010, 12, 6), "op3_cd legislation training outreach", None),
    "UNIDIR": (date(2015, 3, 2), "outreach", date(2019, 10, 1)),  # withdrew
    "AU": (date(2023, 2, 1), "training outreach", None),  # registered after the period
    "USA": (date(2005, 1, 10), ALL_AREAS, None),
    "CAN": (date(2006, 6, 12), ALL_AREAS, None),
    "JPN": (date(2007, 2, 5), "op3_cd training equipment funding", None),
    "NOR": (date(2008, 9, 22), "funding training outreach legislation", None),
    "AUS": (date(2009, 4, 27), ALL_AREAS, None),
    "GBR": (date(2005, 1, 10), "op3_ab op3_cd training equipment", None),
    "DEU": (date(2006, 3, 6), "op3_ab op3_cd training equipment funding", None),
    "KOR": (date(2014, 8, 18), "op3_cd training equipment", None),
}

# An earlier request TJK keeps in force; requests just outside the rules.
MAINTAINED: Final = ("TJK", date(2014, 9, 15), "op3_cd training", date(2019, 3, 20))
DAY_BEFORE: Final = ("ETH", date(2016, 4, 25), "training")  # lapses in 2018
DAY_AFTER: Final = ("MOZ", date(2022, 4, 16), "op3_cd equipment")
UNCONFIRMED: Final = ("NAM", date(2022, 2, 14), "training")  # filed by a PoC, awaiting staff
LATE_OFFER: Final = ("WHO", "MDA", date(2022, 6, 20))  # an offer after the period

_DETAILS: Final = {
    "op3_ab": "Accounting for and physical protection of sensitive materials",
    "op3_cd": "Border and export controls: licensing and customs officers",
    "op2": "Reviewing the prohibitions in national law",
    "training": "Training for the national authority",
    "outreach": "Outreach to industry and academia",
    "legislation": "Drafting implementing legislation",
    "equipment": "Detection equipment for border posts",
    "funding": "Funding for a national implementation workshop",
}
_WEAPONS: Final = ("nuclear", "chemical", "biological")


def _fields(number: int, received: date, areas: str, consent: bool) -> RequestFields:
    needs = tuple(
        Need(area, _WEAPONS[(number + index) % 3] if area == "op3_ab" else None,
             f"{_DETAILS[area]} (invented)")
        for index, area in enumerate(areas.split()))
    channel = RequestChannel.TEMPLATE if received >= TEMPLATE_REVISED else (
        RequestChannel.NOTE_VERBALE if number % 2 else RequestChannel.NATIONAL_REPORT)
    return RequestFields(
        received_on=received, channel=channel, needs=needs,
        reference=f"DEMO/ASSIST/{received.year}/{number:02d}",
        summary=f"Invented assistance request {number} for the demonstration",
        consent_to_publish=consent)


class _Writer:
    """Writes the rows through storage.assistance with one actor and one `now`."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session, self.now = session, now
        self.parties: dict[str, Party] = {
            party.code: party for party in [*parties.states(session=session),
                                            *parties.organisations(session=session)]}
        self.providers: dict[str, AssistanceProvider] = {}

    def request(self, number: int, state: str, received: date, areas: str,
                consent: bool = True, confirmed: bool = True) -> AssistanceRequest:
        return requests.add(session=self.session, party=self.parties[state],
                            fields=_fields(number, received, areas, consent), actor=ACTOR,
                            now=self.now, confirmed=confirmed)

    def step(self, request: AssistanceRequest, to: str, on: date) -> None:
        requests.advance(session=self.session, request=request, to=to, on=on, actor=ACTOR,
                         now=self.now)

    def to_providers(self, request: AssistanceRequest) -> date:
        """Circulated to the Committee, then open to providers: the day it opened."""
        self.step(request, CIRCULATED, request.received_on + CIRCULATED_AFTER)
        opened = request.received_on + OPEN_AFTER
        self.step(request, OPEN, opened)
        return opened

    def register(self) -> None:
        for code, (registered, areas, _) in PROVIDERS.items():
            provider = providers.register(
                session=self.session, party=self.parties[code], registered_on=registered,
                areas=areas.split(), actor=ACTOR, now=self.now)
            self.providers[code] = provider
        for code, (_, _, withdrawn) in PROVIDERS.items():
            if withdrawn is not None:
                providers.withdraw(session=self.session, provider=self.providers[code],
                                   on=withdrawn, actor=ACTOR, now=self.now)

    def offer(self, request: AssistanceRequest, code: str, on: date) -> None:
        providers.offer(session=self.session, request=request, provider=self.providers[code],
                        offered_on=on, detail="Invented offer of help", actor=ACTOR,
                        now=self.now)

    def follow(self, number: int, plan: Plan) -> AssistanceRequest:
        """One plan in the period: received, opened, offered, matched, worked, closed."""
        received = FIRST_RECEIVED + number * EVERY
        request = self.request(number, plan.state, received, plan.areas, plan.consent)
        if plan.fate == CIRCULATED:
            self.step(request, CIRCULATED, received + CIRCULATED_AFTER)
            return request
        opened = self.to_providers(request)
        for index, code in enumerate(plan.offers):
            self.offer(request, code, opened + timedelta(days=30 * (index + 1)))
        if plan.fate in (W, L):
            self.step(request, plan.fate,
                      opened + (WITHDRAWN_AFTER_OPEN if plan.fate == W else LAPSED_AFTER_OPEN))
        if plan.match is None:
            return request
        matched = opened + MATCH_AFTER_OPEN
        providers.match(session=self.session, request=request,
                        provider=self.providers[plan.match], on=matched, actor=ACTOR,
                        now=self.now)
        if plan.fate != MATCHED:
            self.step(request, WORK, matched + WORK_AFTER_MATCH)
        if plan.fate in (M, P):
            self.step(request, plan.fate, matched + WORK_AFTER_MATCH + CLOSE_AFTER_WORK)
        return request

    def outside(self) -> None:
        """The rows each rule leaves out, and the State that kept its request in force."""
        state, received, areas, maintained = MAINTAINED
        kept = self.request(90, state, received, areas, consent=False)
        self.to_providers(kept)
        requests.maintain(session=self.session, request=kept, on=maintained, actor=ACTOR,
                          now=self.now)
        state, received, areas = DAY_BEFORE
        early = self.request(91, state, received, areas)
        self.step(early, L, self.to_providers(early) + LAPSED_AFTER_OPEN)
        state, received, areas = DAY_AFTER
        self.request(92, state, received, areas)
        state, received, areas = UNCONFIRMED
        self.request(93, state, received, areas, confirmed=False)


def load_invented_assistance(session: Session, now: datetime) -> None:
    """Write the invented providers, requests and offers (reference data loaded)."""
    writer = _Writer(session, now)
    writer.register()
    written = [writer.follow(number, plan) for number, plan in enumerate(PLANS, start=1)]
    writer.outside()
    for request, plan in zip(written, PLANS, strict=True):
        if plan.published:
            requests.publish(session=session, request=request, on=PUBLISHED_ON, actor=ACTOR,
                             now=now)
        if plan.fate == "met_later":
            writer.step(request, M, MET_AFTER_PERIOD)
    code, state, offered = LATE_OFFER
    late = next(request for request, plan in zip(written, PLANS, strict=True)
                if plan.state == state)
    writer.offer(late, code, offered)
    session.flush()
