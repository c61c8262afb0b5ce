"""Import peer reviews from a table: every row checked, then all written or none.

One row per review, identified by its States (in any order) and its first year: an exported
file imports back unchanged, a changed row updates the review (audited). The states,
supported_by and events columns list their items separated by ";" (or ","); events are the
ids of events of type peer_review in this registry.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import Session, select

from storage.imports.common import FirstLines, ImportReport, PartyFinder, begin, finish
from storage.imports.tabular import Table
from storage.parties import Party
from storage.peer_reviews import records
from storage.peer_reviews.records import ReviewFields, ReviewText, ReviewView
from storage.problems import Problem

REQUIRED = {"states", "from_year"}
OPTIONAL = {"to_year", "supported_by", "events", "notes"}
COLUMNS = ("states", "from_year", "to_year", "supported_by", "events", "notes")


@dataclass(frozen=True)
class _ValidRow:
    line: int
    fields: ReviewFields
    review_id: int | None  # the stored review the row updates


def _text(row: dict[str, str]) -> ReviewText:
    return ReviewText(states=row["states"], from_year=row["from_year"],
                      to_year=row.get("to_year", ""), supported_by=row.get("supported_by", ""),
                      events=row.get("events", ""), notes=row.get("notes", ""))


def _validate(session: Session, table: Table, finder: PartyFinder, today: date,
              problems: list[Problem]) -> list[_ValidRow]:
    first_lines = FirstLines()
    event_lines: dict[int, int] = {}
    valid: list[_ValidRow] = []
    for line, row in table.rows:
        text = _text(row)
        if not row["states"] or not row["from_year"]:
            column = "states" if not row["states"] else "from_year"
            problems.append(Problem(line, "required", {"column": column}))
            continue
        # the stored review the row names (its States and first year), whatever its events
        probe, _ = records.parse(session=session, text=replace(text, events=""), today=today,
                                 line=line, finder=finder)
        stored = (records.find(session=session, states=probe.states, from_year=probe.from_year)
                  if probe is not None else None)
        review_id = stored.id if stored is not None else None
        fields, found = records.parse(session=session, text=text, today=today, line=line,
                                      finder=finder, review_id=review_id)
        problems.extend(found)
        if fields is None:
            continue
        if first_lines.is_duplicate((tuple(sorted(fields.states)), fields.from_year), line,
                                    problems):
            continue
        for event_id in fields.events:
            first = event_lines.setdefault(event_id, line)
            if first != line:
                problems.append(Problem(line, "review_event_twice", {
                    "id": str(event_id), "first_line": str(first)}))
        valid.append(_ValidRow(line, fields, review_id))
    return valid


def import_peer_reviews(
    *, session: Session, table: Table, actor: str, today: date, now: datetime,
    dry_run: bool = False,
) -> ImportReport:
    """Validate every row; write nothing unless every row is good (and not a dry run)."""
    report = begin(table, REQUIRED, OPTIONAL, dry_run)
    if report.problems:
        return report
    finder = PartyFinder(session.exec(select(Party)))
    valid = _validate(session, table, finder, today, report.problems)
    if report.problems:
        return report
    for item in valid:
        if item.review_id is None:
            records.add(session=session, fields=item.fields, actor=actor, now=now)
            report.created += 1
            continue
        review = records.get(session=session, review_id=item.review_id)
        changed = records.edit(session=session, review=review, fields=item.fields,
                               actor=actor, now=now, action="import")
        report.updated += changed
        report.unchanged += not changed
    return finish(session, report)


def file_row(view: ReviewView) -> dict[str, str]:
    """A review in the import's columns: an exported file imports back unchanged."""
    review = view.review
    return {
        "states": ";".join(view.codes),
        "from_year": str(review.from_year),
        "to_year": str(review.to_year),
        "supported_by": ";".join(view.supporters),
        "events": ";".join(str(event_id) for event_id in view.events),
        "notes": review.notes,
    }
