"""Import a reporting history from a table: every row checked, then all written or none."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from storage import submissions
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
from storage.submissions import RESOLUTION_ADOPTED, Submission, SubmissionKind

REQUIRED = {"state", "kind", "date"}
OPTIONAL = {"symbol", "note"}
LIMITS = {"symbol": 80, "note": 2000}


@dataclass(frozen=True)
class _ValidRow:
    line: int
    party_id: int
    kind: str
    submitted_on: date
    symbol: str | None  # None: the file has no such column, keep what is stored
    note: str | None


def _validate_row(
    line: int, row: dict[str, str], finder: PartyFinder, today: date, problems: list[Problem]
) -> _ValidRow | None:
    start = len(problems)
    party = finder.find(row["state"]) if row["state"] else None
    if not row["state"]:
        problems.append(Problem(line, "required", {"column": "state"}))
    elif party is None:
        problems.append(Problem(line, "unknown_state", {
            "value": row["state"], "suggestion": finder.suggestion(row["state"], PartyKind.STATE)}))
    elif party.kind != PartyKind.STATE:
        problems.append(Problem(line, "not_a_state", {"value": row["state"]}))
    kind = choice(row["kind"], list(SubmissionKind), "unknown_kind", line, problems)
    submitted_on = None
    if not row["date"]:
        problems.append(Problem(line, "required", {"column": "date"}))
    else:
        submitted_on = parse_date(row["date"], "date", line, today, problems)
        if submitted_on is not None and submitted_on < RESOLUTION_ADOPTED:
            problems.append(Problem(line, "before_resolution", {"value": row["date"]}))
    check_cells(row, LIMITS, line, problems)
    if len(problems) > start or party is None or party.id is None:
        return None
    assert kind is not None and submitted_on is not None
    return _ValidRow(line, party.id, kind, submitted_on, row.get("symbol"), row.get("note"))


_Key = tuple[int, str, date]  # (State, kind, date): a submission's natural key
CHUNK_ROWS = 1000  # rows whose stored submissions are looked up with one query


def _stored(session: Session, chunk: list[_ValidRow]) -> dict[_Key, Submission]:
    """The stored submission of each row of the chunk that has one, in one query rather
    than one a row (the oldest, should two share a key, as `submissions.find` may)."""
    query = (select(Submission)
             .where(col(Submission.party_id).in_({item.party_id for item in chunk}))
             .where(col(Submission.submitted_on).in_({item.submitted_on for item in chunk}))
             .order_by(col(Submission.id)))
    wanted = {(item.party_id, item.kind, item.submitted_on) for item in chunk}
    found: dict[_Key, Submission] = {}
    for submission in session.exec(query):
        key = (submission.party_id, submission.kind, submission.submitted_on)
        if key in wanted:
            found.setdefault(key, submission)
    return found


def import_submissions(
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
    stored_first_reports = submissions.first_report_dates(session=session)
    file_first_reports: dict[int, tuple[date, int]] = {}
    first_lines = FirstLines()
    valid: list[_ValidRow] = []
    for line, row in table.rows:
        checked = _validate_row(line, row, finder, today, report.problems)
        if checked is None:
            continue
        key = (checked.party_id, checked.kind, checked.submitted_on)
        if first_lines.is_duplicate(key, line, report.problems):
            continue
        if checked.kind == SubmissionKind.FIRST_REPORT:
            # A State sends one first report; a second one is a typo for additional_info.
            stored = stored_first_reports.get(checked.party_id)
            earlier = file_first_reports.get(checked.party_id)
            if stored is not None and stored != checked.submitted_on:
                report.problems.append(Problem(line, "second_first_report", {
                    "existing": stored.isoformat()}))
                continue
            if earlier is not None:
                report.problems.append(Problem(line, "second_first_report_in_file", {
                    "first_line": str(earlier[1])}))
                continue
            file_first_reports[checked.party_id] = (checked.submitted_on, line)
        valid.append(checked)
    if report.problems:
        return report
    in_chunk: dict[_Key, Submission] = {}
    for index, item in enumerate(valid):
        if index % CHUNK_ROWS == 0:
            in_chunk = _stored(session, valid[index:index + CHUNK_ROWS])
        existing = in_chunk.get((item.party_id, item.kind, item.submitted_on))
        if existing is None:
            submissions.add(session=session, party_id=item.party_id, kind=item.kind,
                            submitted_on=item.submitted_on, symbol=item.symbol or "",
                            note=item.note or "", actor=actor, now=now)
            report.created += 1
        elif submissions.amend(
            session=session, submission=existing, actor=actor, now=now,
            symbol=existing.symbol if item.symbol is None else item.symbol,
            note=existing.note if item.note is None else item.note,
        ):
            report.updated += 1
        else:
            report.unchanged += 1
    return finish(session, report)
