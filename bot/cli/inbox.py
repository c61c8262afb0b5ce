"""`outreach inbox`: the documents PoCs sent (`/submit`, the signed upload page), and staff's
decision on each: confirm it as a submission of the reporting history, or as the party's
response to a letter (`--letter`, `--substantive/--not-substantive`: recorded through
storage.letters, the document attached), or decline it with a reason the PoC is sent. Every
change is audited under the CLI's actor; a refusal names its reason and writes nothing."""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from bot.cli.common import FORMAT_HELP, day_option, registry, resolve_party
from bot.render.tables import ListFormat, listing
from bot.render.templates import catalogue_message
from storage.inbox import store
from storage.inbox.model import InboxStatus, Purpose, ReceivedDocument
from storage.parties import Party
from storage.submissions import SubmissionKind

app = typer.Typer(help="Documents PoCs sent (national reports, additional information, "
                  "action plans, responses to letters): list, show, save a copy, confirm as "
                  "a submission or decline with a reason.", no_args_is_help=True)

LIST_COLUMNS = ("id", "state", "poc", "purpose", "file", "type", "size", "channel",
                "received_at", "status", "letter")
DocumentId = Annotated[int, typer.Argument(help="The document's id (see `outreach inbox list`).")]


def say(code: str, **params: Any) -> None:
    typer.echo(catalogue_message("inbox", code, params))


def fail(code: str, **params: Any) -> NoReturn:
    typer.echo(catalogue_message("inbox", code, params), err=True)
    raise typer.Exit(1)


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except store.InboxError as error:
        fail(error.code, **error.params)


def _record(document: ReceivedDocument, party: Party) -> dict[str, Any]:
    return {
        "id": document.id, "state": party.code, "poc": document.poc_id,
        "purpose": document.purpose, "file": document.original_name,
        "type": document.detected_type, "size": document.size, "channel": document.channel,
        "received_at": document.received_at.isoformat(timespec="seconds"),
        "status": document.status, "letter": document.letter_id,
    }


def _details(document: ReceivedDocument, party: Party) -> dict[str, Any]:
    return {
        **_record(document, party), "state_name": party.name, "checksum": document.checksum,
        "duplicate_of": document.duplicate_of, "decided_by": document.decided_by,
        "decided_at": document.decided_at.isoformat(timespec="seconds")
        if document.decided_at else None,
        "submission_kind": document.submission_kind,
        "submitted_on": document.submitted_on.isoformat() if document.submitted_on else None,
        "submission": document.submission_id, "decline_reason": document.decline_reason,
        "matrix_review": document.matrix_review_id,
    }


@app.command("list")
def list_documents(
    ctx: typer.Context,
    status: Annotated[InboxStatus | None, typer.Option(
        help="Only this status: received (awaiting a decision), confirmed, declined or "
        "duplicate.")] = None,
    state: Annotated[str | None, typer.Option(
        help="Only this State or organisation (code or name).")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List the received documents, oldest first."""
    with registry(ctx) as (_cli, session):
        party_id = resolve_party(session, state).id if state else None
        rows = [_record(document, party) for document, party in store.listing(
            session=session, status=status.value if status else None, party_id=party_id)]
    typer.echo(listing(rows, LIST_COLUMNS, fmt))


@app.command()
def show(ctx: typer.Context, document_id: DocumentId) -> None:
    """Everything recorded of one document: checksum, decision, the submission it became."""
    with registry(ctx) as (_cli, session), refusals():
        document = store.get(session=session, document_id=document_id)
        party = session.get(Party, document.party_id)
        assert party is not None
        details = _details(document, party)
    for key, value in details.items():
        typer.echo(f"{key}: {'' if value is None else value}")


@app.command()
def save(
    ctx: typer.Context,
    document_id: DocumentId,
    out: Annotated[Path, typer.Option(help="Where to write the copy (an existing file is "
                                      "never overwritten).")],
) -> None:
    """Copy a document's file out of the data folder, to open it with the right program."""
    with registry(ctx) as (cli, session), refusals():
        document = store.get(session=session, document_id=document_id)
        source = store.path_of(data_dir=cli.settings.data_dir, document=document)
        first = document.duplicate_of
    if source is None:
        fail("inbox_no_file", id=document_id, first=first)
    if not source.is_file():
        fail("inbox_missing_file", id=document_id)
    if out.exists():
        fail("inbox_target_exists", path=out)
    shutil.copyfile(source, out)
    say("inbox_saved", id=document_id, path=out)


class Kind(StrEnum):
    FIRST_REPORT = SubmissionKind.FIRST_REPORT.value
    ADDITIONAL_INFO = SubmissionKind.ADDITIONAL_INFO.value
    ACTION_PLAN = SubmissionKind.ACTION_PLAN.value


LetterOption = Annotated[int | None, typer.Option(
    "--letter", help="Confirm it as the party's response to this letter (see `outreach "
    "responses letters`); default: the letter the PoC named.")]
SubstantiveOption = Annotated[bool | None, typer.Option(
    "--substantive/--not-substantive", help="Whether the response to the letter is "
    "substantive (required with a letter).")]


@app.command()
def confirm(
    ctx: typer.Context,
    document_id: DocumentId,
    kind: Annotated[Kind | None, typer.Option(help="What it is in the reporting history: "
                                              "first_report, additional_info or "
                                              "action_plan.")] = None,
    on: Annotated[str | None, typer.Option(help="The submission's date (YYYY-MM-DD), as the "
                                           "Committee counts it; for a response to a "
                                           "letter, the day it came (default: the day it "
                                           "was received).")] = None,
    letter: LetterOption = None,
    substantive: SubstantiveOption = None,
) -> None:
    """Record the document as a submission of its State (--kind, --on: the reminders follow
    from it), or as its party's response to a letter (--letter, --substantive or
    --not-substantive: the letter's figures count it and its reminders stop). Comments on a
    draft matrix take no option: confirming them records that staff have read them."""
    day = day_option(on, "--on")
    if letter is not None or substantive is not None:
        if kind is not None:
            fail("inbox_confirm_what")
        _confirm_response(ctx, document_id, letter, substantive, day)
        return
    if kind is None and day is None and _comments_read(ctx, document_id):
        return
    if kind is None or day is None:
        fail("inbox_confirm_what")
    with registry(ctx) as (cli, session), refusals():
        document = store.get(session=session, document_id=document_id)
        submission = store.confirm(session=session, document=document, kind=kind.value,
                                   submitted_on=day, actor=cli.actor, now=cli.clock())
        party = session.get(Party, document.party_id)
        assert party is not None
        say("inbox_confirmed", id=document_id, state=party.code, kind=kind.value,
            on=day.isoformat(), submission=submission.id)


def _comments_read(ctx: typer.Context, document_id: int) -> bool:
    """Comments on a draft matrix, confirmed as read (no kind, no date); False for any other
    document (it needs --kind and --on, or --letter)."""
    with registry(ctx) as (cli, session), refusals():
        document = store.get(session=session, document_id=document_id)
        if document.purpose != Purpose.MATRIX_COMMENTS:
            return False
        store.mark_read(session=session, document=document, actor=cli.actor, now=cli.clock())
        say("inbox_comments_read", id=document_id, review=document.matrix_review_id)
    return True


def _confirm_response(ctx: typer.Context, document_id: int, letter: int | None,
                      substantive: bool | None, day: date | None) -> None:
    if substantive is None:
        fail("inbox_substantive_required")
    with registry(ctx) as (cli, session), refusals():
        document = store.get(session=session, document_id=document_id)
        letter_id = letter if letter is not None else document.letter_id
        if letter_id is None:
            fail("inbox_no_letter", id=document_id)
        done = store.confirm_response(
            session=session, document=document, letter_id=letter_id, substantive=substantive,
            responded_on=day or document.received_at.date(), actor=cli.actor,
            now=cli.clock())
        party = session.get(Party, document.party_id)
        assert party is not None
        say("inbox_response_confirmed", id=document_id, state=party.code, letter=letter_id,
            substantive=substantive, on=done.response.responded_on.isoformat())


@app.command()
def decline(
    ctx: typer.Context,
    document_id: DocumentId,
    reason: Annotated[str, typer.Option(help="Why, in words the PoC will read (sent to them "
                                        "once, by their channels).")],
) -> None:
    """Decline a document; the PoC is sent the reason in a message in their language."""
    with registry(ctx) as (cli, session), refusals():
        document = store.get(session=session, document_id=document_id)
        message = store.decline(session=session, document=document, reason=reason,
                                actor=cli.actor, now=cli.clock())
        say("inbox_declined", id=document_id, message=message.id)
