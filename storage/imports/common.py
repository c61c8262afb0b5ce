"""What both importers share: the header check, parsing helpers and the report."""

import difflib
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from storage.imports.tabular import Table
from storage.parties import Party
from storage.problems import Problem
from storage.reference_data import aliases


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.problems and not self.dry_run


def fold(text: str) -> str:
    """Case- and accent-insensitive key, so "cote d'ivoire" finds "Côte d'Ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


def closest(value: str, choices: Iterable[str]) -> str:
    """The choice a person most likely meant, or "" when none is close."""
    by_key = {fold(choice): choice for choice in choices}
    match = difflib.get_close_matches(fold(value), list(by_key), n=1, cutoff=0.7)
    return by_key[match[0]] if match else ""


def begin(table: Table, required: set[str], optional: set[str], dry_run: bool) -> ImportReport:
    """A report for this file, holding any header problems (then nothing else is checked)."""
    report = ImportReport(rows=len(table.rows), dry_run=dry_run)
    report.problems.extend(check_header(table, required, optional))
    return report


def finish(session: Session, report: ImportReport) -> ImportReport:
    """A dry run takes back what it did; a real import hands its writes to the caller."""
    if report.dry_run:
        session.rollback()
    else:
        session.flush()
    return report


class FirstLines:
    """Remembers where each row's natural key first appeared, to name duplicates."""

    def __init__(self) -> None:
        self._lines: dict[Hashable, int] = {}

    def is_duplicate(self, key: Hashable, line: int, problems: list[Problem]) -> bool:
        first = self._lines.setdefault(key, line)
        if first == line:
            return False
        problems.append(Problem(line, "duplicate_row", {"first_line": str(first)}))
        return True


def check_header(table: Table, required: set[str], optional: set[str]) -> list[Problem]:
    problems = [
        Problem(1, "missing_column", {"column": column})
        for column in sorted(required - set(table.columns))
    ]
    for column in table.columns:
        if column not in required | optional:
            suggestion = closest(column, required | optional)
            problems.append(
                Problem(1, "unknown_column", {"column": column, "suggestion": suggestion})
            )
    return problems


class PartyFinder:
    """Resolves what a person typed (code or name) to a party, with a "did you mean"."""

    def __init__(self, parties: Iterable[Party]) -> None:
        self._parties = list(parties)
        self._by_key: dict[str, Party] = {fold(p.name): p for p in self._parties}
        self._by_key.update({fold(p.code): p for p in self._parties})
        self._aliases = aliases()

    def find(self, value: str, former_names: bool = False) -> Party | None:
        """The party named exactly; with `former_names`, "Turkey" finds Türkiye too (chat
        look-ups accept them; imports do not, they only suggest)."""
        party = self._by_key.get(fold(value))
        if party is None and former_names:
            code = next((iso3 for alias, iso3 in self._aliases.items()
                         if fold(alias) == fold(value)), None)
            party = None if code is None else self._by_key.get(fold(code))
        return party

    def suggestion(self, value: str, kind: str | None = None) -> str:
        candidates = [p for p in self._parties if kind is None or p.kind == kind]
        by_text = {p.name: p for p in candidates} | {p.code: p for p in candidates}
        by_code = {p.code: p for p in candidates}
        by_text |= {alias: by_code[code] for alias, code in self._aliases.items()
                    if code in by_code}
        best = closest(value, by_text)
        if not best:
            return ""
        party = by_text[best]
        return f"{party.code} ({party.name})"


def parse_date(
    value: str, column: str, line: int | None, today: date, problems: list[Problem]
) -> date | None:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(line, "bad_date", {"column": column, "value": value}))
        return None
    if parsed > today:
        problems.append(Problem(line, "future_date", {"column": column, "value": value}))
        return None
    return parsed


# Control characters (category Cc) but tab and line breaks: a database may refuse them (NUL)
# and no name or title needs them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The invisible format characters (category Cf): with a bidirectional override (U+202A-U+202E)
# or isolate (U+2066-U+2069) a name displays reversed in every listing, and the others hide
# text or make two equal-looking names differ. Kept, because real names in the six UN
# languages need them: U+200E and U+200F (left-to-right and right-to-left marks) and U+061C
# (Arabic letter mark), which place digits and punctuation in Arabic text; U+200C and U+200D
# (zero-width non-joiner and joiner), part of the spelling of Persian, Urdu and other names
# in Arabic script. tests/rules/test_invisible_characters.py checks this list against the
# Unicode database. One compiled class: a file's every character passes through it.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]")


def check_cells(
    row: Mapping[str, str], limits: Mapping[str, int], line: int | None, problems: list[Problem]
) -> None:
    """Text a database can store and a listing shows as it is: no control characters, no
    invisible format characters, nothing longer than its column."""
    # one search over the whole row first ("\n" is in neither class): most rows are clean
    whole = "\n".join(row.values())
    if _CONTROL.search(whole) or _FORMAT.search(whole):
        for column, value in row.items():
            if _CONTROL.search(value):
                problems.append(Problem(line, "control_character", {"column": column}))
            if found := _FORMAT.search(value):
                problems.append(Problem(line, "format_character", {
                    "column": column, "character": f"U+{ord(found.group()):04X}"}))
    for column, limit in limits.items():
        if len(row.get(column, "")) > limit:
            problems.append(Problem(line, "too_long", {"column": column, "limit": str(limit)}))


def choice(
    value: str, allowed: Iterable[str], code: str, line: int | None, problems: list[Problem],
    normalise: Callable[[str], str] = lambda text: text.strip().lower().replace(" ", "_"),
) -> str | None:
    options = list(allowed)
    wanted = normalise(value)
    if wanted in options:
        return wanted
    problems.append(Problem(line, code, {"value": value, "allowed": ", ".join(options)}))
    return None
