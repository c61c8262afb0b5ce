"""What the staff's assistance commands show and do, read and written in one Session each
(the handlers of bot.chat.assistance call these in a worker thread).

    state_view      /assist STATE: the State's requests, needs, step, confirmation, offers
    requests_page   /requests [area]: a page of open requests with their buttons
    act             a button pressed under a request: confirm, the next step, publish

The buttons carry everything they need (Press: the request, the step it was shown at, the
page), so they still work after a restart; a request that moved since its list was shown is
not changed. Words: templates/chat/<language>/assistance.html.j2, in the reader's language
(bot.chat.common.say; `language` names another for the sentences and buttons).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.chat.common import fitted, say
from storage.assistance import providers, requests
from storage.assistance.model import (
    CLOSED,
    CLOSED_AFTER_MATCH,
    PROCEDURE,
    AssistanceArea,
    RequestStatus,
)
from storage.assistance.requests import AssistanceError, RequestView
from storage.imports.common import PartyFinder
from storage.parties import Party, PartyKind

__all__ = ["ACTION_PATTERN", "ALL_AREAS", "PAGE_PATTERN", "PAGE_SIZE", "Press", "Shown",
           "act", "next_steps", "requests_page", "state_view"]

PAGE_SIZE = 5
ALL_AREAS = "*"  # a page of every area's requests
# Callback data (at most 64 bytes): "areq:g:<area>:<offset>" pages, and
# "areq:<c|p|s>:<request>:<step shown>:<step wanted|->:<area>:<offset>" acts.
PAGE_PATTERN = r"^areq:g:[a-z0-9_*]{1,20}:[0-9]{1,6}$"
ACTION_PATTERN = r"^areq:[cps]:[0-9]{1,9}:[a-z_]{1,20}:[a-z_-]{1,20}:[a-z0-9_*]{1,20}:[0-9]{1,6}$"
STALE_PATTERN = r"^areq:"  # any other button of ours: an older version's, or garbled

# Publishing is possible from these steps (storage.assistance.requests.publish).
_PUBLISHABLE = PROCEDURE[PROCEDURE.index(RequestStatus.OPEN):]


def _say(message: str, language: str | None, **params: Any) -> str:
    return say("assistance", message, language, **params)


@dataclass(frozen=True)
class Shown:
    text: str
    markup: InlineKeyboardMarkup | None


@dataclass(frozen=True)
class Press:
    """A button under a request: what to do, to which request, seen at which step, and the
    page to show again afterwards."""

    action: str  # "c" confirm, "p" publish, "s" step
    request_id: int
    seen: str  # the step the request was at when its list was shown
    to: str  # the step wanted ("-" for confirm and publish)
    area: str | None
    offset: int

    @property
    def data(self) -> str:
        return (f"areq:{self.action}:{self.request_id}:{self.seen}:{self.to}:"
                f"{self.area or ALL_AREAS}:{self.offset}")

    @classmethod
    def parse(cls, data: str) -> "Press | None":
        if not re.match(ACTION_PATTERN, data):
            return None
        _, action, request_id, seen, to, area, offset = data.split(":")
        return cls(action, int(request_id), seen, to, None if area == ALL_AREAS else area,
                   int(offset))


def page_data(area: str | None, offset: int) -> str:
    return f"areq:g:{area or ALL_AREAS}:{offset}"


def parse_page(data: str) -> tuple[str | None, int] | None:
    if not re.match(PAGE_PATTERN, data):
        return None
    _, _, area, offset = data.split(":")
    return (None if area == ALL_AREAS else area), int(offset)


def next_steps(status: str) -> tuple[str, ...]:
    """The steps a button may move a request to: the procedure's next one (not "matched",
    which the Committee records with a provider: `outreach assistance match`), and met or
    partly met once the assistance is in progress. Withdrawing and lapsing stay with the
    command line, where they are typed on purpose."""
    if status in CLOSED:
        return ()
    position = PROCEDURE.index(RequestStatus(status))
    if position + 1 < len(PROCEDURE):
        following = PROCEDURE[position + 1]
        return () if following == RequestStatus.MATCHED else (str(following),)
    return tuple(str(step) for step in CLOSED_AFTER_MATCH)


# -- reading ----------------------------------------------------------------------------------


def _item(session: Session, view: RequestView, today: date) -> dict[str, Any]:
    request = view.request
    assert request.id is not None
    offers = [{"provider": party.name, "status": made.status, "offered_on": made.offered_on}
              for made, party in providers.offers(session=session, request_id=request.id)]
    return {"id": request.id, "state": view.party.name, "code": view.party.code,
            "received_on": request.received_on, "channel": request.channel,
            "reference": request.reference, "status": request.status,
            "days": (today - request.status_on).days, "closed": request.status in CLOSED,
            "confirmed": request.confirmed_at is not None,
            "consent": request.consent_to_publish, "published_on": request.published_on,
            "needs": [{"area": need.area, "weapon": need.weapon, "detail": need.detail}
                      for need in view.needs],
            "offers": offers}


def state_view(engine: Engine, value: str, today: date,
               language: str | None = None) -> str:
    """The /assist answer for the State typed (code, name or former name)."""
    with Session(engine) as session:
        finder = PartyFinder(session.exec(select(Party)))
        party = finder.find(value, former_names=True)
        if party is None or party.id is None or party.kind != PartyKind.STATE:
            return _say("unknown_state", language, value=value,
                        suggestion=finder.suggestion(value, kind=PartyKind.STATE))
        items = [_item(session, view, today)
                 for view in requests.listing(session=session, party_id=party.id)]
    return fitted("assistance", "state", items, name=party.name, code=party.code)


def _buttons(item: dict[str, Any], area: str | None, offset: int,
             language: str | None) -> list[InlineKeyboardButton]:
    def press(action: str, to: str = "-") -> str:
        return Press(action, item["id"], item["status"], to, area, offset).data

    found = []
    if not item["confirmed"]:
        found.append(InlineKeyboardButton(_say("confirm_button", language, id=item["id"]),
                                          callback_data=press("c")))
    for step in next_steps(item["status"]):
        found.append(InlineKeyboardButton(
            _say("step_button", language, id=item["id"], status=step),
            callback_data=press("s", step)))
    if item["consent"] and item["published_on"] is None and item["status"] in _PUBLISHABLE:
        found.append(InlineKeyboardButton(_say("publish_button", language, id=item["id"]),
                                          callback_data=press("p")))
    return found


def requests_page(engine: Engine, area: str | None, offset: int, today: date,
                  language: str | None = None) -> Shown:
    """The page of open requests (of `area`) at `offset`, or the last page when requests
    closed since the list was shown."""
    with Session(engine) as session:
        views = requests.listing(session=session, area=area, open_only=True)
        total = len(views)
        if not total:
            return Shown(_say("no_open_requests", language, area=area), None)
        offset = min(offset, (total - 1) // PAGE_SIZE * PAGE_SIZE)
        items = [_item(session, view, today) for view in views[offset:offset + PAGE_SIZE]]
    rows = [_buttons(item, area, offset, language) for item in items]
    paging = []
    if offset > 0:
        paging.append(InlineKeyboardButton(_say("previous_button", language),
                                           callback_data=page_data(area, offset - PAGE_SIZE)))
    if offset + PAGE_SIZE < total:
        paging.append(InlineKeyboardButton(_say("next_button", language),
                                           callback_data=page_data(area, offset + PAGE_SIZE)))
    keyboard = [row for row in [*rows, paging] if row]
    text = fitted("assistance", "page", items, area=area, first=offset + 1,
                  last=offset + len(items), total=total)
    return Shown(text, InlineKeyboardMarkup(keyboard) if keyboard else None)


def known_area(value: str) -> bool:
    return value in set(AssistanceArea)


def unknown_area(value: str, language: str | None = None) -> str:
    return _say("unknown_area", language, value=value, areas=[str(a) for a in AssistanceArea])


# -- writing ----------------------------------------------------------------------------------


def act(engine: Engine, press: Press, actor: str, now: datetime,
        language: str | None = None) -> str:
    """Do what the button says, audited; the sentence for the pop-up. A request that moved
    since its list was shown, or a change storage refuses, changes nothing."""
    with Session(engine) as session:
        try:
            request = requests.get(session=session, request_id=press.request_id)
            if press.action != "c" and request.status != press.seen:
                return _say("moved_on", language, id=press.request_id, status=request.status)
            if press.action == "c":
                done = requests.confirm(session=session, request=request, actor=actor,
                                        now=now)
                said = _say("confirmed" if done else "already_confirmed", language,
                            id=press.request_id)
            elif press.action == "p":
                requests.publish(session=session, request=request, on=now.date(),
                                 actor=actor, now=now)
                said = _say("published", language, id=press.request_id)
            elif press.to in next_steps(request.status):
                requests.advance(session=session, request=request, to=press.to,
                                 on=now.date(), actor=actor, now=now)
                said = _say("moved", language, id=press.request_id, status=press.to)
            else:  # a step no button of this version offers
                raise AssistanceError("assistance_bad_step", id=str(press.request_id),
                                      current=request.status)
            session.commit()
        except AssistanceError as error:
            session.rollback()
            return _say("refused", language, code=error.code, params=error.params)
    return said
