"""`outreach translations`: the translators' catalogue (templates/locale/, gettext .po)."""

import typer

from bot.cli.common import fail, say
from bot.render import catalogue

app = typer.Typer(help="The translators' catalogue of every word a PoC or reader sees "
                  "(gettext .po files under templates/locale/).", no_args_is_help=True)


@app.command()
def check() -> None:
    """List, per language, every word its catalogue lacks; exit 1 when any is missing."""
    missing = list(catalogue.missing())
    for item in missing:
        say("translation_missing", lang=item.language, domain=item.domain,
            key=item.context or "", text=item.message)
    if missing:
        fail("translations_incomplete", count=len(missing))
    say("translations_complete", domains=", ".join(catalogue.domains()))


@app.command()
def extract() -> None:
    """Write each area's marked words into templates/locale/<area>.pot and merge them into
    every language's .po (new words empty, for translators to fill)."""
    from bot.render.catalogue_extract import extract as write_catalogues

    for domain in catalogue.domains():
        for path in write_catalogues(domain):
            say("catalogue_written", path=path.relative_to(catalogue.TEMPLATES.parent))
