"""The guard against formula injection, written on the way out and taken off on the way in.

A spreadsheet that opens a CSV file runs any cell starting with `=`, `+`, `-` or `@` as a
formula (and some start one after a tab or a carriage return): a PoC named
`=HYPERLINK("http://evil.example/x","click")` would become a link in the Committee's own
export. OWASP's advice is to write such a cell with a leading apostrophe, which spreadsheets
show as text. The rule here, the same for CSV and XLSX files:

- on the way out, a text cell that starts with any number of apostrophes followed by one of
  `= + - @ TAB CR` gets one more apostrophe in front: `=1+1` is written `'=1+1`, and a value
  that really starts with `'=`, such as `'=1+1`, is written `''=1+1`;
- on the way in, a cell that starts with one or more apostrophes followed by one of those
  characters loses its first apostrophe, and nothing else changes.

So every exported file imports back unchanged, a file typed by hand without apostrophes
imports as typed, and the only values read differently from how they are written are those
that start with apostrophes before `= + - @`, which is where the guard lives.
"""

import re

# Apostrophes, then a character a spreadsheet may start a formula with.
_GUARDABLE = re.compile(r"'*[=+\-@\t\r]")
_GUARDED = re.compile(r"'+[=+\-@\t\r]")


def guard(value: str) -> str:
    """The text to write in a cell so that no spreadsheet takes it for a formula."""
    return "'" + value if _GUARDABLE.match(value) else value


def unguard(value: str) -> str:
    """The value a cell written by guard() stands for (a cell without the guard as is)."""
    return value[1:] if _GUARDED.match(value) else value
