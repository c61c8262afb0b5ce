"""`outreach providers`: the register of assistance providers (States and organisations),
the areas each covers and since when. Every change is audited under the CLI's actor."""

from typing import Annotated, Any

import typer

from bot.cli.assistance import refusals
from bot.cli.common import FORMAT_HELP, day_option, fail, registry, resolve_party, say
from bot.render.tables import ListFormat, listing
from storage.assistance import providers
from storage.assistance.providers import ProviderView

app = typer.Typer(help="Assistance providers: list, add (register, or add areas) and "
                  "withdraw.", no_args_is_help=True)

COLUMNS = ("party", "party_name", "kind", "areas", "registered_on", "withdrawn_on")
Party = Annotated[str, typer.Argument(
    help="The State or organisation (ISO3, acronym or name; see `outreach orgs`).")]


def _record(view: ProviderView) -> dict[str, Any]:
    provider = view.provider
    return {"party": view.party.code, "party_name": view.party.name, "kind": view.party.kind,
            "areas": "; ".join(f"{area.area} (since {area.since.isoformat()})"
                               for area in view.areas),
            "registered_on": provider.registered_on.isoformat(),
            "withdrawn_on": provider.withdrawn_on.isoformat() if provider.withdrawn_on
            else None}


@app.command("list")
def list_providers(
    ctx: typer.Context,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List the registered providers, States then organisations, with their areas."""
    with registry(ctx) as (_cli, session):
        rows = [_record(view) for view in providers.listing(session=session)]
    typer.echo(listing(rows, COLUMNS, fmt))


@app.command()
def add(
    ctx: typer.Context,
    party: Party,
    area: Annotated[list[str], typer.Option(
        "--area", help="An area it covers (op3_ab, op3_cd, op2, training, outreach, "
        "legislation, equipment, funding, other); repeatable.")],
    since: Annotated[str, typer.Option(
        help="The day it registered or began covering these areas (YYYY-MM-DD).")],
) -> None:
    """Register a provider, or add areas to one registered (registers a withdrawn one
    again)."""
    day = day_option(since, "--since")
    assert day is not None
    areas = [value.strip().lower() for value in area]
    with registry(ctx) as (cli, session), refusals():
        found = resolve_party(session, party)
        provider = providers.register(session=session, party=found, registered_on=day,
                                      areas=areas, actor=cli.actor, now=cli.clock())
        covered = providers.areas_of(session=session, provider_id=provider.id or 0)
        say("provider_registered", party=found.code,
            areas=", ".join(item.area for item in covered))


@app.command()
def withdraw(
    ctx: typer.Context,
    party: Party,
    on: Annotated[str, typer.Option(help="The day it withdrew (YYYY-MM-DD).")],
) -> None:
    """Record that a provider no longer offers assistance; its record and offers stay."""
    day = day_option(on, "--on")
    assert day is not None
    with registry(ctx) as (cli, session), refusals():
        found = resolve_party(session, party)
        provider = providers.find(session=session, party_id=found.id or 0)
        if provider is None:
            fail("provider_not_found", party=found.code)
        providers.withdraw(session=session, provider=provider, on=day, actor=cli.actor,
                           now=cli.clock())
    say("provider_withdrawn", party=found.code, on=day.isoformat())
