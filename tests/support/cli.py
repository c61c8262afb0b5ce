"""Running `outreach` in-process, as a staff member would (the `outreach` fixture)."""

from collections.abc import Callable

from typer.testing import Result

Invoke = Callable[..., Result]
