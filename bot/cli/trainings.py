"""`outreach trainings`: the Point of Contact Training Programme (seed paper, section 4.4).

A course is an event of type poc_training (logged like any event: `outreach import events`,
/log in the chat); these commands record the region it served and the PoCs who attended it.
Every change is audited under the CLI's actor; a refusal names its reason and writes nothing.
`outreach import trainings` (registered in bot/cli/__init__.py) takes a whole attendance
sheet, all or nothing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli.common import FORMAT_HELP, fail, registry, today
from bot.render.tables import ListFormat, listing
from bot.render.templates import catalogue_message, problem_line, render
from storage import pocs, trainings
from storage.imports.tabular import TableError, read_table
from storage.imports.trainings import import_attendance
from storage.trainings import CourseView, TrainingError, TrainingRegion

app = typer.Typer(help="The Point of Contact Training Programme: list the courses (events "
                  "of type poc_training), record the region each served and the PoCs who "
                  "attended.", no_args_is_help=True)

LIST_COLUMNS = ("id", "start_date", "title", "host", "region", "pocs", "states")
CourseId = Annotated[int, typer.Argument(help="The course's event id (see `outreach "
                                         "trainings list`).")]


def say(code: str, **params: Any) -> None:
    typer.echo(catalogue_message("trainings", code, params))


@contextmanager
def refusals() -> Iterator[None]:
    """A refused change ends the command with its reason (the unit of work rolls back)."""
    try:
        yield
    except TrainingError as error:
        typer.echo(catalogue_message("trainings", error.code, dict(error.params)), err=True)
        raise typer.Exit(1) from error


def _record(view: CourseView) -> dict[str, Any]:
    return {"id": view.event.id, "start_date": view.event.start_date.isoformat(),
            "title": view.event.title, "host": view.host.code if view.host else "",
            "region": view.region or "", "pocs": view.attendees, "states": view.states}


@app.command("list")
def list_courses(
    ctx: typer.Context,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List the courses (events of type poc_training), oldest first, with the region each
    served (empty: not recorded) and how many PoCs and States attended."""
    with registry(ctx) as (_cli, session):
        rows = [_record(view) for view in trainings.listing(session=session)]
    typer.echo(listing(rows, LIST_COLUMNS, fmt))


@app.command()
def show(ctx: typer.Context, course: CourseId) -> None:
    """A course: its day, host, region and every PoC who attended, with their State."""
    with registry(ctx) as (_cli, session), refusals():
        trainings.course(session=session, event_id=course)
        view = next(v for v in trainings.listing(session=session) if v.event.id == course)
        text = render("cli/trainings_show.txt.j2", view=view,
                      attendees=trainings.attendees(session=session, event_id=course))
    typer.echo(text.rstrip("\n"))


@app.command()
def region(
    ctx: typer.Context,
    course: CourseId,
    served: Annotated[TrainingRegion, typer.Argument(
        metavar="REGION", help="The region the course served: latin_america, caricom, osce, "
        "asia_pacific, african_union or other.")],
) -> None:
    """Record the region a course served."""
    with registry(ctx) as (cli, session), refusals():
        event = trainings.course(session=session, event_id=course)
        changed = trainings.set_region(session=session, event=event, region=served.value,
                                       actor=cli.actor, now=cli.clock())
    say("training_region_set" if changed else "training_region_unchanged", id=course,
        region=served.value)


@app.command()
def attend(
    ctx: typer.Context,
    course: CourseId,
    poc_ids: Annotated[list[int], typer.Argument(
        metavar="POC...", help="The ids of the PoCs who attended (see `outreach pocs`).")],
    undo: Annotated[bool, typer.Option(
        "--undo", help="Take back the attendance of these PoCs instead.")] = False,
) -> None:
    """Record that these PoCs (and so their States) attended a course."""
    with registry(ctx) as (cli, session), refusals():
        event = trainings.course(session=session, event_id=course)
        changed = 0
        for poc_id in dict.fromkeys(poc_ids):
            poc = pocs.get(session=session, poc_id=poc_id)
            if poc is None:
                raise TrainingError("training_unknown_poc_id", id=str(poc_id))
            write = trainings.unattend if undo else trainings.attend
            changed += write(session=session, event=event, poc=poc, actor=cli.actor,
                             now=cli.clock())
    say("training_unattended" if undo else "training_attended", id=course, count=changed,
        unchanged=len(set(poc_ids)) - changed)


def import_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A .csv (UTF-8, comma or semicolon) or .xlsx "
                                         "file with the columns course, region, state, "
                                         "email; see the README.")],
    dry_run: Annotated[bool, typer.Option(help="Check and count, but write nothing.")] = False,
) -> None:
    """Import the attendance of PoC training courses (and the region each served)."""
    try:
        table = read_table(file)
    except TableError as error:
        typer.echo(problem_line(error.problem), err=True)
        raise typer.Exit(1) from error
    with registry(ctx) as (cli, session):
        report = import_attendance(session=session, table=table, actor=cli.actor,
                                   today=today(ctx), now=cli.clock(), dry_run=dry_run)
        if report.problems:
            session.rollback()
    if report.problems:
        for problem in report.problems:
            typer.echo(problem_line(problem), err=True)
        fail("import_rejected", count=len(report.problems), rows=report.rows)
    say("training_import_done", created=report.created, updated=report.updated,
        unchanged=report.unchanged, dry_run=dry_run)
