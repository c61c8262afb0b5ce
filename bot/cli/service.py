"""`outreach run` (the long-lived service) and `outreach demo` (the product on invented data).

Both import what they run only when called: the rest of the CLI starts without them.
"""

import typer

from bot.cli.common import context


def demo(ctx: typer.Context) -> None:
    """Build a demo registry from INVENTED data matching the 2022 paper, and show its figures.

    Uses its own SQLite file under the data directory, recreated on every run; your
    registry is never touched.
    """
    from bot.demo.run import run_demo
    from bot.main import link_settings

    opened = context(ctx)
    run_demo(opened.settings, opened.clock(), link_settings(opened.settings))


def run(ctx: typer.Context) -> None:
    """Run the long-lived service: migrations, then the health endpoint until SIGTERM."""
    from bot.main import run_service

    run_service(context(ctx))
