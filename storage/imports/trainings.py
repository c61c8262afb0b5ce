"""Import the attendance of Point of Contact training courses (and the region each course
served) from a table: every row checked, then all written or none.

A row names the course (`course`: the event's id, as `outreach trainings list` shows it), the
region it served (`region`, optional: TrainingRegion), and a PoC who attended: the State
(`state`, ISO3 or name) and one of the PoC's e-mail addresses (`email`). A row with a region
and neither State nor e-mail only records the region.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from storage import trainings
from storage.events import Event, EventType
from storage.imports.common import (
    FirstLines,
    ImportReport,
    PartyFinder,
    begin,
    check_cells,
    choice,
    finish,
)
from storage.imports.tabular import Table
from storage.parties import Party, PartyKind
from storage.pocs import PocEmail, PointOfContact
from storage.problems import Problem
from storage.trainings import TrainingRegion

REQUIRED = {"course"}
OPTIONAL = {"region", "state", "email"}
LIMITS = {"course": 20, "region": 40, "state": 200, "email": 320}


@dataclass(frozen=True)
class _ValidRow:
    line: int
    event: Event
    region: str | None
    poc: PointOfContact | None


def region_choice(value: str, line: int | None, problems: list[Problem]) -> str | None:
    """A region as typed ("Asia-Pacific", "asia_pacific"), or a problem naming the list."""
    return choice(value, list(TrainingRegion), "training_unknown_region", line, problems,
                  normalise=lambda text: text.strip().lower().replace(" ", "_")
                  .replace("-", "_"))


def _course(session: Session, value: str, line: int, problems: list[Problem]) -> Event | None:
    if not value:
        problems.append(Problem(line, "required", {"column": "course"}))
        return None
    if not value.isdecimal():
        problems.append(Problem(line, "training_bad_course", {"value": value}))
        return None
    event = session.get(Event, int(value))
    if event is None or event.deleted_at is not None:
        problems.append(Problem(line, "training_unknown_course", {"id": value}))
        return None
    if event.type != EventType.POC_TRAINING:
        problems.append(Problem(line, "training_not_a_course", {"id": value,
                                                                "type": event.type}))
        return None
    return event


def _poc(session: Session, row: dict[str, str], finder: PartyFinder, line: int,
         problems: list[Problem]) -> PointOfContact | None:
    state, email = row.get("state", "").strip(), row.get("email", "").strip().lower()
    if not state or not email:
        for column, value in (("state", state), ("email", email)):
            if not value:
                problems.append(Problem(line, "required", {"column": column}))
        return None
    party = finder.find(state)
    if party is None:
        problems.append(Problem(line, "unknown_state", {
            "value": state, "suggestion": finder.suggestion(state, PartyKind.STATE)}))
        return None
    if party.kind != PartyKind.STATE:
        problems.append(Problem(line, "training_not_a_state", {"value": state}))
        return None
    found = list(session.exec(
        select(PointOfContact).join(PocEmail, col(PocEmail.poc_id) == col(PointOfContact.id))
        .where(PointOfContact.party_id == party.id, PocEmail.address == email)).unique())
    if not found:
        problems.append(Problem(line, "training_unknown_poc", {"state": party.code,
                                                               "email": email}))
        return None
    return found[0]


def _validate_row(session: Session, line: int, row: dict[str, str], finder: PartyFinder,
                  problems: list[Problem]) -> _ValidRow | None:
    start = len(problems)
    check_cells(row, LIMITS, line, problems)
    event = _course(session, row["course"].strip(), line, problems)
    region = None
    if row.get("region", "").strip():
        region = region_choice(row["region"], line, problems)
    poc = None
    if row.get("state", "").strip() or row.get("email", "").strip() or region is None:
        poc = _poc(session, row, finder, line, problems)
    if len(problems) > start or event is None:
        return None
    return _ValidRow(line, event, region, poc)


def import_attendance(
    *, session: Session, table: Table, actor: str, today: date, now: datetime,
    dry_run: bool = False,
) -> ImportReport:
    """Validate every row; write nothing unless every row is good (and not a dry run).

    `created` counts the attendances recorded, `updated` the courses whose region changed,
    `unchanged` the rows that were recorded already. `today` is unused (no dates)."""
    del today
    report = begin(table, REQUIRED, OPTIONAL, dry_run)
    if report.problems:
        return report
    finder = PartyFinder(session.exec(select(Party)))
    first_lines = FirstLines()
    regions: dict[int, tuple[str, int]] = {}
    valid: list[_ValidRow] = []
    for line, row in table.rows:
        checked = _validate_row(session, line, row, finder, report.problems)
        if checked is None:
            continue
        event_id = checked.event.id or 0
        if checked.region is not None:
            first = regions.setdefault(event_id, (checked.region, line))
            if first[0] != checked.region:
                report.problems.append(Problem(line, "training_region_conflict", {
                    "id": str(event_id), "first_line": str(first[1]), "region": first[0]}))
                continue
        if checked.poc is not None and first_lines.is_duplicate(
                (event_id, checked.poc.id), line, report.problems):
            continue
        valid.append(checked)
    if report.problems:
        return report
    for item in valid:
        changed = item.region is not None and trainings.set_region(
            session=session, event=item.event, region=item.region, actor=actor, now=now)
        attended = item.poc is not None and trainings.attend(
            session=session, event=item.event, poc=item.poc, actor=actor, now=now)
        report.updated += int(changed)
        report.created += int(attended)
        report.unchanged += int(not changed and not attended)
    return finish(session, report)
