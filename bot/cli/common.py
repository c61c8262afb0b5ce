"""What every CLI command shares: the context, messages, failing cleanly."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
from sqlmodel import Session, select

from bot.cli.errors import settings_problems
from bot.main import AppContext, build_context
from bot.render.templates import message
from bot.settings import Settings
from storage.db import schema_is_current, session_scope
from storage.imports.common import PartyFinder
from storage.parties import Party

FORMAT_HELP = "Output format: table, csv or json."


def say(code: str, **params: Any) -> None:
    typer.echo(message(code, **params))


def fail(code: str, exit_code: int = 1, **params: Any) -> NoReturn:
    typer.echo(message(code, **params), err=True)
    raise typer.Exit(exit_code)


def open_context(ctx: typer.Context) -> None:
    """Outreach coordination for the 1540 Committee.

    Configuration comes from OUTREACH_* environment variables (see the README).
    """
    try:
        settings = Settings()
    except ValidationError as error:
        fail("invalid_settings", text=settings_problems(error))
    try:
        opened = build_context(settings)
    except OSError as error:  # the data folder: under a file, not permitted, a full disk
        fail("data_dir_unusable", path=settings.data_dir,
             reason=error.strerror or type(error).__name__)
    ctx.obj = opened
    ctx.call_on_close(opened.engine.dispose)


def context(ctx: typer.Context) -> AppContext:
    found = ctx.find_root().obj
    assert isinstance(found, AppContext)
    return found


@contextmanager
def registry(ctx: typer.Context) -> Iterator[tuple[AppContext, Session]]:
    """A unit of work on an initialised database; refuses clearly if `init` was not run."""
    cli = context(ctx)
    if not schema_is_current(cli.engine):
        fail("database_not_ready")
    with session_scope(cli.engine) as session:
        yield cli, session


def resolve_party(session: Session, value: str) -> Party:
    """A party from its code or name as typed, or a clear refusal with a suggestion."""
    finder = PartyFinder(session.exec(select(Party)))
    party = finder.find(value)
    if party is None:
        fail("unknown_party_option", value=value, suggestion=finder.suggestion(value))
    return party


def day_option(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option's date (None when not given); anything else exits 2, naming it."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail("invalid_option", exit_code=2, option=option,
             text=f"{value!r} is not a date (YYYY-MM-DD)")


def today(ctx: typer.Context) -> date:
    """Today's date, in UTC like every time the registry keeps (the context's clock)."""
    return context(ctx).clock().date()
