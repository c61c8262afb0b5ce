"""`outreach responses`: the letters that expect an answer (a Chair's message or one sent
with `outreach send`, marked with --expect-response-by), who was written to, who answered.

A response that came by note verbale is recorded by staff here; a PoC's own comes from the
buttons and links of the letter (bot/delivery/answer_kinds.py LETTER).
Every write is audited under the CLI's actor; a refusal names its reason and writes
nothing."""

from typing import Annotated, Any, NoReturn

import typer

from bot.cli.common import FORMAT_HELP, day_option, registry, resolve_party
from bot.render.tables import ListFormat, listing
from bot.render.templates import catalogue_message
from storage import letters
from storage.figures.letters import letter_rows, letter_summaries
from storage.letters import LetterError, ResponseKind

app = typer.Typer(help="Letters that expect an answer: who was written to, who responded, "
                  "substantively or not; record a response that came by note verbale.",
                  no_args_is_help=True)

LETTER_COLUMNS = ("letter", "source", "due_on", "written_to", "responded", "substantive",
                  "promised", "awaiting", "policy")
PARTY_COLUMNS = ("party", "party_name", "answer", "substantive", "responded_on",
                 "promised_by", "channel", "document")


def _say(code: str, **params: Any) -> None:
    typer.echo(catalogue_message("letters", code, params))


def _fail(error: LetterError) -> NoReturn:
    typer.echo(catalogue_message("letters", error.code, dict(error.params)), err=True)
    raise typer.Exit(1)


LetterId = Annotated[int, typer.Argument(metavar="LETTER", help="The letter's id (see "
                                         "`outreach responses letters`).")]
Fmt = Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)]


@app.command("letters")
def list_letters(ctx: typer.Context, fmt: Fmt = ListFormat.TABLE) -> None:
    """Every letter that expects an answer, with how many parties were written to, how many
    responded (substantively), promised, or are still awaited."""
    with registry(ctx) as (cli, session):
        rows = [s.row() for s in letter_summaries(session=session, today=cli.clock().date())]
    typer.echo(listing(rows, LETTER_COLUMNS, fmt))


@app.command("list")
def list_responses(ctx: typer.Context, letter: LetterId, fmt: Fmt = ListFormat.TABLE) -> None:
    """One row per party letter LETTER was written to: its answer (response, promise or
    none yet), whether substantive, when, by which road."""
    with registry(ctx) as (_cli, session):
        try:
            rows = letter_rows(session=session, letter_id=letter)
        except LetterError as error:
            _fail(error)
    typer.echo(listing(rows, PARTY_COLUMNS, fmt))


@app.command()
def record(
    ctx: typer.Context,
    letter: LetterId,
    party: Annotated[str, typer.Argument(help="The State or organisation (code or name).")],
    substantive: Annotated[bool | None, typer.Option(
        "--substantive/--not-substantive",
        help="Whether the response is substantive (required for a response).")] = None,
    on: Annotated[str | None, typer.Option(
        "--on", help="The day the response arrived (YYYY-MM-DD; default today).")] = None,
    promise_by: Annotated[str | None, typer.Option(
        "--promise-by", help="Record a promise instead: the party will respond by this day "
        "(YYYY-MM-DD).")] = None,
) -> None:
    """Record PARTY's response to letter LETTER (a note verbale, a letter by post): a second
    one replaces the first, audited. With --promise-by, a promise to respond by that day:
    it stops the reminders until then."""
    day = day_option(on, "--on")
    promised = day_option(promise_by, "--promise-by")
    if promised is None and substantive is None:
        _fail(LetterError("letter_substantive_required"))
    with registry(ctx) as (cli, session):
        found = resolve_party(session, party)
        try:
            item = letters.get(session=session, letter_id=letter)
            written = {p.id for p in letters.written_to(session=session, letter=item)}
            if found.id not in written:
                raise LetterError("letter_not_written_to", letter_id=letter, party=found.code)
            done = letters.record(
                session=session, letter_id=letter, party_id=found.id or 0,
                kind=ResponseKind.PROMISE if promised else ResponseKind.RESPONSE,
                on=day or cli.clock().date(), channel="note_verbale", actor=cli.actor,
                now=cli.clock(), substantive=None if promised else substantive,
                promised_by=promised)
        except LetterError as error:
            _fail(error)
    _say("letter_recorded" if done.changed else "letter_unchanged", letter_id=letter,
         party=found.code, kind=done.response.kind, substantive=done.response.substantive)
