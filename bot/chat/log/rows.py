"""The storage calls of the guided /log (bot.chat.log.conversation), each run in a worker thread
with a Session of its own; plain values in and out, no ORM objects.

A draft is a row of `outreach import events` columns, so what the chat saves is checked by
the importer itself. A new event is saved by storage.imports.events (as the one-liner is); a
stored event being edited is amended (storage.events.amend, audited) after the importer's
own row checks (storage.imports.events.validate_row).
"""

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.render.templates import problem_line
from storage import events
from storage.events import COMMITTEE, Event, EventView
from storage.imports.common import PartyFinder
from storage.imports.events import file_row, import_events, validate_row
from storage.imports.tabular import Table
from storage.parties import Party, PartyKind

__all__ = ["Country", "Saved", "load_event", "organisers", "save", "split_items", "state"]


@dataclass(frozen=True)
class Country:
    code: str
    name: str


@dataclass(frozen=True)
class Saved:
    """What Save did: problems (plain text, nothing written), or the outcome."""

    problems: list[str] = field(default_factory=list)
    changed: bool = False  # False with no problems: the event already had these values
    gone: bool = False  # the event being edited no longer exists
    clash: bool = False  # an edit would give the event another event's date and title


def _finder(session: Session) -> PartyFinder:
    return PartyFinder(session.exec(select(Party)))


def split_items(value: str) -> list[str]:
    """A list typed with commas or semicolons."""
    return [item.strip() for item in re.split(r"[,;]", value) if item.strip()]


def state(engine: Engine, value: str) -> Country | str:
    """The Member State typed (name, ISO3 code or a former name), else a suggestion or ""."""
    with Session(engine) as session:
        finder = _finder(session)
        party = finder.find(value, former_names=True)
        if party is not None and party.kind == PartyKind.STATE:
            return Country(party.code, party.name)
        return finder.suggestion(value, kind=PartyKind.STATE)


def organisers(engine: Engine, items: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The organisers' codes in order, each once; and the unknown ones with a suggestion."""
    codes: list[str] = []
    unknown: list[tuple[str, str]] = []
    with Session(engine) as session:
        finder = _finder(session)
        for item in items:
            party = None if item.casefold() == COMMITTEE else finder.find(item,
                                                                          former_names=True)
            if party is None and item.casefold() != COMMITTEE:
                unknown.append((item, finder.suggestion(item)))
                continue
            code = COMMITTEE if party is None else party.code
            if code not in codes:
                codes.append(code)
    return codes, unknown


def load_event(engine: Engine, event_id: int) -> tuple[dict[str, str], str] | None:
    """A live event as a row of the import's columns, and its country's name."""
    with Session(engine) as session:
        event = session.get(Event, event_id)
        if event is None or event.deleted_at is not None:
            return None
        country = (session.get(Party, event.country_party_id)
                   if event.country_party_id is not None else None)
        fields = events.fields_of(session=session, event=event)
        row = file_row(EventView(event, country, fields.audiences, fields.organisers))
        return row, "" if country is None else country.name


def save(engine: Engine, row: dict[str, str], event_id: int | None, actor: str,
         now: datetime) -> Saved:
    """Add the event as `outreach import events` would, or amend event `event_id`."""
    with Session(engine) as session:
        if event_id is None:
            table = Table(columns=list(row), rows=[(1, dict(row))])
            report = import_events(session=session, table=table, actor=actor,
                                   today=now.date(), now=now)
            if report.problems:
                session.rollback()
                # one row typed in the chat: "line 1" would say nothing
                return Saved(problems=[problem_line(replace(problem, line=None))
                                       for problem in report.problems])
            session.commit()
            return Saved(changed=bool(report.created or report.updated))
        event = session.get(Event, event_id)
        if event is None or event.deleted_at is not None:
            return Saved(gone=True)
        fields, problems = validate_row(session=session, row=row, today=now.date())
        if fields is None:
            return Saved(problems=[problem_line(problem) for problem in problems])
        other = events.find(session=session, start_date=fields.start_date, title=fields.title)
        if other is not None and other.id != event_id:
            return Saved(clash=True)
        changed = events.amend(session=session, event=event, fields=fields, actor=actor,
                               now=now)
        session.commit()
        return Saved(changed=changed)
