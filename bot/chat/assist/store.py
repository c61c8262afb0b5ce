"""The storage calls of a PoC's /assist and of /mystatus's assistance lines, each run in a
worker thread with a Session of its own.

A request is filed for the PoC's own State only, read again from the PoC's record at Send
(never from what the chat sent): channel telegram, received today (the services' clock),
unconfirmed (it counts nowhere until staff confirm it), audited as actor "poc:<id>".
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.chat.assist.draft import Draft
from storage import pocs
from storage.assistance import requests
from storage.assistance.model import RequestChannel
from storage.parties import Party, PartyKind
from storage.party_names import party_name

__all__ = ["RequestLine", "file_request", "lines", "state_of"]


def state_of(engine: Engine, party_id: int, language: str) -> str | None:
    """The State's name in `language`; None when the party is not a State."""
    with Session(engine) as session:
        party = session.get(Party, party_id)
        if party is None or party.kind != PartyKind.STATE:
            return None
        return party_name(party, language).text


def file_request(engine: Engine, draft: Draft, chat_id: int, now: datetime) -> int | None:
    """Record the draft as an unconfirmed request of the PoC's State; None when the PoC is
    no longer the active PoC of a State bound to this chat (nothing written)."""
    with Session(engine) as session:
        poc = pocs.get(session=session, poc_id=draft.poc_id)
        if (poc is None or poc.status != pocs.PocStatus.ACTIVE
                or poc.telegram_chat_id != chat_id):
            return None
        party = session.get(Party, poc.party_id)
        if party is None or party.kind != PartyKind.STATE:
            return None
        fields = requests.RequestFields(
            received_on=now.date(), channel=RequestChannel.TELEGRAM, needs=draft.needs(),
            consent_to_publish=draft.consent)
        request = requests.add(session=session, party=party, fields=fields,
                               actor=f"poc:{draft.poc_id}", now=now, confirmed=False)
        session.commit()
        return request.id


@dataclass(frozen=True)
class RequestLine:
    """One request as /mystatus shows it to the State's PoC."""

    received_on: date
    areas: tuple[str, ...]
    status: str
    confirmed: bool


def lines(session: Session, party_id: int) -> list[RequestLine]:
    """The State's requests, oldest first."""
    return [RequestLine(view.request.received_on, view.areas, view.request.status,
                        view.request.confirmed_at is not None)
            for view in requests.listing(session=session, party_id=party_id)]
