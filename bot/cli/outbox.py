"""`outreach send`, `outreach deliveries`, `outreach dispatch`, `outreach templates`."""

import asyncio
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlmodel import Session

from bot.cli.common import FORMAT_HELP, day_option, fail, registry, resolve_party, say
from bot.main import build_dispatcher
from bot.render.messages import (
    languages_of,
    message_templates,
    missing_translations,
    pick_language,
)
from bot.render.tables import ListFormat, listing
from bot.render.templates import catalogue_message
from bot.render.templates import message as sentence
from storage import letters, outbox, pocs
from storage.outbox import DeliveryState

if TYPE_CHECKING:
    # the dispatcher and its senders are built when `dispatch` or `send` runs (bot.main)
    from bot.delivery.dispatcher import DispatchStats

deliveries_app = typer.Typer(
    help="List deliveries (every message to every PoC by every channel); resend the "
    "uncertain or failed ones a person has checked.",
    invoke_without_command=True,
)

PAGE_SIZE = 500  # deliveries `outreach deliveries` lists unless --limit says otherwise
DELIVERY_COLUMNS = ("id", "message", "poc", "party", "channel", "state", "attempts",
                    "next_attempt_at", "sent_at", "last_error")
TEMPLATE_COLUMNS = ("template", "languages", "missing")


def _poc_ids(session: Session, targets: list[str]) -> list[int]:
    ids: list[int] = []
    for target in targets:
        if target.isdigit():
            if pocs.get(session=session, poc_id=int(target)) is None:
                fail("poc_not_found", poc_id=target)
            ids.append(int(target))
            continue
        party = resolve_party(session, target)
        ids.extend(view.poc.id or 0 for view in pocs.listing(session=session, party_id=party.id))
    return ids


def _report(stats: "DispatchStats") -> None:
    say("dispatch_done", sent=stats.sent, retried=stats.retried, failed=stats.failed,
        uncertain=stats.uncertain + stats.swept_to_uncertain)


def send(
    ctx: typer.Context,
    to: Annotated[list[str], typer.Option(
        help="A PoC id, or a State/organisation (all its active PoCs). Repeat for several.")],
    template: Annotated[str, typer.Option(help="Message template (see `outreach templates`).")],
    queue_only: Annotated[bool, typer.Option(
        help="Only queue; `outreach dispatch` or `outreach run` sends later.")] = False,
    expect_response_by: Annotated[str | None, typer.Option(
        help="A letter that expects a response from each party by this day (YYYY-MM-DD): "
        "see `outreach responses`.")] = None,
) -> None:
    """Send a one-off message to PoCs, by every channel each one can be reached on."""
    due_on = day_option(expect_response_by, "--expect-response-by")
    if template not in message_templates():
        fail("unknown_template", value=template, allowed=", ".join(message_templates()))
    with registry(ctx) as (cli, session):
        poc_ids = _poc_ids(session, to)
        audience = outbox.audience_of(session=session, poc_ids=poc_ids)
        languages = {r.poc_id: pocs.get(session=session, poc_id=r.poc_id)
                     for r in audience.recipients}
        fallbacks = sorted({poc.language for poc in languages.values()
                            if poc is not None and pick_language(template, poc.language)[1]})
        message = outbox.enqueue(
            session=session, kind="one_off", template=template, context={},
            audience=outbox.targets_audience(to), audited={"targets": list(to)},
            recipients=audience.recipients, created_by=cli.actor, now=cli.clock(),
        )
        letter = None if due_on is None else letters.expect_for_message(
            session=session, outbox_message_id=message.id or 0, due_on=due_on,
            actor=cli.actor, now=cli.clock())
    if fallbacks:
        say("english_fallback", languages=", ".join(fallbacks))
    by_channel = {c: sum(1 for r in audience.recipients if r.channel == c) for c in outbox.Channel}
    say("queued", message_id=message.id, total=len(audience.recipients),
        email=by_channel[outbox.Channel.EMAIL], telegram=by_channel[outbox.Channel.TELEGRAM])
    if audience.unreachable:
        say("no_channel", ids=", ".join(str(i) for i in audience.unreachable))
    if letter is not None:
        typer.echo(catalogue_message("letters", "letter_expected", {
            "letter_id": letter.id, "due_on": letter.due_on, "policy_id": letter.policy_id}))
    if not queue_only:
        dispatch(ctx)


def dispatch(ctx: typer.Context) -> None:
    """Release the Chair's approved messages whose time has come, send every delivery that is
    due now, then stop (for cron; `run` does it continuously)."""
    from scheduler.chair_tick import release_and_settle, settle_finished

    # The tick's own code, so its guarantee holds against `run` or another dispatch at the
    # same moment: a conditional update releases each message once, the outbox's unique
    # keys back it up.
    with registry(ctx) as (cli, session):
        tick = release_and_settle(session=session, now=cli.clock())
    for released in tick.released:
        say("chair_released", message_id=released.message_id, deliveries=released.deliveries,
            unreachable=len(released.unreachable))
    _say_settled(tick.settled)
    dispatcher = build_dispatcher(cli)
    if dispatcher.telegram is None:
        say("telegram_off")
    _report(asyncio.run(dispatcher.run_once()))
    with registry(ctx) as (cli, session):
        _say_settled(settle_finished(session=session, now=cli.clock()))


def _say_settled(message_ids: list[int]) -> None:
    for message_id in message_ids:
        say("chair_settled", message_id=message_id)


@deliveries_app.callback()
def list_deliveries(
    ctx: typer.Context,
    state: Annotated[DeliveryState | None, typer.Option(
        help="Only this state: pending, sending, sent, retry, failed or uncertain.")] = None,
    message: Annotated[int | None, typer.Option(help="Only this message id.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = PAGE_SIZE,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many rows first.")] = 0,
) -> None:
    """List deliveries, oldest first, a page at a time: says how many more there are."""
    if ctx.invoked_subcommand is not None:
        return
    with registry(ctx) as (_cli, session):
        page = outbox.listing(session=session, state=state, message_id=message, limit=limit,
                              offset=offset)
        rows: list[dict[str, Any]] = [
            {"id": d.id, "message": d.message_id, "poc": d.poc_id, "party": party,
             "channel": d.channel, "state": d.state, "attempts": d.attempts,
             "next_attempt_at": d.next_attempt_at.isoformat(timespec="seconds"),
             "sent_at": d.sent_at.isoformat(timespec="seconds") if d.sent_at else None,
             "last_error": d.last_error}
            for d, party in page.rows
        ]
    typer.echo(listing(rows, DELIVERY_COLUMNS, fmt))
    _say_what_the_page_leaves_out(offset, len(rows), page.total)


def _say_what_the_page_leaves_out(offset: int, shown: int, total: int) -> None:
    """On standard error, so that CSV and JSON on standard output stay data."""
    if shown == 0 and offset > 0:
        typer.echo(sentence("deliveries_past_the_end", offset=offset, total=total), err=True)
    elif offset + shown < total:
        typer.echo(sentence("deliveries_more", first=offset + 1, last=offset + shown, total=total,
                           more=total - offset - shown, next_offset=offset + shown), err=True)


@deliveries_app.command()
def resend(
    ctx: typer.Context,
    ids: Annotated[list[int], typer.Argument(help="Delivery ids (uncertain or failed).")],
) -> None:
    """Send again deliveries a person has checked: uncertain ones the PoC did not get, or
    failed ones whose cause is fixed. Audited."""
    with registry(ctx) as (cli, session):
        done = outbox.resend(session=session, delivery_ids=ids, actor=cli.actor, now=cli.clock())
    refused = sorted(set(ids) - set(done))
    if done:
        say("resend_queued", ids=", ".join(map(str, done)))
    if refused:
        fail("resend_refused", ids=", ".join(map(str, refused)))


def templates(
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """Message templates, the UN languages each is complete in, and those it lacks."""
    missing = missing_translations()
    rows = [{"template": name, "languages": languages_of(name), "missing": missing[name]}
            for name in message_templates()]
    typer.echo(listing(rows, TEMPLATE_COLUMNS, fmt))
