"""Running `outreach` in-process, as a staff member would (the `outreach` fixture)."""

from collections.abc import Callable

from typer.testing import Result

Invoke = Callable[..., Result]


def outreach_with(env: dict[str, str | None], *args: str) -> Result:
    """`outreach ARGS...` in-process with exactly these OUTREACH_* variables (None unsets
    one), for specs about the configuration itself."""
    import os

    from typer.testing import CliRunner

    from bot.cli import app

    unset: dict[str, str | None] = {key: None for key in os.environ
                                    if key.startswith("OUTREACH_")}
    return CliRunner().invoke(app, list(args), env=unset | env, catch_exceptions=False)
