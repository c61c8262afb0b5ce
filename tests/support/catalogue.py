"""A translators' catalogue with a word taken out, for specs of what a reader gets when a
language lacks it. The shipped templates/locale/ is copied to a temporary folder and used
in its place until the spec ends; the cached catalogues are swapped for fresh ones, so the
shipped ones are neither read stale nor left altered for the next spec."""

import shutil
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from bot.render import catalogue
from bot.render import messages as compose


def catalogue_lacking(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, language: str,
                      domain: str, message: str) -> None:
    """From now until the spec ends, `language`'s `domain` catalogue has `message`
    untranslated (as a translator's new word would be before it is filled)."""
    locale = tmp_path / "locale"
    shutil.copytree(catalogue.LOCALE, locale)
    path = locale / language / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as source:
        po = read_po(source, locale=language, domain=domain)
    assert po[message] is not None and po[message].string, f"{message!r} not translated"
    po[message].string = ""
    with path.open("wb") as target:
        write_po(target, po)
    monkeypatch.setattr(catalogue, "LOCALE", locale)
    for module, name in ((catalogue, "catalogue"), (compose, "_translated"),
                         (compose, "_marked_words")):
        monkeypatch.setattr(module, name, cache(getattr(module, name).__wrapped__))
