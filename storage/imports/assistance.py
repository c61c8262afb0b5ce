"""Import assistance requests from a table: every row checked, then all written or none.

One row per request, identified by its State, the day it was received and its reference: an
exported file imports back unchanged, a changed row updates the request (audited). The needs
column lists area[/weapon] separated by ";" ("op3_cd/chemical; training"); a need's detail is
not in the file and is kept when the same area and weapon are restated.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from storage.assistance import requests
from storage.assistance.model import (
    CLOSED,
    PROCEDURE,
    REFERENCE_MAX,
    SUMMARY_MAX,
    AssistanceArea,
    AssistanceRequest,
    RequestChannel,
    RequestStatus,
    WeaponCategory,
)
from storage.assistance.requests import Need, Progress, RequestFields, RequestView
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
from storage.submissions import RESOLUTION_ADOPTED

REQUIRED = {"state", "received_on", "channel", "needs"}
OPTIONAL = {"reference", "summary", "consent", "status", "status_on", "published_on",
            "closed_on", "maintained_on"}
COLUMNS = ("state", "received_on", "channel", "needs", "reference", "summary", "consent",
           "status", "status_on", "published_on", "closed_on", "maintained_on")
LIMITS = {"reference": REFERENCE_MAX, "summary": SUMMARY_MAX}
YES, NO = "yes", "no"
# a request is on the website only once open to providers (or later, closed included)
_BEFORE_OPEN = (RequestStatus.RECEIVED, RequestStatus.CIRCULATED)


@dataclass(frozen=True)
class _ValidRow:
    line: int
    party_id: int
    fields: RequestFields
    progress: Progress


def _state(value: str, finder: PartyFinder, line: int, problems: list[Problem]) -> Party | None:
    if not value:
        problems.append(Problem(line, "required", {"column": "state"}))
        return None
    party = finder.find(value)
    if party is None:
        problems.append(Problem(line, "unknown_state", {
            "value": value, "suggestion": finder.suggestion(value, PartyKind.STATE)}))
    elif party.kind != PartyKind.STATE:
        problems.append(Problem(line, "requester_not_a_state", {"value": value}))
    else:
        return party
    return None


def parse_need(value: str, line: int | None, problems: list[Problem]) -> Need | None:
    """One need written area[/weapon] ("op3_cd/chemical", "training"), or a problem."""
    start = len(problems)
    area, _, weapon = (part.strip() for part in value.partition("/"))
    found_area = choice(area, list(AssistanceArea), "unknown_area", line, problems)
    found_weapon = (choice(weapon, list(WeaponCategory), "unknown_weapon", line, problems)
                    if weapon else None)
    if len(problems) > start or found_area is None:
        return None
    return Need(found_area, found_weapon)


def _needs(value: str, line: int, problems: list[Problem]) -> tuple[Need, ...]:
    items = [item.strip() for item in value.split(";") if item.strip()]
    if not items:
        problems.append(Problem(line, "required", {"column": "needs"}))
    found = [parse_need(item, line, problems) for item in items]
    return tuple(dict.fromkeys(need for need in found if need is not None))


def _consent(value: str, line: int, problems: list[Problem]) -> bool:
    wanted = value.strip().casefold()
    if wanted in ("", NO):
        return False
    if wanted == YES:
        return True
    problems.append(Problem(line, "bad_consent", {"value": value}))
    return False


def _day(row: dict[str, str], column: str, line: int, today: date,
         problems: list[Problem]) -> date | None:
    value = row.get(column, "")
    if not value:
        return None
    parsed = parse_date(value, column, line, today, problems)
    if parsed is not None and parsed < RESOLUTION_ADOPTED:
        problems.append(Problem(line, "before_resolution", {"value": value}))
        return None
    return parsed


def _check_progress(progress: Progress, received_on: date, consent: bool, line: int,
                    problems: list[Problem]) -> None:
    """The dates agree with the step: none before the request arrived, published only with
    consent and once open, closed_on exactly when (and the day) the request was closed."""
    status = progress.status
    for column, day in (("status_on", progress.status_on),
                        ("published_on", progress.published_on),
                        ("closed_on", progress.closed_on),
                        ("maintained_on", progress.maintained_on)):
        if day is not None and day < received_on:
            problems.append(Problem(line, "date_before_received", {
                "column": column, "value": day.isoformat(),
                "received_on": received_on.isoformat()}))
    if status == RequestStatus.RECEIVED and progress.status_on != received_on:
        problems.append(Problem(line, "received_status_on", {
            "value": progress.status_on.isoformat(), "received_on": received_on.isoformat()}))
    if progress.published_on is not None:
        if not consent:
            problems.append(Problem(line, "published_without_consent", {}))
        if status in _BEFORE_OPEN:
            problems.append(Problem(line, "published_before_open", {"status": status}))
    if status in CLOSED and progress.closed_on is None:
        problems.append(Problem(line, "closed_on_missing", {"status": status}))
    elif status not in CLOSED and progress.closed_on is not None:
        problems.append(Problem(line, "closed_on_while_open", {"status": status}))
    elif progress.closed_on is not None and progress.closed_on != progress.status_on:
        problems.append(Problem(line, "closed_on_differs", {
            "closed_on": progress.closed_on.isoformat(),
            "status_on": progress.status_on.isoformat()}))


def _progress(row: dict[str, str], received_on: date | None, line: int, today: date,
              problems: list[Problem]) -> Progress | None:
    status = (choice(row["status"], [*PROCEDURE, *CLOSED], "unknown_status", line, problems)
              if row.get("status") else RequestStatus.RECEIVED)
    status_on = _day(row, "status_on", line, today, problems) or received_on
    days = {column: _day(row, column, line, today, problems)
            for column in ("published_on", "closed_on", "maintained_on")}
    if status is None or status_on is None:
        return None
    return Progress(status=status, status_on=status_on, **days)


def _validate_row(
    line: int, row: dict[str, str], finder: PartyFinder, today: date, problems: list[Problem]
) -> _ValidRow | None:
    start = len(problems)
    party = _state(row["state"], finder, line, problems)
    received_on = None
    if not row["received_on"]:
        problems.append(Problem(line, "required", {"column": "received_on"}))
    else:
        received_on = _day(row, "received_on", line, today, problems)
    channel = choice(row["channel"], list(RequestChannel), "unknown_channel", line, problems)
    needs = _needs(row["needs"], line, problems)
    consent = _consent(row.get("consent", ""), line, problems)
    progress = _progress(row, received_on, line, today, problems)
    check_cells(row, LIMITS, line, problems)
    if progress is not None and received_on is not None:
        _check_progress(progress, received_on, consent, line, problems)
    if len(problems) > start or party is None or party.id is None:
        return None
    assert received_on is not None and channel is not None and progress is not None
    fields = RequestFields(received_on=received_on, channel=channel, needs=needs,
                           reference=row.get("reference", ""), summary=row.get("summary", ""),
                           consent_to_publish=consent)
    return _ValidRow(line, party.id, fields, progress)


_Key = tuple[int, date, str]  # (State, day received, reference): an import's identity
CHUNK_ROWS = 1000  # rows whose stored requests are looked up with one query


def _key(item: _ValidRow) -> _Key:
    return item.party_id, item.fields.received_on, item.fields.reference


def _with_stored(session: Session, valid: Sequence[_ValidRow]
                 ) -> Iterator[tuple[_ValidRow, list[AssistanceRequest]]]:
    """Each row with the stored requests of its identity (as `requests.find` gives them,
    oldest first), found for CHUNK_ROWS rows at a time with one query rather than one a row."""
    for start in range(0, len(valid), CHUNK_ROWS):
        chunk = valid[start:start + CHUNK_ROWS]
        query = (select(AssistanceRequest)
                 .where(col(AssistanceRequest.party_id).in_({item.party_id for item in chunk}))
                 .where(col(AssistanceRequest.received_on).in_(
                     {item.fields.received_on for item in chunk}))
                 .order_by(col(AssistanceRequest.id)))
        stored: dict[_Key, list[AssistanceRequest]] = {}
        for request in session.exec(query):
            stored.setdefault(
                (request.party_id, request.received_on, request.reference), []).append(request)
        yield from ((item, stored.get(_key(item), [])) for item in chunk)


def _write(session: Session, item: _ValidRow, found: list[AssistanceRequest], actor: str,
           now: datetime, report: ImportReport) -> None:
    if found:
        request = found[0]
        stored = requests.needs_of(session=session, request_id=request.id or 0)
        fields = RequestFields(**(vars(item.fields) | {
            "needs": requests.with_details(item.fields.needs, stored)}))
        changed = requests.restore(session=session, request=request, fields=fields,
                                   progress=item.progress, actor=actor, now=now)
        report.updated += changed
        report.unchanged += not changed
        return
    party = session.get(Party, item.party_id)
    assert party is not None
    request = requests.add(session=session, party=party, fields=item.fields, actor=actor,
                           now=now)
    requests.restore(session=session, request=request, fields=item.fields,
                     progress=item.progress, actor=actor, now=now)
    report.created += 1


def _ambiguous(session: Session, valid: Sequence[_ValidRow], problems: list[Problem]) -> None:
    """A row whose State, day and reference name more than one stored request (two added
    the same day without a reference) cannot say which it updates."""
    for item, found in _with_stored(session, valid):
        if len(found) > 1:
            problems.append(Problem(item.line, "ambiguous_request", {
                "ids": ", ".join(str(request.id) for request in found)}))


def import_assistance(
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
        key = (checked.party_id, checked.fields.received_on, checked.fields.reference)
        if first_lines.is_duplicate(key, line, report.problems):
            continue
        valid.append(checked)
    _ambiguous(session, valid, report.problems)
    if report.problems:
        return report
    for item, found in _with_stored(session, valid):
        _write(session, item, found, actor, now, report)
    return finish(session, report)


def _day_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def needs_text(view: RequestView) -> str:
    return "; ".join(need.area + (f"/{need.weapon}" if need.weapon else "")
                     for need in view.needs)


def file_row(view: RequestView) -> dict[str, str]:
    """A request as a row of the import's columns: an exported file imports back unchanged."""
    request = view.request
    return {
        "state": view.party.code,
        "received_on": request.received_on.isoformat(),
        "channel": request.channel,
        "needs": needs_text(view),
        "reference": request.reference,
        "summary": request.summary,
        "consent": YES if request.consent_to_publish else NO,
        "status": request.status,
        "status_on": request.status_on.isoformat(),
        "published_on": _day_text(request.published_on),
        "closed_on": _day_text(request.closed_on),
        "maintained_on": _day_text(request.maintained_on),
    }
