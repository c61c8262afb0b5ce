"""`outreach assistance overdue|publish|chasing`: what the assistance procedure is waiting
for, the website's list of published requests, and the switch that lets the service write
follow-ups and digests to States and organisations (off until staff turn it on)."""

from pathlib import Path
from typing import Annotated, Any

import typer
from sqlmodel import Session

from bot.cli.common import FORMAT_HELP, context, registry
from bot.render.tables import ListFormat, listing
from bot.render.templates import catalogue_message
from bot.web import assistance_list
from scheduler.assistance import WaitingRequest, overdue
from scheduler.assistance_sweep import plan_chase
from storage import parties
from storage.assistance import chasing

OVERDUE_COLUMNS = ("id", "state", "step", "since", "days_waited", "allowed_days")
Fmt = Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)]

chasing_app = typer.Typer(help="Follow-ups a year after a match and providers' quarterly "
                          "digests: see what would go, turn them on or off.",
                          no_args_is_help=True)


def _say(code: str, **params: Any) -> None:
    typer.echo(catalogue_message("chasing", code, params))


def _codes(session: Session) -> dict[int, str]:
    return {party.id or 0: party.code for party in parties.states(session=session)}


def overdue_command(ctx: typer.Context, fmt: Fmt = ListFormat.TABLE) -> None:
    """List the requests that have waited at their step longer than the procedure allows
    (OUTREACH_ASSISTANCE_STEP_DAYS), longest wait first."""
    cli = context(ctx)
    with registry(ctx) as (_cli, session):
        waiting = [WaitingRequest(r.request_id, r.party_id, r.status, r.status_on)
                   for r in chasing.open_requests(session=session)]
        codes = _codes(session)
    late = overdue(waiting, cli.settings.assistance_step_days, cli.clock().date())
    rows = [{"id": item.request_id, "state": codes.get(item.party_id, ""), "step": item.status,
             "since": item.since.isoformat(), "days_waited": item.days_waited,
             "allowed_days": item.allowed_days} for item in late]
    if not rows and fmt is ListFormat.TABLE:
        _say("nothing_overdue")
        return
    typer.echo(listing(rows, OVERDUE_COLUMNS, fmt))


def publish_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="Folder for the pages (created if needed).")],
) -> None:
    """Write the website's list of published requests: index.html and index.<language>.html
    in the six UN languages, only requests the State consented to publish, nothing personal."""
    if out.exists() and not out.is_dir():
        _say("out_not_directory", path=str(out))
        raise typer.Exit(1)
    cli = context(ctx)
    with registry(ctx) as (_cli, session):
        count = assistance_list.write(session=session, out=out, today=cli.clock().date())
    _say("published_written", path=str(out), count=count)


def _switch(ctx: typer.Context, enabled: bool) -> None:
    cli = context(ctx)
    with registry(ctx) as (_cli, session):
        changed = chasing.set_chasing(session=session, enabled=enabled,
                                      actor=cli.actor, now=cli.clock())
    _say("chasing_on" if enabled else "chasing_off", changed=changed)


@chasing_app.command("on")
def chasing_on(ctx: typer.Context) -> None:
    """Let the service write follow-ups and digests (see `chasing plan` first)."""
    _switch(ctx, True)


@chasing_app.command("off")
def chasing_off(ctx: typer.Context) -> None:
    """Stop writing follow-ups and digests (staff are still told of overdue requests)."""
    _switch(ctx, False)


@chasing_app.command("plan")
def chasing_plan(ctx: typer.Context) -> None:
    """What the service would write today: follow-ups, digests and new overdue notices."""
    cli = context(ctx)
    with registry(ctx) as (_cli, session):
        plan = plan_chase(session=session, today=cli.clock().date(),
                          durations=cli.settings.assistance_step_days)
        names = {party.id or 0: party.code
                 for party in [*parties.states(session=session),
                               *parties.organisations(session=session)]}
    _say("chasing_plan", enabled=plan.enabled, overdue=len(plan.overdue),
         follow_ups=[f"#{request_id}" for request_id in plan.follow_ups],
         digests=[f"{names.get(d.party_id, d.party_id)} ({len(d.request_ids)})"
                  for d in plan.digests])
