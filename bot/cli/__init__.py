"""The `outreach` command line. This module only registers; each command group lives in a
module of its own (registry, pocs, files, outbox, reminders, staff, chair, report, service,
assistance, providers, matrices), and every command reads its context from
bot.cli.common.open_context.

Every command module is imported here, so each keeps its heavy libraries (matplotlib,
openpyxl, python-telegram-bot, the SMTP client, alembic) out of its top level: they are
imported when the command that needs them runs, so that `outreach --help`, `outreach status`
and `outreach states` start at once. tests/e2e/test_cli_startup.py checks which libraries
they load; bench/startup.py measures the time.
"""

import gc

import typer

from bot.cli import (
    action_plans,
    assistance,
    chair,
    files,
    inbox,
    matrices,
    outbox,
    peer_reviews,
    pocs,
    providers,
    registry,
    reminders,
    report,
    responses,
    service,
    staff,
    trainings,
    translations,
    visits,
)
from bot.cli.common import open_context
from bot.cli.errors import OneLineErrors

__all__ = ["app", "main"]

app = typer.Typer(
    name="outreach",
    help="Outreach coordination for the 1540 Committee: registry of Points of Contact, "
    "reporting history and figures.",
    no_args_is_help=True,
    cls=OneLineErrors,
    pretty_exceptions_enable=False,
    # Plain help and usage errors, as click writes them: paragraphs rewrapped to the
    # terminal, and no rich console to load before the first line appears.
    rich_markup_mode=None,
)
app.callback()(open_context)

# In the order `outreach --help` lists them.
app.add_typer(pocs.app, name="pocs")
app.add_typer(files.import_app, name="import")
app.add_typer(files.export_app, name="export")
app.command()(registry.init)
app.command("submissions")(files.list_submissions)
app.command()(outbox.send)
app.add_typer(outbox.deliveries_app, name="deliveries")
app.command()(outbox.dispatch)
app.command()(outbox.templates)
app.add_typer(reminders.app, name="reminders")
app.add_typer(staff.app, name="staff")
app.add_typer(chair.app, name="chair")
app.command()(staff.invite)
app.command()(report.report)
app.command()(registry.states)
app.add_typer(translations.app, name="translations")
app.add_typer(registry.orgs_app, name="orgs")
app.add_typer(assistance.app, name="assistance")
app.add_typer(providers.app, name="providers")
app.add_typer(matrices.app, name="matrices")
app.add_typer(visits.app, name="visits")
app.add_typer(peer_reviews.app, name="peer-reviews")
app.add_typer(action_plans.app, name="action-plans")
app.add_typer(trainings.app, name="trainings")
files.import_app.command("trainings")(trainings.import_command)
app.add_typer(inbox.app, name="inbox")
app.add_typer(responses.app, name="responses")
app.command()(registry.status)
app.command()(service.demo)
app.command()(service.run)


def main() -> None:
    """The `outreach` console script: the app, with what the imports made kept out of the
    garbage collector's sight. Those objects (SQLAlchemy's and pydantic's classes, our
    tables) live as long as the process anyway; without this, every full collection a
    command triggers walks them all again, a third of `outreach status`'s time
    (bench/startup.py)."""
    gc.freeze()
    app()
