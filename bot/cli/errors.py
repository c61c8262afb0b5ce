"""Errors a person can act on, as one line on stderr and exit code 1, never a traceback:
a database that cannot be reached, opened or written, a data folder that cannot be made,
a configuration that does not parse. Nothing printed repeats a password: databases are
named without it (storage.db.database_name), settings by variable, never by value."""

from typing import Any

import typer
from pydantic import ValidationError
from typer._click import Context  # the type TyperGroup.invoke takes (typer vendors click)
from typer.core import TyperGroup

from bot.main import AppContext
from bot.render.templates import message
from storage.db import database_name, database_problem

__all__ = ["OneLineErrors", "settings_problems"]


class OneLineErrors(TyperGroup):
    """The `outreach` group: a database problem met by any command ends it with one line."""

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as error:
            opened = ctx.find_root().obj
            if not isinstance(opened, AppContext):  # failed before the context was built
                raise
            engine = opened.engine
            problem = database_problem(error, engine.url)
            if problem is None:
                raise
            busy = opened.settings.sqlite_busy_seconds
            typer.echo(message(problem.value, database=database_name(engine.url),
                               seconds=f"{busy:g}"), err=True)
            raise typer.Exit(1) from None


def settings_problems(error: ValidationError) -> str:
    """Every problem of the settings on one line, each naming its OUTREACH_ variable; the
    values given are never shown (pydantic's `input` is left out: tokens, passwords)."""
    problems = []
    for found in error.errors(include_input=False, include_url=False):
        text = str(found["msg"]).removeprefix("Value error, ")
        location = found.get("loc") or ()
        if location:
            variable = f"OUTREACH_{str(location[0]).upper()}"
            if variable not in text:
                text = f"{variable}: {text}"
        problems.append(text)
    return "; ".join(problems)
