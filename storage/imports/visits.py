"""Import invitations to visit States, their visits, outcomes and authorities met from a table:
every row checked (each by storage.visits.records' own rules, with its line), then all written
or none (the caller rolls back when a problem is reported).

One row per invitation, matched on its State and the day it was received. The visit is the
live event of that start date and title (`visit_date`, `visit_title`); `outcomes` lists
`KIND` or `KIND@YYYY-MM-DD` (the State's submission of that day it led to), `authorities`
`CATEGORY` or `CATEGORY:name`, both separated by `;`. The outcomes listed are recorded (each
replacing the same kind); the authorities listed replace those recorded.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from storage import events
from storage.imports.common import (
    FirstLines,
    ImportReport,
    PartyFinder,
    begin,
    check_cells,
    finish,
    parse_date,
)
from storage.imports.tabular import Table
from storage.parties import Party, PartyKind
from storage.problems import Problem
from storage.submissions import Submission
from storage.visits import records
from storage.visits.model import OUTCOME_SUBMISSION_KINDS, VisitInvitation
from storage.visits.records import VisitError

REQUIRED = {"state", "received_on", "form"}
OPTIONAL = {"reference", "note", "visit_date", "visit_title", "outcomes", "authorities"}
COLUMNS = ("state", "received_on", "form", "reference", "note", "visit_date", "visit_title",
           "outcomes", "authorities")
LIMITS = {"reference": 80, "note": 1000, "visit_title": 300}


@dataclass(frozen=True)
class _Row:
    line: int
    state: Party
    received_on: date
    values: dict[str, str]


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


def _checked(line: int, row: dict[str, str], finder: PartyFinder, today: date,
             problems: list[Problem]) -> _Row | None:
    start = len(problems)
    for column in sorted(REQUIRED):
        if not row.get(column):
            problems.append(Problem(line, "required", {"column": column}))
    state = finder.find(row["state"]) if row.get("state") else None
    if row.get("state") and (state is None or state.kind != PartyKind.STATE):
        problems.append(Problem(line, "unknown_state", {
            "value": row["state"], "suggestion": finder.suggestion(row["state"],
                                                                    PartyKind.STATE)}))
    received = (parse_date(row["received_on"], "received_on", line, today, problems)
                if row.get("received_on") else None)
    if bool(row.get("visit_date")) != bool(row.get("visit_title")):
        problems.append(Problem(line, "visit_event_half_given", {}))
    elif row.get("visit_date"):
        parse_date(row["visit_date"], "visit_date", line, today, problems)
    check_cells(row, LIMITS, line, problems)
    if len(problems) > start or state is None or received is None:
        return None
    return _Row(line, state, received, row)


def _submission(session: Session, state: Party, kind: str, value: str) -> int:
    """The State's submission of that day fitting the outcome, else a VisitError."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise VisitError("visit_bad_outcome", value=value) from None
    query = select(Submission).where(Submission.party_id == state.id,
                                     Submission.submitted_on == day)
    kinds = OUTCOME_SUBMISSION_KINDS.get(kind)
    if kinds is not None:
        query = query.where(col(Submission.kind).in_(kinds))
    found = session.exec(query.order_by(col(Submission.id))).first()
    if found is None or found.id is None:
        raise VisitError("visit_no_submission_that_day", state=state.code, day=value,
                         outcome=kind)
    return found.id


def _write(session: Session, item: _Row, actor: str, now: datetime) -> bool | None:
    """Write one row; True: created, False: changed, None: unchanged."""
    values = item.values
    existing = session.exec(select(VisitInvitation).where(
        VisitInvitation.party_id == item.state.id,
        VisitInvitation.received_on == item.received_on)).first()
    created = existing is None
    invitation = existing or records.invite(
        session=session, state=item.state, received_on=item.received_on,
        form=values["form"], reference=values.get("reference", ""),
        note=values.get("note", ""), actor=actor, now=now)
    before = records.snapshot(session=session, invitation=invitation)
    if values.get("visit_date"):
        event = events.find(session=session, start_date=date.fromisoformat(values["visit_date"]),
                            title=values["visit_title"])
        if event is None or event.id is None:
            raise VisitError("visit_no_event_that_day", day=values["visit_date"],
                             title=values["visit_title"])
        records.link(session=session, invitation=invitation, event_id=event.id, actor=actor,
                     now=now)
    for entry in _split(values.get("outcomes", "")):
        kind, _, day = (part.strip() for part in entry.partition("@"))
        kind = kind.lower()
        submission = _submission(session, item.state, kind, day) if day else None
        records.set_outcome(session=session, invitation=invitation, outcome=kind,
                            submission_id=submission, detail="", actor=actor, now=now)
    if values.get("authorities"):
        met = [records.parse_authority(entry) for entry in _split(values["authorities"])]
        records.set_authorities(session=session, invitation=invitation, authorities=met,
                                actor=actor, now=now)
    if created:
        return True
    return False if records.snapshot(session=session, invitation=invitation) != before else None


def import_visits(*, session: Session, table: Table, actor: str, today: date, now: datetime,
                  dry_run: bool = False) -> ImportReport:
    """Check every row, then write them in order; each refusal is a problem with its line
    (the rows after it are still checked). Nothing stays written when there is a problem."""
    report = begin(table, REQUIRED, OPTIONAL, dry_run)
    if report.problems:
        return report
    finder = PartyFinder(session.exec(select(Party)))
    first_lines = FirstLines()
    valid: list[_Row] = []
    for line, row in table.rows:
        checked = _checked(line, row, finder, today, report.problems)
        if checked is None:
            continue
        if not first_lines.is_duplicate((checked.state.code, checked.received_on), line,
                                        report.problems):
            valid.append(checked)
    if report.problems:
        return report
    for item in valid:
        try:
            outcome = _write(session, item, actor, now)
        except VisitError as error:
            report.problems.append(Problem(item.line, error.code, error.params))
            continue
        if outcome is True:
            report.created += 1
        elif outcome is False:
            report.updated += 1
        else:
            report.unchanged += 1
    if report.problems:
        session.rollback()
        return report
    return finish(session, report)
