"""`outreach peer-reviews`: peer reviews between States (seed paper, section 4.7), one record
per review with all its States. Every change is audited under the CLI's actor; a refusal names
every problem and writes nothing."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from bot.cli.common import FORMAT_HELP, registry, resolve_party, say, today
from bot.render.tables import ListFormat, listing
from bot.render.templates import problem_line, render
from storage.imports.peer_reviews import COLUMNS as FILE_COLUMNS
from storage.imports.peer_reviews import file_row
from storage.peer_reviews import records
from storage.peer_reviews.records import ReviewError, ReviewText, ReviewView

app = typer.Typer(help="Peer reviews between States (seed paper, section 4.7): one record "
                  "per review with all its States, supporters, years and meetings.",
                  no_args_is_help=True)

LIST_COLUMNS = ("id", *FILE_COLUMNS)
ReviewId = Annotated[int, typer.Argument(help="The review's id (see `outreach peer-reviews "
                                         "list`).")]
States = Annotated[str | None, typer.Option(
    help="The participating States, two or more (ISO3 or names, separated by commas).")]
FromYear = Annotated[int | None, typer.Option(help="The first year the review ran.")]
ToYear = Annotated[int | None, typer.Option(
    help="The last year it ran (default: the first year).")]
SupportedBy = Annotated[str | None, typer.Option(
    help="The organisations (acronyms), States or `committee` supporting it, separated by "
    "commas.")]
Events = Annotated[list[int] | None, typer.Option(
    "--event", help="An event of type peer_review that was a meeting of this review (its id, "
    "see `outreach export events`); repeatable.")]
Notes = Annotated[str | None, typer.Option(help="Notes kept with the review.")]


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except ReviewError as error:
        for problem in error.problems:
            typer.echo(problem_line(problem), err=True)
        raise typer.Exit(1) from error


def _record(view: ReviewView) -> dict[str, Any]:
    return {"id": view.review.id, **file_row(view)}


@app.command("list")
def list_reviews(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option(help="Only reviews of this State (ISO3 or "
                                              "name).")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List peer reviews by first year, with their States, supporters and meetings."""
    with registry(ctx) as (_cli, session):
        state_id = resolve_party(session, state).id if state else None
        rows = [_record(view) for view in records.listing(session=session, state_id=state_id)]
    typer.echo(listing(rows, LIST_COLUMNS, fmt))


def _text(states: str, from_year: int, to_year: int | None, supported_by: str | None,
          events: list[int] | None, notes: str | None) -> ReviewText:
    return ReviewText(states=states, from_year=str(from_year),
                      to_year="" if to_year is None else str(to_year),
                      supported_by=supported_by or "",
                      events=";".join(str(event) for event in events or []), notes=notes or "")


@app.command()
def add(
    ctx: typer.Context,
    states: Annotated[str, typer.Option(
        help="The participating States, two or more (ISO3 or names, separated by commas).")],
    from_year: Annotated[int, typer.Option(help="The first year the review ran.")],
    to_year: ToYear = None,
    supported_by: SupportedBy = None,
    event: Events = None,
    notes: Notes = None,
) -> None:
    """Record a peer review between two or more States."""
    text = _text(states, from_year, to_year, supported_by, event, notes)
    with registry(ctx) as (cli, session), refusals():
        fields, problems = records.parse(session=session, text=text, today=today(ctx))
        if fields is None:
            raise ReviewError(problems)
        review = records.add(session=session, fields=fields, actor=cli.actor, now=cli.clock())
        say("review_added", id=review.id)


@app.command()
def edit(
    ctx: typer.Context,
    review_id: ReviewId,
    states: States = None,
    from_year: FromYear = None,
    to_year: ToYear = None,
    supported_by: SupportedBy = None,
    event: Events = None,
    notes: Notes = None,
) -> None:
    """Change a peer review; options not given keep their values (--states, --supported-by
    and --event replace the whole list)."""
    with registry(ctx) as (cli, session), refusals():
        review = records.get(session=session, review_id=review_id)
        view = next(v for v in records.listing(session=session) if v.review.id == review_id)
        stored = file_row(view)
        text = ReviewText(
            states=stored["states"] if states is None else states,
            from_year=stored["from_year"] if from_year is None else str(from_year),
            to_year=stored["to_year"] if to_year is None else str(to_year),
            supported_by=stored["supported_by"] if supported_by is None else supported_by,
            events=stored["events"] if event is None else ";".join(map(str, event)),
            notes=stored["notes"] if notes is None else notes)
        fields, problems = records.parse(session=session, text=text, today=today(ctx),
                                         review_id=review_id)
        if fields is None:
            raise ReviewError(problems)
        changed = records.edit(session=session, review=review, fields=fields,
                               actor=cli.actor, now=cli.clock())
        say("review_updated" if changed else "review_unchanged", id=review_id)


@app.command()
def show(ctx: typer.Context, review_id: ReviewId) -> None:
    """A peer review: its States, years, supporters, meetings and notes."""
    with registry(ctx) as (_cli, session), refusals():
        records.get(session=session, review_id=review_id)
        view = next(v for v in records.listing(session=session) if v.review.id == review_id)
        text = render("cli/peer_review_show.txt.j2", view=view)
    typer.echo(text)
