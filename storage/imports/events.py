"""Import outreach events from a table: every row checked, then all written or none."""

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import Session, col, select

from storage import events
from storage.events import (
    COMMITTEE,
    Audience,
    CommitteeRole,
    Event,
    EventFields,
    EventMode,
    EventType,
    EventView,
    IroInvolvement,
    LeadBody,
)
from storage.imports.common import (
    FirstLines,
    ImportReport,
    PartyFinder,
    begin,
    check_cells,
    choice,
    finish,
    parse_date,
)
from storage.imports.tabular import Table
from storage.parties import Party, PartyKind
from storage.problems import Problem

REQUIRED = {"start_date", "title"}
OPTIONAL = {"end_date", "city", "country", "mode", "type", "organisers", "iro_involvement",
            "audiences", "participants", "committee_role", "source_url", "notes", "lead_body"}
LIMITS = {"title": 300, "city": 120, "source_url": 500, "notes": 2000}


@dataclass(frozen=True)
class _ValidRow:
    line: int
    fields: EventFields  # with defaults where the file has no such column
    present: frozenset[str]  # optional columns the file has; the others keep stored values


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


def _country(
    value: str, finder: PartyFinder, line: int, problems: list[Problem]
) -> int | None:
    if not value:
        return None
    party = finder.find(value)
    if party is None:
        problems.append(Problem(line, "unknown_state", {
            "value": value, "suggestion": finder.suggestion(value, PartyKind.STATE)}))
    elif party.kind != PartyKind.STATE:
        problems.append(Problem(line, "country_not_a_state", {"value": value}))
    else:
        return party.id
    return None


def _organisers(
    value: str, finder: PartyFinder, line: int, problems: list[Problem]
) -> tuple[str, ...]:
    codes: list[str] = []
    for item in _split(value):
        if item.casefold() == COMMITTEE:
            code = COMMITTEE
        else:
            party = finder.find(item)
            if party is None:
                problems.append(Problem(line, "unknown_organiser", {
                    "value": item, "suggestion": finder.suggestion(item)}))
                continue
            code = party.code
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _audiences(value: str, line: int, problems: list[Problem]) -> tuple[str, ...]:
    wanted = {choice(item, list(Audience), "unknown_audience", line, problems)
              for item in _split(value)}
    return tuple(audience.value for audience in Audience if audience.value in wanted)


def _participants(value: str, line: int, problems: list[Problem]) -> int | None:
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return int(value)
    problems.append(Problem(line, "bad_participants", {"value": value}))
    return None


def _coded(value: str, allowed: list[str], code: str, default: str, line: int,
           problems: list[Problem]) -> str:
    if not value:
        return default
    return choice(value, allowed, code, line, problems) or default


def _validate_row(
    line: int, row: dict[str, str], finder: PartyFinder, today: date, problems: list[Problem]
) -> _ValidRow | None:
    start = len(problems)
    title = row["title"]
    if not title:
        problems.append(Problem(line, "required", {"column": "title"}))
    start_date = end_date = None
    if not row["start_date"]:
        problems.append(Problem(line, "required", {"column": "start_date"}))
    else:
        start_date = parse_date(row["start_date"], "start_date", line, today, problems)
    if row.get("end_date"):
        end_date = parse_date(row["end_date"], "end_date", line, today, problems)
        if start_date is not None and end_date is not None and end_date < start_date:
            problems.append(Problem(line, "end_before_start", {
                "start": start_date.isoformat(), "end": end_date.isoformat()}))
    else:
        end_date = start_date
    country_party_id = _country(row.get("country", ""), finder, line, problems)
    mode = _coded(row.get("mode", ""), list(EventMode), "unknown_mode", EventMode.IN_PERSON,
                  line, problems)
    event_type = _coded(row.get("type", ""), list(EventType), "unknown_event_type",
                        EventType.OTHER, line, problems)
    involvement = _coded(row.get("iro_involvement", ""), list(IroInvolvement),
                         "unknown_iro_involvement", IroInvolvement.NONE, line, problems)
    role = (choice(row["committee_role"], list(CommitteeRole), "unknown_committee_role", line,
                   problems) if row.get("committee_role") else None)
    lead_body = _coded(row.get("lead_body", ""), list(LeadBody), "unknown_lead_body",
                       LeadBody.COMMITTEE, line, problems)
    organisers = _organisers(row.get("organisers", ""), finder, line, problems)
    audiences = _audiences(row.get("audiences", ""), line, problems)
    participants = _participants(row.get("participants", ""), line, problems)
    source_url = row.get("source_url", "")
    if source_url and not source_url.lower().startswith(("http://", "https://")):
        problems.append(Problem(line, "bad_url", {"value": source_url}))
    check_cells(row, LIMITS, line, problems)
    if len(problems) > start:
        return None
    assert start_date is not None and end_date is not None
    fields = EventFields(
        title=title, start_date=start_date, end_date=end_date, city=row.get("city", ""),
        country_party_id=country_party_id, mode=mode, type=event_type,
        iro_involvement=involvement, participants=participants, committee_role=role,
        source_url=source_url, notes=row.get("notes", ""), lead_body=lead_body,
        audiences=audiences,
        organisers=organisers,
    )
    return _ValidRow(line, fields, frozenset(column for column in OPTIONAL if column in row))


def validate_row(
    *, session: Session, row: dict[str, str], today: date
) -> tuple[EventFields | None, list[Problem]]:
    """One row checked exactly as import_events checks each line (header, then cells): the
    fields it gives (defaults for absent columns), or the problems (line None)."""
    table = Table(columns=list(row), rows=[(1, dict(row))])
    report = begin(table, REQUIRED, OPTIONAL, dry_run=True)
    if report.problems:
        return None, [replace(problem, line=None) for problem in report.problems]
    problems: list[Problem] = []
    finder = PartyFinder(session.exec(select(Party)))
    full = {column: row.get(column, "") for column in REQUIRED} | row
    checked = _validate_row(1, full, finder, today, problems)
    if checked is None:
        return None, [replace(problem, line=None) for problem in problems]
    return checked.fields, []


# file column -> the EventFields attribute it sets
_COLUMN_FIELDS = {"end_date": "end_date", "city": "city", "country": "country_party_id",
                  "mode": "mode", "type": "type", "organisers": "organisers",
                  "iro_involvement": "iro_involvement", "audiences": "audiences",
                  "participants": "participants", "committee_role": "committee_role",
                  "source_url": "source_url", "notes": "notes", "lead_body": "lead_body"}


def _merged(stored: EventFields, item: _ValidRow) -> EventFields:
    """The file's values over the stored ones, for the columns the file has."""
    changes = {_COLUMN_FIELDS[column]: getattr(item.fields, _COLUMN_FIELDS[column])
               for column in item.present}
    return replace(stored, title=item.fields.title, **changes)


CHUNK_ROWS = 1000  # rows whose stored events are looked up with one query


def _stored(session: Session, chunk: list[_ValidRow]) -> dict[tuple[date, str], Event]:
    """The live event each row of the chunk names, by (start date, title case-folded), as
    `events.find` finds it a row at a time, in one query (titles folded in Python, as
    there: SQLite's lower() knows only ASCII)."""
    query = (select(Event)
             .where(col(Event.start_date).in_({item.fields.start_date for item in chunk}))
             .where(col(Event.deleted_at).is_(None))
             .order_by(col(Event.id)))
    found: dict[tuple[date, str], Event] = {}
    for event in session.exec(query):
        found.setdefault((event.start_date, event.title.casefold()), event)
    return found


def import_events(
    *, session: Session, table: Table, actor: str, today: date, now: datetime,
    dry_run: bool = False,
) -> ImportReport:
    """Validate every row; write nothing unless every row is good (and not a dry run).

    `today` bounds the dates a row may give; `now` stamps what is written (audited).
    """
    report = begin(table, REQUIRED, OPTIONAL, dry_run)
    if report.problems:
        return report
    finder = PartyFinder(session.exec(select(Party)))
    first_lines = FirstLines()
    valid: list[_ValidRow] = []
    for line, row in table.rows:
        checked = _validate_row(line, row, finder, today, report.problems)
        if checked is None:
            continue
        key = (checked.fields.start_date, checked.fields.title.casefold())
        if first_lines.is_duplicate(key, line, report.problems):
            continue
        valid.append(checked)
    if report.problems:
        return report
    in_chunk: dict[tuple[date, str], Event] = {}
    for index, item in enumerate(valid):
        if index % CHUNK_ROWS == 0:
            in_chunk = _stored(session, valid[index:index + CHUNK_ROWS])
        existing = in_chunk.get((item.fields.start_date, item.fields.title.casefold()))
        if existing is None:
            events.add(session=session, fields=item.fields, actor=actor, now=now)
            report.created += 1
            continue
        # the start date is part of the key and a stored end is never before it
        merged = _merged(events.fields_of(session=session, event=existing), item)
        if events.amend(session=session, event=existing, fields=merged, actor=actor,
                        now=now):
            report.updated += 1
        else:
            report.unchanged += 1
    return finish(session, report)


def file_row(view: EventView) -> dict[str, str]:
    """An event as a row of the import's columns: an exported file imports back unchanged."""
    event = view.event
    return {
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "title": event.title,
        "city": event.city,
        "country": view.country.code if view.country else "",
        "mode": event.mode,
        "type": event.type,
        "organisers": ";".join(view.organisers),
        "iro_involvement": event.iro_involvement,
        "audiences": ";".join(view.audiences),
        "participants": "" if event.participants is None else str(event.participants),
        "committee_role": event.committee_role or "",
        "source_url": event.source_url,
        "notes": event.notes,
        "lead_body": event.lead_body,
    }
