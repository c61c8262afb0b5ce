"""`outreach assistance`: the requests States send (seed paper, section 5), moved along the
Committee's procedure by staff. Every change is audited under the CLI's actor; a refusal
names its reason and writes nothing."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlmodel import Session

from bot.cli import assistance_chasing
from bot.cli.common import FORMAT_HELP, day_option, fail, registry, resolve_party, say, today
from bot.render.tables import ListFormat, listing
from bot.render.templates import render
from storage.assistance import feedback, providers, requests
from storage.assistance.model import (
    CLOSED,
    AssistanceArea,
    AssistanceProvider,
    AssistanceRequest,
    RequestChannel,
    RequestStatus,
)
from storage.assistance.requests import AssistanceError, Need, RequestFields, RequestView
from storage.imports.assistance import needs_text
from storage.parties import Party

app = typer.Typer(help="Assistance requests (seed paper, section 5): list, record and move "
                  "them along the Committee's procedure; what is overdue, the website's list, "
                  "and the follow-ups and digests (chasing).", no_args_is_help=True)

app.command("overdue")(assistance_chasing.overdue_command)
app.add_typer(assistance_chasing.chasing_app, name="chasing")

LIST_COLUMNS = ("id", "state", "state_name", "received_on", "channel", "needs", "reference",
                "status", "status_on", "consent", "published_on", "maintained_on",
                "confirmed")


class Closing(StrEnum):
    MET = RequestStatus.MET.value
    PARTLY_MET = RequestStatus.PARTLY_MET.value
    WITHDRAWN = RequestStatus.WITHDRAWN.value
    LAPSED = RequestStatus.LAPSED.value


RequestId = Annotated[int, typer.Argument(help="The request's id (see `outreach assistance "
                                          "list`).")]
OnDay = Annotated[str, typer.Option("--on", help="The day it happened (YYYY-MM-DD).")]
NeedOption = Annotated[list[str] | None, typer.Option(
    "--need", help="An area needed, as AREA or AREA/WEAPON (op3_ab, op3_cd, op2, training, "
    "outreach, legislation, equipment, funding, other; nuclear, chemical, biological, "
    "delivery); repeatable.")]
Received = Annotated[str | None, typer.Option(
    "--received", help="The day the request reached the Committee (YYYY-MM-DD).")]
Channel = Annotated[RequestChannel | None, typer.Option(
    help="How it arrived: template, note_verbale, national_report, telegram or web.")]
Reference = Annotated[str | None, typer.Option(
    help="The document's reference, e.g. the note verbale's symbol.")]
Summary = Annotated[str | None, typer.Option(help="What the State asks for, in a few lines.")]
Consent = Annotated[bool | None, typer.Option(
    "--consent/--no-consent", help="Whether the State consents to publication on the "
    "Committee's website.")]


@contextmanager
def refusals() -> Iterator[None]:
    """A refused change ends the command with its reason (the unit of work rolls back)."""
    try:
        yield
    except AssistanceError as error:
        fail(error.code, 1, **error.params)


def parse_needs(values: list[str]) -> tuple[Need, ...]:
    """AREA[/WEAPON] as typed; the areas and weapons are checked with the rest of a request."""
    needs = []
    for value in values:
        area, _, weapon = (part.strip().lower() for part in value.partition("/"))
        needs.append(Need(area, weapon or None))
    return tuple(dict.fromkeys(needs))


def _day(value: str, option: str) -> date:
    found = day_option(value, option)
    assert found is not None
    return found


def _record(view: RequestView) -> dict[str, Any]:
    request = view.request
    return {
        "id": request.id, "state": view.party.code, "state_name": view.party.name,
        "received_on": request.received_on.isoformat(), "channel": request.channel,
        "needs": needs_text(view), "reference": request.reference, "status": request.status,
        "status_on": request.status_on.isoformat(), "consent": request.consent_to_publish,
        "published_on": request.published_on.isoformat() if request.published_on else None,
        "maintained_on": request.maintained_on.isoformat() if request.maintained_on else None,
        "confirmed": request.confirmed_at is not None,
    }


@app.command("list")
def list_requests(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option(help="Only this State (ISO3 or name).")] = None,
    area: Annotated[str | None, typer.Option(
        help="Only requests needing this area (e.g. op3_cd, training).")] = None,
    open_only: Annotated[bool, typer.Option(
        "--open", help="Only requests not yet met, partly met, withdrawn or lapsed.")] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List assistance requests, oldest first, with their needs and current step."""
    wanted = area.strip().lower() if area else None
    if wanted is not None and wanted not in set(AssistanceArea):
        fail("assistance_unknown_area", value=area, allowed=", ".join(AssistanceArea))
    with registry(ctx) as (_cli, session):
        party_id = resolve_party(session, state).id if state else None
        views = requests.listing(session=session, party_id=party_id, area=wanted,
                                 open_only=open_only)
        rows = [_record(view) for view in views]
    typer.echo(listing(rows, LIST_COLUMNS, fmt))


@app.command()
def add(
    ctx: typer.Context,
    state: Annotated[str, typer.Argument(help="The requesting State (ISO3 or name).")],
    received: Annotated[str, typer.Option(
        "--received", help="The day the request reached the Committee (YYYY-MM-DD).")],
    channel: Annotated[RequestChannel, typer.Option(
        help="How it arrived: template, note_verbale, national_report, telegram or web.")],
    need: NeedOption = None,
    reference: Reference = None,
    summary: Summary = None,
    consent: Consent = None,
) -> None:
    """Record a request a State sent; it starts at the step "received"."""
    fields = RequestFields(received_on=_day(received, "--received"), channel=channel,
                           needs=parse_needs(need or []), reference=reference or "",
                           summary=summary or "", consent_to_publish=bool(consent))
    with registry(ctx) as (cli, session), refusals():
        party = resolve_party(session, state)
        request = requests.add(session=session, party=party, fields=fields, actor=cli.actor,
                               now=cli.clock())
        say("assistance_added", id=request.id, state=party.code)


@app.command()
def edit(
    ctx: typer.Context,
    request_id: RequestId,
    received: Received = None,
    channel: Channel = None,
    need: NeedOption = None,
    reference: Reference = None,
    summary: Summary = None,
    consent: Consent = None,
) -> None:
    """Change what was recorded of a request; options not given keep their values, --need
    replaces every need."""
    received_on = day_option(received, "--received")
    with registry(ctx) as (cli, session), refusals():
        request = requests.get(session=session, request_id=request_id)
        stored = requests.needs_of(session=session, request_id=request_id)
        current = RequestFields(
            received_on=request.received_on, channel=request.channel,
            needs=tuple(Need(n.area, n.weapon, n.detail) for n in stored),
            reference=request.reference, summary=request.summary,
            consent_to_publish=request.consent_to_publish)
        changes: dict[str, Any] = {
            "received_on": received_on, "channel": channel, "reference": reference,
            "summary": summary, "consent_to_publish": consent,
            "needs": requests.with_details(parse_needs(need), stored) if need else None}
        fields = replace(current, **{key: value for key, value in changes.items()
                                     if value is not None})
        changed = requests.edit(session=session, request=request, fields=fields,
                                actor=cli.actor, now=cli.clock())
        say("assistance_updated" if changed else "assistance_unchanged", id=request_id)


def _move(ctx: typer.Context, request_id: int, status: str, on: str, note: str) -> None:
    day = _day(on, "--on")
    with registry(ctx) as (cli, session), refusals():
        request = requests.get(session=session, request_id=request_id)
        requests.advance(session=session, request=request, to=status.strip().lower(), on=day,
                         actor=cli.actor, now=cli.clock(), note=note)
        say("assistance_stepped", id=request_id, status=request.status, on=day.isoformat())


Note = Annotated[str, typer.Option(help="A note kept with the step.")]


@app.command()
def step(
    ctx: typer.Context,
    request_id: RequestId,
    status: Annotated[str, typer.Argument(
        help="The step reached: circulated, open, matched, in_progress, or a closing one "
        "(met, partly_met, withdrawn, lapsed).")],
    on: OnDay,
    note: Note = "",
) -> None:
    """Move a request to a later step of the procedure on the day given."""
    _move(ctx, request_id, status, on, note)


@app.command()
def close(
    ctx: typer.Context,
    request_id: RequestId,
    outcome: Annotated[Closing, typer.Argument(
        help="met, partly_met (both only once matched), withdrawn or lapsed.")],
    on: OnDay,
    note: Note = "",
) -> None:
    """Close a request: met, partly met, withdrawn or lapsed."""
    _move(ctx, request_id, outcome.value, on, note)


@app.command()
def publish(
    ctx: typer.Context,
    request_id: Annotated[int | None, typer.Argument(
        help="The request put on the website (with --on).")] = None,
    on: Annotated[str | None, typer.Option(
        "--on", help="The day it went on the website (YYYY-MM-DD).")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Instead: write the website's list of published requests to this folder "
        "(created if needed).")] = None,
) -> None:
    """Record that request ID went on the Committee's website (`publish ID --on DATE`,
    needs the State's consent), or write the website's list of published requests in the
    six UN languages (`publish --out DIR`)."""
    if out is not None and request_id is None and on is None:
        assistance_chasing.publish_command(ctx, out)
        return
    if out is not None or request_id is None or on is None:
        fail("assistance_publish_usage", exit_code=2)
    day = _day(on, "--on")
    with registry(ctx) as (cli, session), refusals():
        request = requests.get(session=session, request_id=request_id)
        requests.publish(session=session, request=request, on=day, actor=cli.actor,
                         now=cli.clock())
    say("assistance_published", id=request_id, on=day.isoformat())


@app.command()
def maintain(ctx: typer.Context, request_id: RequestId, on: OnDay) -> None:
    """Record that the State keeps a request in force (said on the day given)."""
    day = _day(on, "--on")
    with registry(ctx) as (cli, session), refusals():
        request = requests.get(session=session, request_id=request_id)
        requests.maintain(session=session, request=request, on=day, actor=cli.actor,
                          now=cli.clock())
    say("assistance_maintained", id=request_id, on=day.isoformat())


@app.command()
def confirm(ctx: typer.Context, request_id: RequestId) -> None:
    """Confirm a request a PoC filed, so that it counts in the figures."""
    with registry(ctx) as (cli, session), refusals():
        request = requests.get(session=session, request_id=request_id)
        done = requests.confirm(session=session, request=request, actor=cli.actor,
                                now=cli.clock())
    say("assistance_confirmed" if done else "assistance_already_confirmed", id=request_id)


@app.command()
def match(
    ctx: typer.Context,
    request_id: RequestId,
    provider: Annotated[str, typer.Argument(
        help="The provider (ISO3, acronym or name; see `outreach providers list`).")],
    on: OnDay,
    override: Annotated[bool, typer.Option(
        help="Record the match although the provider does not cover every area the "
        "request needs.")] = False,
) -> None:
    """Record the Committee's match of a request with a provider."""
    day = _day(on, "--on")
    with registry(ctx) as (cli, session), refusals():
        request = requests.get(session=session, request_id=request_id)
        party, found = _registered(session, provider)
        uncovered = providers.uncovered_areas(session=session, request=request,
                                              provider=found)
        providers.match(session=session, request=request, provider=found, on=day,
                        actor=cli.actor, now=cli.clock(), override=override)
    say("assistance_matched", id=request_id, provider=party.code, on=day.isoformat(),
        overridden=", ".join(uncovered))


def _registered(session: Session, value: str) -> tuple[Party, AssistanceProvider]:
    """The provider a person named, or a clear refusal when it is not registered."""
    party = resolve_party(session, value)
    found = providers.find(session=session, party_id=party.id or 0)
    if found is None:
        fail("provider_not_found", party=party.code)
    return party, found


@app.command()
def offer(
    ctx: typer.Context,
    request_id: RequestId,
    provider: Annotated[str, typer.Argument(
        help="The provider (ISO3, acronym or name; see `outreach providers list`).")],
    on: OnDay,
    detail: Annotated[str, typer.Option(help="What the provider offers, in a few lines.")] = "",
) -> None:
    """Record a provider's offer of help against a request (the Committee matches later)."""
    day = _day(on, "--on")
    with registry(ctx) as (cli, session), refusals():
        request = requests.get(session=session, request_id=request_id)
        party, found = _registered(session, provider)
        providers.offer(session=session, request=request, provider=found, offered_on=day,
                        detail=detail, actor=cli.actor, now=cli.clock())
    say("assistance_offered", id=request_id, provider=party.code, on=day.isoformat())


def _waits(session: Session, request: AssistanceRequest, on: date) -> list[dict[str, Any]]:
    """Each step reached, with the days the request waited there: until the next step, or
    until `on` for the current one (none once closed)."""
    reached = requests.steps(session=session, request_id=request.id or 0)
    rows = []
    for position, found in enumerate(reached):
        later = reached[position + 1].reached_on if position + 1 < len(reached) else None
        until = later or (None if found.status in CLOSED else on)
        rows.append({"step": found, "days": None if until is None
                     else (until - found.reached_on).days})
    return rows


@app.command()
def show(ctx: typer.Context, request_id: RequestId) -> None:
    """A request: its State, needs, each step with the days it waited there, and offers."""
    with registry(ctx) as (_cli, session), refusals():
        request = requests.get(session=session, request_id=request_id)
        views = requests.listing(session=session, party_id=request.party_id)
        view = next(view for view in views if view.request.id == request_id)
        text = render("cli/assistance_show.txt.j2", view=view,
                      steps=_waits(session, request, today(ctx)),
                      offers=providers.offers(session=session, request_id=request_id),
                      answers=feedback.answers(session=session, request_id=request_id))
    typer.echo(text)
