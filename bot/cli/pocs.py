"""`outreach pocs`: list, add, edit, deactivate and reactivate Points of Contact."""

from dataclasses import replace
from datetime import date
from typing import Annotated

import typer
from sqlmodel import Session

from bot.cli.common import FORMAT_HELP, fail, registry, resolve_party, say
from bot.cli.records import POC_COLUMNS, poc_record
from bot.render.tables import ListFormat, listing
from bot.render.templates import problem_line
from storage import pocs
from storage.imports.pocs import check_row, file_row

app = typer.Typer(help="List Points of Contact (active ones unless --all); the subcommands "
                  "add, edit, deactivate and activate change them.",
                  invoke_without_command=True)

Text = Annotated[str | None, typer.Option()]
Region = Annotated[str | None, typer.Option(
    help="An organisation's regional 1540 coordinator: the region covered, in words "
    "(e.g. \"Africa\", \"the Caribbean\"); counted in the report's coordinators.")]


@app.callback()
def list_pocs(
    ctx: typer.Context,
    party: Annotated[str | None, typer.Option(
        help="Only this State or organisation (ISO3, acronym or name).")] = None,
    include_inactive: Annotated[bool, typer.Option(
        "--all", help="Include deactivated PoCs.")] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List Points of Contact (active ones unless --all). Subcommands change them."""
    if ctx.invoked_subcommand is not None:
        return
    with registry(ctx) as (_cli, session):
        party_id = resolve_party(session, party).id if party else None
        views = pocs.listing(session=session, party_id=party_id,
                             include_inactive=include_inactive)
        rows = [poc_record(view) for view in views]
    typer.echo(listing(rows, POC_COLUMNS, fmt))


def _given(**options: str | list[str] | None) -> dict[str, str]:
    """The options a person actually gave, as import columns."""
    row: dict[str, str] = {}
    for column, value in options.items():
        if value is None or value == []:
            continue
        row[column] = ";".join(value) if isinstance(value, list) else value
    return row


def _checked(session: Session, row: dict[str, str], today: date) -> pocs.PocFields:
    fields, problems = check_row(session=session, row=row, today=today)
    if fields is None:
        for problem in problems:
            typer.echo(problem_line(problem), err=True)
        raise typer.Exit(1)
    return fields


def _stored(session: Session, poc_id: int) -> pocs.PocView:
    poc = pocs.get(session=session, poc_id=poc_id)
    if poc is None:
        fail("poc_not_found", poc_id=poc_id)
    view = pocs.listing(session=session, party_id=poc.party_id, include_inactive=True)
    return next(item for item in view if item.poc.id == poc_id)


@app.command()
def add(
    ctx: typer.Context,
    party: Annotated[str, typer.Option(help="State (ISO3 or name) or organisation acronym.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    email: Annotated[list[str], typer.Option(help="E-mail; repeat for several, first first.")],
    role: Annotated[str | None, typer.Option(
        help="national, assistance or coordinator (default: national for a State, "
        "coordinator for an organisation).")] = None,
    title: Text = None,
    agency: Text = None,
    phone: Annotated[str | None, typer.Option(help="International format, +41 22 ...")] = None,
    telegram: Annotated[str | None, typer.Option(help="@handle or numeric chat id.")] = None,
    language: Annotated[str | None, typer.Option(
        help="ar, zh, en, fr, ru or es (default en).")] = None,
    timezone: Annotated[str | None, typer.Option(
        help="IANA zone (default: the country's first zone in tzdata).")] = None,
    notified: Annotated[str | None, typer.Option(help="Date notified, YYYY-MM-DD.")] = None,
    verified: Annotated[str | None, typer.Option(help="Date last verified, YYYY-MM-DD.")] = None,
    region: Region = None,
) -> None:
    """Add a Point of Contact."""
    row = _given(party=party, full_name=name, email=email, role=role, title=title,
                 agency=agency, phone=phone, telegram=telegram, language=language,
                 timezone=timezone, date_notified=notified, date_verified=verified,
                 region=region)
    with registry(ctx) as (cli, session):
        fields = _checked(session, row, cli.clock().date())
        twin = pocs.find_by_first_email(session=session, party_id=fields.party_id,
                                        email=fields.emails[0])
        if twin is not None:
            fail("poc_duplicate", poc_id=twin.id)
        poc = pocs.create(session=session, fields=fields, actor=cli.actor, now=cli.clock())
        party_code = resolve_party(session, party).code
    say("poc_created", poc_id=poc.id, party=party_code)


@app.command()
def edit(
    ctx: typer.Context,
    poc_id: Annotated[int, typer.Argument(help="The PoC's id (see `outreach pocs`).")],
    party: Text = None,
    name: Text = None,
    email: Annotated[list[str] | None, typer.Option(
        help="Replaces all addresses; repeat for several.")] = None,
    role: Text = None,
    title: Text = None,
    agency: Text = None,
    phone: Text = None,
    telegram: Text = None,
    language: Text = None,
    timezone: Text = None,
    notified: Text = None,
    verified: Text = None,
    region: Region = None,
) -> None:
    """Change some fields of a Point of Contact; fields not given stay as they are
    (--region "" takes a coordinator's region away)."""
    given = _given(party=party, full_name=name, email=email, role=role, title=title,
                   agency=agency, phone=phone, telegram=telegram, language=language,
                   timezone=timezone, date_notified=notified, date_verified=verified)
    if region is not None:
        given["region"] = region
    with registry(ctx) as (cli, session):
        view = _stored(session, poc_id)
        fields = _checked(session, file_row(view) | given, cli.clock().date())
        changed = pocs.update(session=session, poc=view.poc, fields=fields, actor=cli.actor,
                              now=cli.clock())
    say("poc_updated" if changed else "poc_unchanged", poc_id=poc_id)


def _set_status(ctx: typer.Context, poc_id: int, status: pocs.PocStatus, action: str) -> bool:
    with registry(ctx) as (cli, session):
        view = _stored(session, poc_id)
        fields = replace(pocs.fields_of(session=session, poc=view.poc), status=status)
        return pocs.update(session=session, poc=view.poc, fields=fields, actor=cli.actor,
                           action=action, now=cli.clock())


@app.command()
def deactivate(
    ctx: typer.Context,
    poc_id: Annotated[int, typer.Argument(help="The PoC's id.")],
) -> None:
    """Mark a Point of Contact inactive. Nothing is deleted; history stays."""
    if _set_status(ctx, poc_id, pocs.PocStatus.INACTIVE, "deactivate"):
        say("poc_deactivated", poc_id=poc_id)
    else:
        say("poc_already_inactive", poc_id=poc_id)


@app.command()
def activate(
    ctx: typer.Context,
    poc_id: Annotated[int, typer.Argument(help="The PoC's id.")],
) -> None:
    """Mark a deactivated Point of Contact active again."""
    changed = _set_status(ctx, poc_id, pocs.PocStatus.ACTIVE, "activate")
    say("poc_updated" if changed else "poc_unchanged", poc_id=poc_id)
