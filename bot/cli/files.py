"""`outreach import`, `outreach export` and `outreach submissions`."""

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlmodel import Session

from bot.cli.common import FORMAT_HELP, fail, registry, resolve_party, say, today
from bot.cli.records import (
    EVENT_FILE_COLUMNS,
    POC_FILE_COLUMNS,
    STATE_COLUMNS,
    SUBMISSION_COLUMNS,
    SUBMISSION_FILE_COLUMNS,
    state_record,
    submission_record,
)
from bot.render.tables import (
    FileFormat,
    ListFormat,
    as_csv,
    as_json,
    for_excel,
    listing,
    write_file,
)
from bot.render.templates import problem_line
from storage import events, parties, pocs, submissions
from storage.assistance import requests as assistance_requests
from storage.imports.assistance import COLUMNS as ASSISTANCE_FILE_COLUMNS
from storage.imports.assistance import file_row as assistance_file_row
from storage.imports.assistance import import_assistance
from storage.imports.common import ImportReport
from storage.imports.events import file_row as event_file_row
from storage.imports.events import import_events
from storage.imports.matrices import COLUMNS as MATRIX_FILE_COLUMNS
from storage.imports.matrices import file_rows as matrix_file_rows
from storage.imports.matrices import import_matrices
from storage.imports.peer_reviews import COLUMNS as REVIEW_FILE_COLUMNS
from storage.imports.peer_reviews import file_row as review_file_row
from storage.imports.peer_reviews import import_peer_reviews
from storage.imports.pocs import file_row, import_pocs
from storage.imports.submissions import import_submissions
from storage.imports.tabular import Table, TableError, read_table
from storage.imports.visits import import_visits
from storage.matrices import versions as matrix_versions
from storage.peer_reviews import records as peer_review_records

import_app = typer.Typer(
    help="Import PoCs, submissions, events, assistance requests, matrices, visits or peer "
    "reviews from CSV or XLSX, all or nothing.",
    no_args_is_help=True)
export_app = typer.Typer(help="Export the registry as CSV or XLSX.", no_args_is_help=True)

FileArgument = Annotated[Path, typer.Argument(help="A .csv (UTF-8, comma or semicolon) or "
                                              ".xlsx file; see the README for the columns.")]
DryRun = Annotated[bool, typer.Option(help="Check and count, but write nothing.")]
Importer = Callable[..., ImportReport]


def _run_import(ctx: typer.Context, path: Path, dry_run: bool, importer: Importer) -> None:
    try:
        table: Table = read_table(path)
    except TableError as error:
        typer.echo(problem_line(error.problem), err=True)
        raise typer.Exit(1) from error
    with registry(ctx) as (cli, session):
        report = importer(session=session, table=table, actor=cli.actor, today=today(ctx),
                          now=cli.clock(), dry_run=dry_run)
        if report.problems:
            session.rollback()
    if report.problems:
        for problem in report.problems:
            typer.echo(problem_line(problem), err=True)
        fail("import_rejected", count=len(report.problems), rows=report.rows)
    say("import_done", created=report.created, updated=report.updated,
        unchanged=report.unchanged, dry_run=dry_run)


@import_app.command("pocs")
def import_pocs_command(ctx: typer.Context, file: FileArgument, dry_run: DryRun = False) -> None:
    """Import Points of Contact; a PoC is matched on its party and first e-mail."""
    _run_import(ctx, file, dry_run, import_pocs)


@import_app.command("submissions")
def import_submissions_command(
    ctx: typer.Context, file: FileArgument, dry_run: DryRun = False
) -> None:
    """Import submissions (first reports, additional information, action plans)."""
    _run_import(ctx, file, dry_run, import_submissions)


@import_app.command("events")
def import_events_command(
    ctx: typer.Context, file: FileArgument, dry_run: DryRun = False
) -> None:
    """Import outreach events; an event is matched on its start date and title."""
    _run_import(ctx, file, dry_run, import_events)


@import_app.command("visits")
def import_visits_command(
    ctx: typer.Context, file: FileArgument, dry_run: DryRun = False
) -> None:
    """Import invitations to visit States with their visits, outcomes and authorities met;
    an invitation is matched on its State and the day it was received."""
    _run_import(ctx, file, dry_run, import_visits)


@import_app.command("assistance")
def import_assistance_command(
    ctx: typer.Context, file: FileArgument, dry_run: DryRun = False
) -> None:
    """Import assistance requests; a request is matched on its State, the day it was
    received and its reference."""
    _run_import(ctx, file, dry_run, import_assistance)


@import_app.command("matrices")
def import_matrices_command(
    ctx: typer.Context, file: FileArgument, dry_run: DryRun = False
) -> None:
    """Import the Committee's matrices, one row per State, version, section and weapon
    category; a version is matched on its State and number (counts are of versions)."""
    _run_import(ctx, file, dry_run, import_matrices)
@import_app.command("peer-reviews")
def import_peer_reviews_command(
    ctx: typer.Context, file: FileArgument, dry_run: DryRun = False
) -> None:
    """Import peer reviews; a review is matched on its States and its first year."""
    _run_import(ctx, file, dry_run, import_peer_reviews)


ExportFormat = Annotated[FileFormat, typer.Option("--format", help="csv or xlsx.")]
OutFile = Annotated[Path | None, typer.Option(
    "--out", help="Write to this file (required for xlsx); default: standard output.")]
Excel = Annotated[bool, typer.Option(
    "--excel", help="Start the CSV with a UTF-8 byte order mark, so that Excel shows "
    "Arabic, Chinese and Cyrillic names (outreach import reads it back as is; "
    "no effect on xlsx).")]


def _export(rows: list[dict[str, Any]], columns: tuple[str, ...], fmt: FileFormat,
            out: Path | None, excel: bool) -> None:
    if out is None:
        if fmt is FileFormat.XLSX:
            fail("xlsx_needs_out", exit_code=2)
        typer.echo(for_excel(as_csv(rows, columns), excel), nl=False)
        return
    write_file(rows, columns, fmt, out, excel)
    say("written_to", path=out)


def _all_pocs(session: Session) -> list[dict[str, Any]]:
    views = pocs.listing(session=session, include_inactive=True)
    return [dict(file_row(view)) for view in views]


def _all_submissions(session: Session) -> list[dict[str, Any]]:
    return [submission_record(s, p) for s, p in submissions.history(session=session)]


@export_app.command("pocs")
def export_pocs(ctx: typer.Context, fmt: ExportFormat = FileFormat.CSV,
                out: OutFile = None, excel: Excel = False) -> None:
    """Every PoC, inactive ones too, in the import's columns (re-importing changes nothing)."""
    with registry(ctx) as (_cli, session):
        rows = _all_pocs(session)
    _export(rows, POC_FILE_COLUMNS, fmt, out, excel)


@export_app.command("submissions")
def export_submissions(ctx: typer.Context, fmt: ExportFormat = FileFormat.CSV,
                       out: OutFile = None, excel: Excel = False) -> None:
    """Every submission, in the import's columns."""
    with registry(ctx) as (_cli, session):
        rows = _all_submissions(session)
    _export(rows, SUBMISSION_FILE_COLUMNS, fmt, out, excel)


@export_app.command("events")
def export_events(ctx: typer.Context, fmt: ExportFormat = FileFormat.CSV,
                  out: OutFile = None, excel: Excel = False) -> None:
    """Every event not deleted, in the import's columns (re-importing changes nothing)."""
    with registry(ctx) as (_cli, session):
        rows: list[dict[str, Any]] = [
            dict(event_file_row(view)) for view in events.listing(session=session)]
    _export(rows, EVENT_FILE_COLUMNS, fmt, out, excel)


class DataFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


@export_app.command("assistance")
def export_assistance(
    ctx: typer.Context,
    fmt: Annotated[DataFormat, typer.Option("--format", help="csv, xlsx or json.")] = (
        DataFormat.CSV),
    out: OutFile = None, excel: Excel = False,
) -> None:
    """Every assistance request, in the import's columns (re-importing a CSV or XLSX export
    changes nothing); json: a list of rows with the same keys."""
    with registry(ctx) as (_cli, session):
        rows: list[dict[str, Any]] = [
            assistance_file_row(view)
            for view in assistance_requests.listing(session=session)]
    if fmt is not DataFormat.JSON:
        _export(rows, ASSISTANCE_FILE_COLUMNS, FileFormat(fmt.value), out, excel)
    elif out is None:
        typer.echo(as_json(rows))
    else:
        out.write_text(as_json(rows) + "\n", encoding="utf-8")
        say("written_to", path=out)


@export_app.command("matrices")
def export_matrices(ctx: typer.Context, fmt: ExportFormat = FileFormat.CSV,
                    out: OutFile = None, excel: Excel = False) -> None:
    """Every matrix version, in the import's columns (re-importing changes nothing)."""
    with registry(ctx) as (_cli, session):
        rows: list[dict[str, Any]] = [
            row for view in matrix_versions.listing(session=session)
            for row in matrix_file_rows(view)]
    _export(rows, MATRIX_FILE_COLUMNS, fmt, out, excel)
@export_app.command("peer-reviews")
def export_peer_reviews(ctx: typer.Context, fmt: ExportFormat = FileFormat.CSV,
                        out: OutFile = None, excel: Excel = False) -> None:
    """Every peer review, in the import's columns (re-importing changes nothing)."""
    with registry(ctx) as (_cli, session):
        rows: list[dict[str, Any]] = [
            dict(review_file_row(view)) for view in peer_review_records.listing(session=session)]
    _export(rows, REVIEW_FILE_COLUMNS, fmt, out, excel)


@export_app.command("states")
def export_states(ctx: typer.Context, fmt: ExportFormat = FileFormat.CSV,
                  out: OutFile = None, excel: Excel = False) -> None:
    """The Member States with codes and regional groups."""
    with registry(ctx) as (_cli, session):
        rows = [state_record(p) for p in parties.states(session=session)]
    _export(rows, STATE_COLUMNS, fmt, out, excel)


def list_submissions(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option(help="Only this State (ISO3 or name).")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List submissions, by State and date."""
    with registry(ctx) as (_cli, session):
        party_id = resolve_party(session, state).id if state else None
        rows = [submission_record(s, p)
                for s, p in submissions.history(session=session, party_id=party_id)]
    typer.echo(listing(rows, SUBMISSION_COLUMNS, fmt))


