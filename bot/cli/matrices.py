"""`outreach matrices`: the Committee's matrices (seed paper, section 4.3) for staff; they
are written by `outreach import matrices`, and a draft goes to its State for review with
`outreach matrices send-for-review` (bot/cli/matrices_review.py)."""

from typing import Annotated, Any

import typer

from bot.cli.common import FORMAT_HELP, fail, registry, resolve_party, today
from bot.cli.matrices_review import send_for_review, words
from bot.render.tables import ListFormat, listing
from bot.render.templates import render
from storage.figures.matrices import version_shares
from storage.inbox import store
from storage.matrices import reviews, versions
from storage.matrices.versions import VersionView

app = typer.Typer(help="The Committee's matrices (seed paper, section 4.3): each State's "
                  "versions, their dates and the measures recorded; a draft sent to its "
                  "State for review.", no_args_is_help=True)
app.command("send-for-review")(send_for_review)

LIST_COLUMNS = ("state", "state_name", "version", "template", "sent_on", "approved_on",
                "published_on", "recorded", "possible", "percent")


def _record(view: VersionView) -> dict[str, Any]:
    version, shares = view.version, version_shares(view.cells)
    return {
        "state": view.party.code, "state_name": view.party.name, "version": version.version,
        "template": version.template, "sent_on": version.sent_on.isoformat(),
        "approved_on": version.approved_on.isoformat() if version.approved_on else None,
        "published_on": version.published_on.isoformat() if version.published_on else None,
        "recorded": shares.overall.recorded, "possible": shares.overall.possible,
        "percent": shares.overall.percent,
    }


@app.command("list")
def list_matrices(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option(help="Only this State (ISO3 or name).")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List every matrix version by State, with its dates and the share of possible
    measures recorded."""
    with registry(ctx) as (_cli, session):
        party_id = resolve_party(session, state).id if state else None
        rows = [_record(view) for view in versions.listing(session=session, party_id=party_id)]
    typer.echo(listing(rows, LIST_COLUMNS, fmt))


@app.command()
def show(
    ctx: typer.Context,
    state: Annotated[str, typer.Argument(help="The State (ISO3 or name).")],
) -> None:
    """A State's matrix: each version, newest first, with its dates and its shares by
    section and weapon category; marks the version the figures count today; then the
    drafts sent for review through the bot, where the State's answer stands and the
    comments documents each received."""
    with registry(ctx) as (_cli, session):
        party = resolve_party(session, state)
        found = versions.listing(session=session, party_id=party.id)
        counted = versions.latest(session=session, party_id=party.id or 0,
                                  approved_by=today(ctx))
        sent = reviews.of_party(session=session, party_id=party.id or 0)
        comments = store.comments_of(session=session,
                                     review_ids=[review.id or 0 for review, _ in sent])
    if not found:
        fail("matrix_none", state=party.code)
    typer.echo(render("cli/matrix_show.txt.j2", party=party, counted=counted,
                      versions=[(view, version_shares(view.cells))
                                for view in reversed(found)]))
    for review, version in sent:
        typer.echo(words("review_line", review=review, version=version.version))
        for document in comments.get(review.id or 0, []):
            typer.echo(words("review_comments", document=document))
