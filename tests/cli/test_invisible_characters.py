"""Names that display other than they are written are refused: bidirectional overrides and
isolates, like every invisible format character, are refused as control characters are,
while the marks real names in the six UN languages need are kept."""

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from storage.pocs import PointOfContact
from tests.support.cli import Invoke


def stored_pocs(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(PointOfContact)).one()


@pytest.mark.parametrize("character", ["\u202e", "\u202d", "\u2066", "\u2069", "\u200b"])
def test_an_import_refuses_a_name_with_an_override_and_says_which_character(
    outreach: Invoke, write_file: Callable[..., Path], session: Session, character: str
) -> None:
    path = write_file("p.csv", "party,full_name,email\n"
                      f"FRA,Claire {character}tseT-nitraM,claire@example.org\n")
    result = outreach("import", "pocs", str(path))
    assert result.exit_code == 1
    code = f"U+{ord(character):04X}"
    assert result.stderr.splitlines()[0] == (
        f'line 2: "full_name" contains the invisible formatting character {code} (such as a '
        "right-to-left override, which makes text display reversed); remove it")
    assert stored_pocs(session) == 0


def test_names_keep_the_marks_arabic_and_persian_spelling_need(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    names = ("\u0645\u062d\u0645\u062f \u0627\u0644\u0627\u062e\u062a\u0628\u0627\u0631\u200f",
             "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 Test",
             "\u061c\u0639\u0644\u064a 2-Test", "Asha\u200d Test", "Ivo Novak\u200e-Test")
    rows = "".join(f"IRN,{name},p{n}@example.org\n" for n, name in enumerate(names))
    result = outreach("import", "pocs", str(write_file("p.csv", "party,full_name,email\n" + rows)))
    assert result.exit_code == 0, result.output
    assert stored_pocs(session) == len(names)


def test_pocs_add_refuses_an_override_without_a_line_number(
    outreach: Invoke, session: Session
) -> None:
    result = outreach("pocs", "add", "--party", "FRA", "--name", "Claire \u202etseT-nitraM",
                      "--email", "claire@example.org")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        '"full_name" contains the invisible formatting character U+202E (such as a '
        "right-to-left override, which makes text display reversed); remove it")
    assert stored_pocs(session) == 0


def test_pocs_edit_refuses_an_isolate_and_keeps_the_name(outreach: Invoke) -> None:
    added = outreach("pocs", "add", "--party", "FRA", "--name", "Claire Martin-Test",
                     "--email", "claire@example.org")
    assert added.exit_code == 0, added.output
    result = outreach("pocs", "edit", "1", "--title", "\u2067Counsellor\u2069")
    assert result.exit_code == 1
    assert result.stderr.startswith('"title" contains the invisible formatting character U+2067')
    assert "line 0" not in result.stderr
    assert '"title": ""' in outreach("pocs", "--format", "json").output
