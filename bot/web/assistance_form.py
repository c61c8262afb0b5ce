"""A State's PoC files a request for assistance through the signed form its reminder e-mail
links to: /assistance-request/<poc id>/<issued YYYYMMDD>/<signature> (bot.web.links).

The signature is checked before anything is read; a link older than OUTREACH_REPLY_LINK_DAYS
shows the expired page (410). GET shows the form in the PoC's language; POST checks what was
typed (at least one area, known areas and weapon categories, details within DETAIL_MAX) and,
for the active PoC of a State, records an unconfirmed request of that State (channel web,
audited as "poc:<id>"), which counts nowhere until staff confirm it. Anything refused shows
the form again with a sentence saying why and the input kept (400), writing nothing. Pages:
templates/assistance/en/form*.html.j2. Logs name the PoC's id and the request's id only.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from bot.web.handlers import Clock, _SignedLink
from bot.web.links import assistance_form_signature_valid
from storage import pocs
from storage.assistance import requests
from storage.assistance.model import (
    DETAIL_MAX,
    AssistanceArea,
    RequestChannel,
    WeaponCategory,
)
from storage.db import session_scope
from storage.parties import Party, PartyKind
from storage.party_names import party_name

__all__ = ["AssistanceFormHandler"]

log = logging.getLogger(__name__)

FORM_PAGE = "assistance/form.html.j2"
DONE_PAGE = "assistance/form_done.html.j2"
AREAS = tuple(AssistanceArea)
WEAPONS = tuple(WeaponCategory)


@dataclass(frozen=True)
class _Filer:
    """The PoC behind a valid link: its language, and its State's name (None: the PoC is
    not the active PoC of a State, so no request can be filed)."""

    language: str
    state: str | None


@dataclass
class TypedInput:
    """What the PoC typed, kept to show the form again."""

    areas: list[str] = field(default_factory=list)
    weapons: dict[str, str] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)
    consent: str = ""


def _state_of(session: Session, poc: pocs.PointOfContact) -> Party | None:
    party = session.get(Party, poc.party_id)
    if poc.status != pocs.PocStatus.ACTIVE or party is None or party.kind != PartyKind.STATE:
        return None
    return party


def _problem(typed: TypedInput) -> str | None:
    """The name of the sentence saying what is wrong with the input; None: it can be filed."""
    if not typed.areas:
        return "no_area"
    if any(area not in AREAS for area in typed.areas) or any(
            weapon and weapon not in WEAPONS for weapon in typed.weapons.values()):
        return "unknown_value"
    if any(len(typed.details.get(area, "")) > DETAIL_MAX for area in typed.areas):
        return "too_long"
    if typed.consent not in ("yes", "no"):
        return "no_consent"
    return None


class AssistanceFormHandler(_SignedLink):
    def initialize(self, engine: Engine, secret: str | None, clock: Clock,  # type: ignore[override]
                   valid_for: timedelta) -> None:
        super().initialize(engine, secret, clock)
        self.valid_for = valid_for

    def _issued(self, poc_id: str, issued: str, signature: str) -> date | None:
        """The day the link was issued, where its signature is valid; None otherwise."""
        if self.secret is None or not assistance_form_signature_valid(
                self.secret, int(poc_id), issued, signature):
            return None
        try:
            return datetime.strptime(issued, "%Y%m%d").date()
        except ValueError:
            return None

    def _filer(self, poc_id: int) -> _Filer | None:
        with session_scope(self.engine) as session:
            poc = pocs.get(session=session, poc_id=poc_id)
            if poc is None:
                return None
            party = _state_of(session, poc)
            return _Filer(poc.language,
                          party_name(party, poc.language).text if party else None)

    def _open(self, poc_id: str, issued: str, signature: str) -> _Filer | None:
        """The PoC of a valid, unexpired link; otherwise the page saying why is sent."""
        day = self._issued(poc_id, issued, signature)
        filer = self._filer(int(poc_id)) if day is not None else None
        if day is None or filer is None:
            self._page(DONE_PAGE, self._reader_language(), 404, state="invalid")
            return None
        if self.clock().date() > day + self.valid_for:
            log.info("poc %s: assistance form refused, the link has expired", poc_id)
            self._page(DONE_PAGE, filer.language, 410, state="expired")
            return None
        if filer.state is None:
            log.info("poc %s: assistance form refused, not the active PoC of a State", poc_id)
            self._page(DONE_PAGE, filer.language, 403, state="not_a_state")
            return None
        return filer

    def _form(self, filer: _Filer, typed: TypedInput, status: int = 200,
              problem: str | None = None) -> None:
        self._page(FORM_PAGE, filer.language, status, state=filer.state, areas=AREAS,
                   weapons=WEAPONS, typed=typed, problem=problem, detail_max=DETAIL_MAX)

    def get(self, poc_id: str, issued: str, signature: str) -> None:
        filer = self._open(poc_id, issued, signature)
        if filer is not None:
            self._form(filer, TypedInput())

    def _typed(self) -> TypedInput:
        areas = list(dict.fromkeys(self.get_body_arguments("area")))
        return TypedInput(
            areas=areas,
            weapons={area: self.get_body_argument(f"weapon_{area}", "") for area in AREAS},
            details={area: self.get_body_argument(f"detail_{area}", "").strip()
                     for area in AREAS},
            consent=self.get_body_argument("consent", ""))

    def post(self, poc_id: str, issued: str, signature: str) -> None:
        filer = self._open(poc_id, issued, signature)
        if filer is None:
            return
        typed = self._typed()
        problem = _problem(typed)
        if problem is not None:
            self._form(filer, typed, 400, problem)
            return
        request_id = self._file(int(poc_id), typed)
        if request_id is None:  # the PoC changed between the checks: nothing written
            self._page(DONE_PAGE, filer.language, 403, state="not_a_state")
            return
        log.info("poc %s: assistance request %s filed by the web form, unconfirmed",
                 poc_id, request_id)
        self._page(DONE_PAGE, filer.language, state="filed")

    def _file(self, poc_id: int, typed: TypedInput) -> int | None:
        now = self.clock()
        needs = tuple(requests.Need(area, typed.weapons.get(area) or None,
                                    typed.details.get(area, "")) for area in typed.areas)
        with session_scope(self.engine) as session:
            poc = pocs.get(session=session, poc_id=poc_id)
            party = _state_of(session, poc) if poc else None
            if party is None:
                return None
            fields = requests.RequestFields(
                received_on=now.date(), channel=RequestChannel.WEB, needs=needs,
                consent_to_publish=typed.consent == "yes")
            request = requests.add(session=session, party=party, fields=fields,
                                   actor=f"poc:{poc_id}", now=now, confirmed=False)
            return request.id
