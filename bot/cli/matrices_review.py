"""`outreach matrices send-for-review`: a State's draft matrix sent to its active PoCs with
the file attached, by every channel each can be reached on; a dry run unless --confirm."""

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from bot.cli.common import context, day_option, registry, resolve_party
from bot.render.templates import catalogue_message
from storage import outbox
from storage.matrices import reviews
from storage.matrices.versions import MatrixError

CATALOGUE = "matrix_reviews"


def words(code: str, **params: Any) -> str:
    return catalogue_message(CATALOGUE, code, params)


def refuse(code: str, params: dict[str, Any], exit_code: int = 1) -> NoReturn:
    typer.echo(words(code, **params), err=True)
    raise typer.Exit(exit_code)


def send_for_review(
    ctx: typer.Context,
    state: Annotated[str, typer.Argument(help="The State (ISO3 or name).")],
    version: Annotated[int, typer.Option("--version", min=1,
                                         help="The version of its matrix to send.")],
    file: Annotated[Path, typer.Option("--file", help="The draft: a PDF, DOCX, ODT or XLSX "
                                       "document (checked by its content), attached as is.")],
    respond_by: Annotated[str | None, typer.Option(
        help="The day the State is asked to answer by (YYYY-MM-DD; default "
        f"{reviews.DEFAULT_RESPOND_DAYS} days from today); reminders start the day after.")
    ] = None,
    confirm: Annotated[bool, typer.Option(
        help="Record the review and queue the message; without it, only say what would "
        "go.")] = False,
) -> None:
    """Send a State its draft matrix for review: the State's active PoCs get the file with
    "approved" / "comments" buttons (Telegram) or the upload link (e-mail); the review's
    reminder policy is created paused. A dry run unless --confirm."""
    due = day_option(respond_by, "--respond-by")
    try:
        content = file.read_bytes()
    except OSError:
        refuse("matrix_draft_unreadable", {"path": str(file)})
    cli = context(ctx)
    now = cli.clock()
    if due is not None and due < now.date():
        refuse("matrix_review_bad_due", {"value": due.isoformat()}, exit_code=2)
    with registry(ctx) as (_cli, session):
        party = resolve_party(session, state)
        try:
            draft = reviews.check_draft(session=session, party=party, number=version,
                                        content=content,
                                        max_bytes=min(cli.settings.upload_max_bytes,
                                                      reviews.DRAFT_MAX_BYTES))
        except MatrixError as error:
            refuse(error.code, dict(error.params))
        audience = outbox.audience_of(session=session, poc_ids=list(draft.poc_ids))
        by_channel = {c: sum(1 for r in audience.recipients if r.channel == c)
                      for c in outbox.Channel}
        if not confirm:
            typer.echo(words(
                "matrix_review_preview", state=party.code, version=version, file=file.name,
                kind=draft.detected_type, size=len(content), pocs=len(draft.poc_ids),
                email=by_channel[outbox.Channel.EMAIL],
                telegram=by_channel[outbox.Channel.TELEGRAM],
                due=(due or now.date() + timedelta(days=reviews.DEFAULT_RESPOND_DAYS))
                .isoformat()))
        else:
            review = reviews.send_for_review(session=session, draft=draft, file_name=file.name,
                                             due_on=due, data_dir=cli.settings.data_dir,
                                             actor=cli.actor, now=now)
            typer.echo(words(
                "matrix_review_sent", review_id=review.id, state=party.code, version=version,
                message_id=review.outbox_message_id, deliveries=len(audience.recipients),
                due=review.due_on.isoformat(), policy_id=review.policy_id))
    if audience.unreachable:
        typer.echo(words("matrix_review_unreachable",
                         ids=", ".join(str(i) for i in audience.unreachable)))
