"""`outreach action-plans`: voluntary National Implementation Action Plans in preparation
(seed paper, section 4.6), a State the Committee or an organisation helps to draft its plan.

Recording the State's action plan (`outreach import submissions`, kind action_plan, dated on
or after the start) closes its draft by itself, linked to the submission; `close` is for work
that stopped without a plan. Every change is audited; a refusal writes nothing."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any

import typer

from bot.cli.common import FORMAT_HELP, day_option, registry, resolve_party, say
from bot.render.tables import ListFormat, listing
from bot.render.templates import problem_line
from storage.action_plans import drafts
from storage.action_plans.drafts import DraftError, DraftView
from storage.events import COMMITTEE

app = typer.Typer(help="Action plans in preparation (seed paper, section 4.6): start the "
                  "support to a State, record milestones, close it; a submitted plan closes "
                  "it by itself.", no_args_is_help=True)

LIST_COLUMNS = ("id", "state", "state_name", "supported_by", "opened_on", "milestones",
                "last_milestone", "closed_on", "outcome", "submission")
DraftId = Annotated[int, typer.Argument(help="The draft's id (see `outreach action-plans "
                                        "list`).")]
OnDay = Annotated[str, typer.Option("--on", help="The day it happened (YYYY-MM-DD).")]


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except DraftError as error:
        typer.echo(problem_line(error.problem), err=True)
        raise typer.Exit(1) from error


def _day(value: str, option: str) -> date:
    found = day_option(value, option)
    assert found is not None
    return found


def _record(view: DraftView) -> dict[str, Any]:
    draft, last = view.draft, view.milestones[-1] if view.milestones else None
    return {
        "id": draft.id, "state": view.party.code, "state_name": view.party.name,
        "supported_by": draft.supported_by, "opened_on": draft.opened_on.isoformat(),
        "milestones": len(view.milestones),
        "last_milestone": f"{last.reached_on.isoformat()} {last.text}" if last else None,
        "closed_on": draft.closed_on.isoformat() if draft.closed_on else None,
        "outcome": draft.outcome,
        "submission": view.submission.id if view.submission else None,
    }


@app.command("list")
def list_drafts(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option(help="Only this State (ISO3 or name).")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only drafts still in "
                                            "preparation.")] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List action plans in preparation (and closed ones), by start day."""
    with registry(ctx) as (_cli, session):
        party_id = resolve_party(session, state).id if state else None
        rows = [_record(view) for view in drafts.listing(session=session, party_id=party_id,
                                                          open_only=open_only)]
    typer.echo(listing(rows, LIST_COLUMNS, fmt))


@app.command()
def start(
    ctx: typer.Context,
    state: Annotated[str, typer.Argument(help="The State drafting its plan (ISO3 or name).")],
    on: OnDay,
    supported_by: Annotated[str, typer.Option(
        help="`committee` (the 1540 Committee) or the organisation helping (acronym or "
        "name, e.g. OSCE).")] = COMMITTEE,
    note: Annotated[str, typer.Option(help="A note kept with the draft.")] = "",
) -> None:
    """Record that the Committee or an organisation began helping a State draft its plan."""
    day = _day(on, "--on")
    with registry(ctx) as (cli, session), refusals():
        party = resolve_party(session, state)
        supporter = (None if supported_by.strip().casefold() == COMMITTEE
                     else resolve_party(session, supported_by))
        draft = drafts.start(session=session, party=party, supporter=supporter, opened_on=day,
                             note=note, actor=cli.actor, now=cli.clock())
        say("draft_started", id=draft.id, state=party.code, on=day.isoformat())
        if draft.closed_on is not None:
            say("draft_closed_by_submission", id=draft.id, on=draft.closed_on.isoformat(),
                submission=draft.submission_id)


@app.command()
def milestone(
    ctx: typer.Context,
    draft_id: DraftId,
    text: Annotated[str, typer.Argument(help="What happened, e.g. \"first draft shared\".")],
    on: OnDay,
) -> None:
    """Record a milestone of a draft in preparation."""
    day = _day(on, "--on")
    with registry(ctx) as (cli, session), refusals():
        draft = drafts.get(session=session, draft_id=draft_id)
        drafts.milestone(session=session, draft=draft, on=day, text=text, actor=cli.actor,
                         now=cli.clock())
    say("draft_milestone", id=draft_id, on=day.isoformat())


@app.command()
def close(ctx: typer.Context, draft_id: DraftId, on: OnDay) -> None:
    """Close a draft whose work stopped without a plan (a submitted plan closes it by
    itself)."""
    day = _day(on, "--on")
    with registry(ctx) as (cli, session), refusals():
        draft = drafts.get(session=session, draft_id=draft_id)
        drafts.discontinue(session=session, draft=draft, on=day, actor=cli.actor,
                           now=cli.clock())
    say("draft_discontinued", id=draft_id, on=day.isoformat())
