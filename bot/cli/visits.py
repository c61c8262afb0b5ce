"""`outreach visits`: visits to States at their invitation (seed paper, section 4.5): the
invitation, the event that was the visit, what it led to and the authorities met. Every change
is audited under the CLI's actor; a refusal names its reason and writes nothing."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from bot.cli.common import FORMAT_HELP, day_option, fail, registry, resolve_party, say
from bot.render.tables import ListFormat, listing
from bot.render.templates import render
from storage.visits import records
from storage.visits.model import AuthorityCategory, InvitationForm, VisitOutcomeKind
from storage.visits.records import VisitError, VisitView

app = typer.Typer(help="Visits to States at their invitation (seed paper, section 4.5): the "
                  "invitation, the visit, what it led to and the authorities met.",
                  no_args_is_help=True)

LIST_COLUMNS = ("id", "state", "state_name", "received_on", "form", "reference", "event_id",
                "visit_date", "outcomes", "authorities")
VisitId = Annotated[int, typer.Argument(help="The invitation's id (see `outreach visits "
                                        "list`).")]


@contextmanager
def refusals() -> Iterator[None]:
    """A refused change ends the command with its reason (the unit of work rolls back)."""
    try:
        yield
    except VisitError as error:
        fail(error.code, 1, **error.params)


def record(item: VisitView) -> dict[str, Any]:
    invitation, event = item.invitation, item.event
    return {
        "id": invitation.id, "state": item.state.code, "state_name": item.state.name,
        "received_on": invitation.received_on.isoformat(), "form": invitation.form,
        "reference": invitation.reference, "event_id": invitation.event_id,
        "visit_date": event.start_date.isoformat() if event is not None else None,
        "outcomes": [o.outcome for o in item.outcomes],
        "authorities": [f"{a.category}:{a.detail}" if a.detail else a.category
                        for a in item.authorities],
    }


@app.command()
def invite(
    ctx: typer.Context,
    state: Annotated[str, typer.Argument(help="The inviting State: ISO3 code or name.")],
    received: Annotated[str, typer.Option(
        help="The day the invitation reached the Committee (YYYY-MM-DD).")],
    form: Annotated[InvitationForm, typer.Option(
        help="note_verbale, letter, oral or other.")],
    reference: Annotated[str, typer.Option(help="Its symbol or reference, if any.")] = "",
    note: Annotated[str, typer.Option(help="A note for staff.")] = "",
) -> None:
    """Record a State's invitation to visit it."""
    day = day_option(received, "--received")
    assert day is not None
    with registry(ctx) as (cli, session), refusals():
        party = resolve_party(session, state)
        invitation = records.invite(session=session, state=party, received_on=day,
                                    form=form.value, reference=reference, note=note,
                                    actor=cli.actor, now=cli.clock())
        say("visit_invited", id=invitation.id, state=party.code, day=day.isoformat())


@app.command()
def link(
    ctx: typer.Context,
    visit: VisitId,
    event: Annotated[int, typer.Argument(help="The event that was the visit: of type visit, "
                                         "led by the 1540 Committee, in the inviting State.")],
) -> None:
    """Name the event that was the visit the invitation led to."""
    with registry(ctx) as (cli, session), refusals():
        invitation = records.get(session=session, invitation_id=visit)
        records.link(session=session, invitation=invitation, event_id=event, actor=cli.actor,
                     now=cli.clock())
    say("visit_linked", id=visit, event=event)


@app.command()
def outcome(
    ctx: typer.Context,
    visit: VisitId,
    kind: Annotated[VisitOutcomeKind, typer.Argument(
        help="national_report, action_plan, legislation (advice on legislation and "
        "regulations) or other.")],
    submission: Annotated[int | None, typer.Option(
        help="The id of the submission it led to (see `outreach submissions`): the same "
        "State's, submitted on or after the visit.")] = None,
    detail: Annotated[str, typer.Option(help="What it was, in a few words.")] = "",
) -> None:
    """Record what a visit led to (given again, the outcome is replaced)."""
    with registry(ctx) as (cli, session), refusals():
        invitation = records.get(session=session, invitation_id=visit)
        changed = records.set_outcome(session=session, invitation=invitation,
                                      outcome=kind.value, submission_id=submission,
                                      detail=detail, actor=cli.actor, now=cli.clock())
    say("visit_outcome_set" if changed else "visit_unchanged", id=visit, outcome=kind.value)


@app.command()
def authorities(
    ctx: typer.Context,
    visit: VisitId,
    met: Annotated[list[str], typer.Argument(
        help="Each authority met as CATEGORY or CATEGORY:name (foreign_affairs, defence, "
        "health, police, customs, other), e.g. customs 'other:Ministry of Trade'.")],
) -> None:
    """Record the authorities met on a visit (replacing those recorded)."""
    with registry(ctx) as (cli, session), refusals():
        invitation = records.get(session=session, invitation_id=visit)
        parsed = [records.parse_authority(value) for value in met]
        changed = records.set_authorities(session=session, invitation=invitation,
                                          authorities=parsed, actor=cli.actor,
                                          now=cli.clock())
    say("visit_authorities_set" if changed else "visit_unchanged", id=visit,
        count=len(parsed), outcome="")


@app.command("list")
def list_visits(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option(help="Only this State's invitations.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List the invitations, by the day they came, with their visits and outcomes."""
    with registry(ctx) as (_cli, session):
        party = resolve_party(session, state) if state is not None else None
        rows = [record(item) for item in records.listing(session=session, state=party)]
    typer.echo(listing(rows, LIST_COLUMNS, fmt))


@app.command()
def show(ctx: typer.Context, visit: VisitId) -> None:
    """One invitation in full: the visit, its outcomes with their submissions, the
    authorities met."""
    with registry(ctx) as (_cli, session), refusals():
        invitation = records.get(session=session, invitation_id=visit)
        item = records.view(session=session, invitation=invitation)
        typer.echo(render("cli/visit_show.txt.j2", item=item,
                          categories=list(AuthorityCategory)))
