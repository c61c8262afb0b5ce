"""The characters names may not hold, checked against the Unicode database Python ships.

storage/imports/common.py lists them as two compiled character classes (so that checking a
file's every character stays cheap); this spec says the lists are whole and hold nothing else.
"""

import sys
import unicodedata

from storage.imports.common import _CONTROL, _FORMAT

# the marks real names need (see the comment over _FORMAT)
KEPT = {"\u200e", "\u200f", "\u061c", "\u200c", "\u200d"}
EVERY_CHARACTER = [chr(code) for code in range(sys.maxunicode + 1)]


def test_every_format_character_but_the_kept_marks_is_refused() -> None:
    refused = {char for char in EVERY_CHARACTER if _FORMAT.fullmatch(char)}
    formats = {char for char in EVERY_CHARACTER if unicodedata.category(char) == "Cf"}
    assert formats - KEPT <= refused
    assert refused & KEPT == set()
    # nothing else, but format characters later Unicode versions add (unassigned here)
    assert {unicodedata.category(char) for char in refused - formats} <= {"Cn"}


def test_every_control_character_but_tab_and_line_breaks_is_refused() -> None:
    refused = {char for char in EVERY_CHARACTER if _CONTROL.fullmatch(char)}
    controls = {char for char in EVERY_CHARACTER if unicodedata.category(char) == "Cc"}
    assert refused == controls - {"\t", "\n", "\r"}
