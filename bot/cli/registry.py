"""`outreach init`, `states`, `orgs` (and `orgs add`) and `status`: the registry and its
figures."""

from datetime import date
from typing import Annotated

import typer

from bot.cli.common import FORMAT_HELP, context, day_option, fail, registry, say, today
from bot.cli.records import ORG_COLUMNS, STATE_COLUMNS, org_record, state_record
from bot.main import prepare_registry
from bot.render.tables import ListFormat, as_json, listing
from bot.render.templates import render
from storage import parties, pocs
from storage.figures.status import ReportingStatus, reporting_status
from storage.parties import BodyKind, OrganisationScope


def init(ctx: typer.Context) -> None:
    """Create or upgrade the database, load the reference data and the default reminder
    policies (paused until staff resume them). Safe to run again."""
    cli = context(ctx)
    load = prepare_registry(cli.engine, now=cli.clock(), admin_ids=cli.settings.admin_ids)
    say("init_done", path=cli.engine.url.render_as_string(hide_password=True),
        created=load.created, updated=load.updated)



def states(
    ctx: typer.Context,
    group: Annotated[str | None, typer.Option(
        help="Only this UN regional group as counted for elections: "
        "AFR, APG, EEG, GRULAC or WEOG.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List the 193 Member States with their codes and regional group."""
    with registry(ctx) as (_cli, session):
        if group is not None:
            known = [g.code for g in parties.regional_groups(session=session)]
            if group.upper() not in known:
                fail("unknown_group", value=group, allowed=", ".join(known))
        rows = [state_record(p) for p in parties.states(session=session, group=group)]
    typer.echo(listing(rows, STATE_COLUMNS, fmt))


orgs_app = typer.Typer(help="List organisations and UN entities; `outreach orgs add` adds one "
                       "the reference data does not list.", invoke_without_command=True)


@orgs_app.callback()
def orgs(
    ctx: typer.Context,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List international, regional and sub-regional organisations and UN entities."""
    if ctx.invoked_subcommand is not None:
        return
    with registry(ctx) as (_cli, session):
        counts = pocs.active_counts(session=session)
        rows = [org_record(p, counts.get(p.id or 0, 0))
                for p in parties.organisations(session=session)]
    typer.echo(listing(rows, ORG_COLUMNS, fmt))


@orgs_app.command("add")
def add_org(
    ctx: typer.Context,
    acronym: Annotated[str, typer.Argument(help="Its acronym, as people write it (e.g. AU).")],
    name: Annotated[str, typer.Argument(help="Its full name.")],
    scope: Annotated[OrganisationScope | None, typer.Option(
        help="An organisation: international, regional, sub_regional or un_entity.")] = None,
    kind: Annotated[BodyKind | None, typer.Option(
        help="Not an organisation but a body that organises or hosts events: university, "
        "ngo, industry (an industry association) or other. It never counts as an "
        "international, regional or sub-regional organisation.")] = None,
) -> None:
    """Add an organisation the reference data does not list, or (with --kind) a university,
    NGO, industry association or other body that organises or hosts events (audited; kept
    through every `outreach init`)."""
    if (scope is None) == (kind is None):
        fail("org_scope_or_kind", 2)
    with registry(ctx) as (cli, session):
        try:
            if kind is not None:
                party = parties.add_body(session=session, acronym=acronym, name=name,
                                         body_kind=kind.value, actor=cli.actor,
                                         now=cli.clock())
            else:
                assert scope is not None
                party = parties.add_organisation(session=session, acronym=acronym, name=name,
                                                 scope=scope.value, actor=cli.actor,
                                                 now=cli.clock())
        except parties.PartyError as error:
            fail(error.code, 1, **error.params)
        if kind is not None:
            say("body_added", acronym=party.code, name=party.name, kind=party.scope)
        else:
            say("org_added", acronym=party.code, name=party.name, scope=party.scope)


@orgs_app.command("bodies")
def list_bodies(
    ctx: typer.Context,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List the universities, NGOs, industry associations and other bodies added with
    `outreach orgs add --kind`."""
    with registry(ctx) as (_cli, session):
        rows = [{"acronym": p.code, "name": p.name, "kind": p.scope}
                for p in parties.bodies(session=session)]
    typer.echo(listing(rows, ("acronym", "name", "kind"), fmt))


def default_since(on: date) -> date:
    """1 January five years back: the Committee's usual look-back for "up to date"."""
    return date(on.year - 5, 1, 1)


def status_json(status: ReportingStatus) -> str:
    return as_json({
        "member_states": status.member_states,
        "reporting_states": status.reporting_states,
        "non_reporting_states": status.non_reporting_states,
        "non_reporting": status.non_reporting,
        "states_by_report_count": status.states_by_report_count,
        "states_submitting_since": {
            "since": status.since.isoformat(),
            "count": status.states_submitting_since,
            "share": round(status.share_submitting_since, 4),
        },
        "states_with_poc": status.states_with_poc,
        "orgs_with_poc": status.orgs_with_poc,
        "action_plans": {"count": status.action_plans, "states": status.action_plan_states},
    })


def status(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(
        help="Count States with a national report or additional information on or after "
        "this day (YYYY-MM-DD); "
        "default: 1 January five years ago.")] = None,
    fmt: Annotated[ListFormat, typer.Option(
        "--format", help="table (text) or json.")] = ListFormat.TABLE,
) -> None:
    """The reporting figures of the Committee's review, computed from the registry."""
    since_day = day_option(since, "--since") or default_since(today(ctx))
    with registry(ctx) as (_cli, session):
        figures = reporting_status(session=session, since=since_day)
    if fmt is ListFormat.JSON:
        typer.echo(status_json(figures))
    else:
        typer.echo(render("cli/status.txt.j2", status=figures))
