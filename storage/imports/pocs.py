"""Import Points of Contact from a table: validate every row, then write all or nothing.

Upsert key: the party and the first e-mail address. Columns absent from the file keep
their stored values, so a file with fewer columns never wipes data.
"""

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from storage import pocs, pocs_bulk
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
from storage.imports.contact_fields import (
    InvalidValue,
    check_timezone,
    default_timezone,
    normalise_emails,
    normalise_phone,
    parse_telegram,
)
from storage.imports.tabular import Table
from storage.parties import BODY, Language, Party, PartyKind
from storage.problems import Problem

REQUIRED = {"party", "full_name", "email"}
OPTIONAL = {"role", "title", "agency", "phone", "telegram", "language", "timezone", "status",
            "date_notified", "date_verified", "region"}
CHUNK_ROWS = 1000  # rows looked up and written together: a few statements a chunk
LIMITS = {"full_name": 200, "title": 200, "agency": 300, "region": pocs.REGION_MAX}

# file column -> the PocFields attributes it sets
_COLUMN_FIELDS: dict[str, tuple[str, ...]] = {
    "role": ("role",), "full_name": ("full_name",), "title": ("title",), "agency": ("agency",),
    "email": ("emails",), "phone": ("phone",), "telegram": ("telegram_handle", "telegram_chat_id"),
    "language": ("language",), "timezone": ("timezone",), "status": ("status",),
    "date_notified": ("notified_on",), "date_verified": ("verified_on",),
    "region": ("region",),
}


_ROLES, _STATUSES = list(pocs.PocRole), list(pocs.PocStatus)  # listed once, not per row


@dataclass(frozen=True)
class _ValidRow:
    line: int | None
    party: Party
    fields: pocs.PocFields
    present: frozenset[str]


def _validate_row(
    line: int | None, row: dict[str, str], finder: PartyFinder, languages: list[str], today: date,
    problems: list[Problem],
) -> _ValidRow | None:
    start = len(problems)
    party = finder.find(row["party"]) if row["party"] else None
    if not row["party"]:
        problems.append(Problem(line, "required", {"column": "party"}))
    elif party is None:
        problems.append(Problem(line, "unknown_party", {
            "value": row["party"], "suggestion": finder.suggestion(row["party"])}))
    elif party.kind == BODY:
        problems.append(Problem(line, "poc_of_a_body", {"value": party.code}))
    if not row["full_name"]:
        problems.append(Problem(line, "required", {"column": "full_name"}))
    check_cells(row, LIMITS, line, problems)
    default_role = pocs.PocRole.COORDINATOR if party and party.kind != PartyKind.STATE else (
        pocs.PocRole.NATIONAL)
    role = choice(row.get("role") or default_role, _ROLES, "unknown_role", line, problems)
    status = choice(row.get("status") or pocs.PocStatus.ACTIVE, _STATUSES, "unknown_status",
                    line, problems)
    language = choice(row.get("language") or "en", languages, "unknown_language", line, problems)
    values: dict[str, Any] = {}
    for column, parse in (("email", normalise_emails), ("phone", normalise_phone),
                          ("telegram", parse_telegram), ("timezone", check_timezone)):
        if column == "timezone" and not row.get(column):
            values[column] = default_timezone(party.iso2 if party else None)
            continue
        try:
            values[column] = parse(row.get(column, ""))
        except InvalidValue as error:
            problems.append(Problem(line, error.code, error.params))
    dates = {
        column: parse_date(row[column], column, line, today, problems) if row.get(column) else None
        for column in ("date_notified", "date_verified")
    }
    region = " ".join(row.get("region", "").split())
    if region and party is not None and party.kind == PartyKind.STATE:
        problems.append(Problem(line, "region_not_organisation", {"value": party.code}))
    if len(problems) > start or party is None or party.id is None:
        return None
    assert role and status and language
    handle, chat_id = values["telegram"]
    fields = pocs.PocFields(
        party_id=party.id, role=role, full_name=row["full_name"], emails=values["email"],
        language=language, timezone=values["timezone"], title=row.get("title", ""),
        agency=row.get("agency", ""), phone=values["phone"], telegram_handle=handle,
        telegram_chat_id=chat_id, status=status, notified_on=dates["date_notified"],
        verified_on=dates["date_verified"], region=region,
    )
    return _ValidRow(line, party, fields, frozenset(row))


def _valid_rows(
    table: Table, finder: PartyFinder, languages: list[str], today: date,
    problems: list[Problem],
) -> Iterator[_ValidRow]:
    """Each good row of the file, once per PoC; the problems of the others go to `problems`."""
    first_lines = FirstLines()
    for line, row in table.rows:
        checked = _validate_row(line, row, finder, languages, today, problems)
        if checked is None:
            continue
        key = (checked.fields.party_id, checked.fields.emails[0])
        if not first_lines.is_duplicate(key, line, problems):
            yield checked


def _merge(
    stored: pocs.PocFields, incoming: pocs.PocFields, present: frozenset[str]
) -> pocs.PocFields:
    changes = {
        name: getattr(incoming, name)
        for column in present & set(_COLUMN_FIELDS)
        for name in _COLUMN_FIELDS[column]
    }
    return replace(stored, **changes)


def import_pocs(
    *, session: Session, table: Table, actor: str, today: date, now: datetime,
    dry_run: bool = False, chunk_rows: int = CHUNK_ROWS,
) -> ImportReport:
    """Validate every row; write nothing unless every row is good (and not a dry run).

    `today` bounds the dates a row may give; `now` stamps what is written (audited).

    One pass over the rows, `chunk_rows` at a time: each chunk's stored PoCs are looked up
    with a few queries, and, until a row has a problem, its PoCs written with a few
    statements (storage/pocs_bulk.py). A problem anywhere stops the writing, the rest is
    still checked so every problem is reported, and what was written is rolled back. A dry
    run decides every row as the real import does (created, updated or unchanged) and
    writes nothing. Each row is validated once: validating is most of the work left.
    """
    report = begin(table, REQUIRED, OPTIONAL, dry_run)
    if report.problems:
        return report
    finder = PartyFinder(session.exec(select(Party)))
    languages = [language.code for language in session.exec(select(Language))]
    wrote = False
    rows = _valid_rows(table, finder, languages, today, report.problems)
    for chunk in _chunks(rows, chunk_rows):
        if report.problems:
            continue  # refused: only the rest's problems are wanted now
        _import_chunk(session, chunk, report, actor=actor, now=now)
        wrote = not dry_run
    if report.problems:
        if wrote:
            session.rollback()
        # a refused file creates, updates and leaves nothing, whatever chunks were counted
        report.created = report.updated = report.unchanged = 0
        return report
    return finish(session, report)


def _chunks(rows: Iterator[_ValidRow], size: int) -> Iterator[list[_ValidRow]]:
    chunk: list[_ValidRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _key(row: _ValidRow) -> pocs_bulk.Key:
    return row.fields.party_id, row.fields.emails[0]


def _import_chunk(
    session: Session, chunk: list[_ValidRow], report: ImportReport, *, actor: str,
    now: datetime,
) -> None:
    """Count each row of the chunk as created, updated or unchanged; unless a dry run,
    write them, with an audit entry per PoC written in the file's order."""
    stored = pocs_bulk.find_by_first_emails(session=session, keys=map(_key, chunk))
    written: list[pocs_bulk.Change | pocs.PocFields] = []
    for item in chunk:
        found = stored.get(_key(item))
        if found is None:
            written.append(item.fields)
            report.created += 1
            continue
        merged = _merge(found.fields, item.fields, item.present)
        # storage.pocs.update compares the audit log's pictures of the PoC, which hold
        # every field: equal fields, equal pictures
        if merged == found.fields:
            report.unchanged += 1
        else:
            written.append(pocs_bulk.Change(found, merged))
            report.updated += 1
    if report.dry_run or not written:
        return
    changes = [entry for entry in written if isinstance(entry, pocs_bulk.Change)]
    new_ids = iter(pocs_bulk.create_many(
        session=session, fields=[entry for entry in written
                                 if not isinstance(entry, pocs_bulk.Change)], now=now))
    pocs_bulk.update_many(session=session, changes=changes, now=now)
    pocs_bulk.record_audit(
        session=session, actor=actor, action="import", now=now,
        entries=[(entry.stored.poc_id if isinstance(entry, pocs_bulk.Change) else next(new_ids),
                  entry) for entry in written])


def file_row(view: pocs.PocView) -> dict[str, str]:
    """A stored PoC in the import file's columns: what `export pocs` writes."""
    poc = view.poc
    telegram = poc.telegram_handle or (
        str(poc.telegram_chat_id) if poc.telegram_chat_id is not None else "")
    return {
        "party": view.party.code, "role": poc.role, "full_name": poc.full_name,
        "title": poc.title, "agency": poc.agency, "email": ";".join(view.emails),
        "phone": poc.phone, "telegram": telegram, "language": poc.language,
        "timezone": poc.timezone, "status": poc.status,
        "date_notified": poc.notified_on.isoformat() if poc.notified_on else "",
        "date_verified": poc.verified_on.isoformat() if poc.verified_on else "",
        "region": view.region,
    }


def check_row(
    *, session: Session, row: dict[str, str], today: date
) -> tuple[pocs.PocFields | None, list[Problem]]:
    """Validate one PoC given as import columns (the add and edit commands use this)."""
    problems: list[Problem] = []
    unknown = set(row) - REQUIRED - OPTIONAL
    if unknown:
        raise ValueError(f"not PoC columns: {sorted(unknown)}")
    full = {column: "" for column in REQUIRED} | row
    finder = PartyFinder(session.exec(select(Party)))
    languages = [language.code for language in session.exec(select(Language))]
    # no line: the values come from a command's options, not a file
    checked = _validate_row(None, full, finder, languages, today, problems)
    return (checked.fields if checked else None), problems
