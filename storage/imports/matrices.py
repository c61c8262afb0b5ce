"""Import the experts' matrix spreadsheet: every row checked, then all written or none.

One row per State, version, section and weapon category (twelve rows make a version): the
version's own columns (template and its three dates) are repeated on each of its rows and must
agree. A version is identified by its State and number: an exported file imports back
unchanged, a changed version is replaced (audited).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

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
from storage.matrices import versions
from storage.matrices.model import (
    CURRENT_TEMPLATE,
    FIRST_TEMPLATE,
    MAX_MEASURES,
    MatrixCategory,
    MatrixSection,
)
from storage.matrices.versions import CELLS, Cell, VersionFields, VersionView
from storage.parties import Party, PartyKind
from storage.problems import Problem
from storage.submissions import RESOLUTION_ADOPTED

REQUIRED = {"state", "version", "sent_on", "section", "category", "recorded", "possible"}
OPTIONAL = {"template", "approved_on", "published_on"}
COLUMNS = ("state", "version", "template", "sent_on", "approved_on", "published_on",
           "section", "category", "recorded", "possible")
_WHOLE = re.compile(r"\s*(\d{1,6})(?:\.0*)?\s*")  # a spreadsheet may write 12 as 12.0


@dataclass(frozen=True)
class _Head:
    """A version's own columns, as a row gives them."""

    template: int
    sent_on: date
    approved_on: date | None
    published_on: date | None


@dataclass(frozen=True)
class _ValidRow:
    line: int
    party: Party
    version: int
    head: _Head
    cell: Cell


def _whole(row: dict[str, str], column: str, line: int, problems: list[Problem],
           least: int, most: int) -> int | None:
    value = row.get(column, "")
    found = _WHOLE.fullmatch(value)
    if found is None or not least <= int(found.group(1)) <= most:
        problems.append(Problem(line, "matrix_bad_number", {
            "column": column, "value": value, "least": str(least), "most": str(most)}))
        return None
    return int(found.group(1))


def _state(value: str, finder: PartyFinder, line: int, problems: list[Problem]) -> Party | None:
    party = finder.find(value) if value else None
    if not value:
        problems.append(Problem(line, "required", {"column": "state"}))
    elif party is None:
        problems.append(Problem(line, "unknown_state", {
            "value": value, "suggestion": finder.suggestion(value, PartyKind.STATE)}))
    elif party.kind != PartyKind.STATE:
        problems.append(Problem(line, "matrix_not_a_state", {"value": value}))
    else:
        return party
    return None


def _day(row: dict[str, str], column: str, line: int, today: date,
         problems: list[Problem]) -> date | None:
    value = row.get(column, "")
    if not value:
        if column in REQUIRED:
            problems.append(Problem(line, "required", {"column": column}))
        return None
    parsed = parse_date(value, column, line, today, problems)
    if parsed is not None and parsed < RESOLUTION_ADOPTED:
        problems.append(Problem(line, "before_resolution", {"value": value}))
        return None
    return parsed


def _head(row: dict[str, str], line: int, today: date, problems: list[Problem]
          ) -> _Head | None:
    start = len(problems)
    template = (_whole(row, "template", line, problems, FIRST_TEMPLATE, today.year)
                if row.get("template") else CURRENT_TEMPLATE)
    days = [_day(row, column, line, today, problems)
            for column in ("sent_on", "approved_on", "published_on")]
    if len(problems) > start or template is None or days[0] is None:
        return None
    head = _Head(template, days[0], days[1], days[2])
    found = versions.date_problem(VersionFields(head.template, head.sent_on, head.approved_on,
                                                head.published_on, ()))
    if found is not None:
        problems.append(Problem(line, found[0], found[1]))
        return None
    return head


def _cell(row: dict[str, str], line: int, problems: list[Problem]) -> Cell | None:
    start = len(problems)
    section = choice(row["section"], list(MatrixSection), "matrix_unknown_section", line,
                     problems)
    category = choice(row["category"], list(MatrixCategory), "matrix_unknown_category", line,
                      problems)
    recorded = _whole(row, "recorded", line, problems, 0, MAX_MEASURES)
    possible = _whole(row, "possible", line, problems, 0, MAX_MEASURES)
    if recorded is not None and possible is not None and recorded > possible:
        problems.append(Problem(line, "matrix_recorded_over_possible", {
            "recorded": str(recorded), "possible": str(possible)}))
    if len(problems) > start or section is None or category is None:
        return None
    assert recorded is not None and possible is not None
    return Cell(section, category, recorded, possible)


def _validate_row(line: int, row: dict[str, str], finder: PartyFinder, today: date,
                  problems: list[Problem]) -> _ValidRow | None:
    start = len(problems)
    party = _state(row["state"], finder, line, problems)
    number = _whole(row, "version", line, problems, 1, 999)
    head = _head(row, line, today, problems)
    cell = _cell(row, line, problems)
    check_cells(row, {}, line, problems)
    if len(problems) > start or party is None or number is None:
        return None
    assert head is not None and cell is not None
    return _ValidRow(line, party, number, head, cell)


def _versions(valid: Sequence[_ValidRow], problems: list[Problem]
              ) -> list[tuple[_ValidRow, list[Cell]]]:
    """The rows grouped by version: (its first row, its cells); a version whose rows
    disagree on its own columns, or that lacks a cell, is a problem."""
    groups: dict[tuple[int, int], tuple[_ValidRow, list[Cell]]] = {}
    for item in valid:
        key = (item.party.id or 0, item.version)
        first, cells = groups.setdefault(key, (item, []))
        if item.head != first.head:
            problems.append(Problem(item.line, "matrix_version_disagrees", {
                "first_line": str(first.line)}))
        cells.append(item.cell)
    for first, cells in groups.values():
        missing = sorted(set(CELLS) - {(c.section, c.category) for c in cells})
        if missing:
            problems.append(Problem(first.line, "matrix_cells_missing", {
                "version": str(first.version), "state": first.party.code,
                "missing": ", ".join(f"{s}/{c}" for s, c in missing)}))
    return list(groups.values())


def import_matrices(
    *, session: Session, table: Table, actor: str, today: date, now: datetime,
    dry_run: bool = False,
) -> ImportReport:
    """Validate every row; write nothing unless every row is good (and not a dry run).

    `today` bounds the dates a row may give; `now` stamps what is written (audited). The
    report counts versions, not rows."""
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
        key = (checked.party.id, checked.version, checked.cell.section, checked.cell.category)
        if not first_lines.is_duplicate(key, line, report.problems):
            valid.append(checked)
    grouped = _versions(valid, report.problems)
    if report.problems:
        return report
    for first, cells in grouped:
        head = first.head
        fields = VersionFields(head.template, head.sent_on, head.approved_on,
                               head.published_on, tuple(cells))
        found = versions.find(session=session, party_id=first.party.id or 0,
                              version=first.version)
        _, changed = versions.save(session=session, party=first.party, number=first.version,
                                   fields=fields, actor=actor, now=now)
        report.created += found is None
        report.updated += found is not None and changed
        report.unchanged += not changed
    return finish(session, report)


def _day_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def file_rows(view: VersionView) -> list[dict[str, str]]:
    """A version as rows of the import's columns: an exported file imports back unchanged."""
    version = view.version
    head = {"state": view.party.code, "version": str(version.version),
            "template": str(version.template), "sent_on": version.sent_on.isoformat(),
            "approved_on": _day_text(version.approved_on),
            "published_on": _day_text(version.published_on)}
    return [head | {"section": cell.section, "category": cell.category,
                    "recorded": str(cell.recorded), "possible": str(cell.possible)}
            for cell in view.cells]
