"""Read a CSV (UTF-8, BOM or not, comma or semicolon) or XLSX file into numbered rows.

Files come from outside, so reading one is bounded: the file is streamed row by row, blank
rows are dropped as they come and the rows kept are held as one compact CSV text, so that
memory follows the cells actually present, not what a sheet claims or pads to. The caps
below refuse a file early, with one problem and no traceback. The XLSX side lives in
storage/imports/workbook.py.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from array import array
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from storage.imports.formula_guard import unguard
from storage.problems import Problem

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_COLUMNS = 64  # the widest import has 17 columns
MAX_CELLS = 2_000_000  # over 100,000 rows of the widest import
MAX_CELL_CHARS = 131_072  # what Python's CSV reader accepts by default, now for XLSX as well

Row = tuple[int, dict[str, str]]


class TableError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


class StoredRows(Collection[Row]):
    """The rows kept from a file, as (line, {column: value}) when iterated.

    Held as one CSV text (every field quoted, rows ending in "\\n") and an array of line
    numbers: a few bytes a cell instead of a Python string and a dict slot for each.
    """

    def __init__(self, columns: list[str], text: str, lines: array[int]) -> None:
        self._columns = columns
        self._text = text
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    def __iter__(self) -> Iterator[Row]:
        reader = csv.reader(_chunks(self._text, "\n"))
        for line, values in zip(self._lines, reader, strict=True):
            yield line, dict(zip(self._columns, values, strict=True))

    def __contains__(self, item: object) -> bool:
        return any(item == row for row in self)


@dataclass(frozen=True)
class Table:
    """Column names as written in the header, and each non-blank row with its line number."""

    columns: list[str]
    rows: Collection[Row] = field(default_factory=list)


def normalise_column(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", "_").split())


def too_long(line: int) -> TableError:
    return TableError(Problem(line, "cell_too_long", {"limit": f"{MAX_CELL_CHARS:,}"}))


class TableBuilder:
    """Takes a file's rows one at a time (header first) and keeps the non-blank ones."""

    def __init__(self, header: list[str], line: int = 1) -> None:
        header = _trimmed(header)
        self._check_width(line, header)
        self.columns = [normalise_column(name) for name in header]
        seen: set[str] = set()
        for column in self.columns:
            if column in seen:
                raise TableError(Problem(None, "duplicate_column", {"column": column}))
            seen.add(column)
        self._cells = len(header)
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
        self._lines: array[int] = array("L")

    def _check_width(self, line: int, values: list[str]) -> None:
        if len(values) > MAX_COLUMNS:
            raise TableError(Problem(line, "too_many_columns", {"limit": str(MAX_COLUMNS)}))

    def add(self, line: int, values: list[str]) -> None:
        """One row as read (cells not yet stripped); raises TableError past a cap."""
        values = _trimmed(values)
        self._check_width(line, values)
        self._cells += len(values)
        if self._cells > MAX_CELLS:
            raise TableError(Problem(line, "too_many_cells_in_file",
                                     {"limit": f"{MAX_CELLS:,}"}))
        if not values:
            return
        if any(len(value) > MAX_CELL_CHARS for value in values):
            raise too_long(line)
        width = len(self.columns)
        if len(values) > width:
            raise TableError(Problem(line, "too_many_cells", {"expected": str(width)}))
        cells = [unguard(value.strip()) for value in values]
        self._writer.writerow([*cells, *[""] * (width - len(cells))])
        self._lines.append(line)

    def table(self) -> Table:
        text = self._buffer.getvalue()
        self._buffer.close()
        return Table(columns=self.columns, rows=StoredRows(self.columns, text, self._lines))


def _trimmed(values: list[str]) -> list[str]:
    """Without the blank cells at the end (a spreadsheet's row may carry thousands)."""
    end = len(values)
    while end and not values[end - 1].strip():
        end -= 1
    return values if end == len(values) else values[:end]


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _chunks(text: str, ending: str | None = None) -> Iterator[str]:
    """The text's lines with their endings, one at a time (never all in a list), as a file
    opened with newline="" gives them to csv.reader; only at `ending` when given."""
    if ending is None:
        for match in _LINE.finditer(text):
            yield match.group()
        return
    start = 0
    while start < len(text):
        end = text.find(ending, start)
        end = len(text) if end < 0 else end + len(ending)
        yield text[start:end]
        start = end


def _read_csv(lines: Iterable[str], sample: str) -> Table:
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(lines, dialect)
    try:
        header = next(reader, None)
        if header is None:
            raise TableError(Problem(None, "file_empty", {}))
        builder = TableBuilder(header)
        start = reader.line_num + 1
        for values in reader:
            builder.add(start, values)
            start = reader.line_num + 1
    except csv.Error as error:
        if str(error).startswith("field larger than field limit"):
            # the reader's own cap (its default, MAX_CELL_CHARS): said as for XLSX
            raise too_long(reader.line_num) from error
        raise TableError(
            Problem(reader.line_num, "csv_malformed", {"reason": str(error)})
        ) from error
    table = builder.table()
    if not table.columns and not table.rows:
        raise TableError(Problem(None, "file_empty", {}))
    return table


def parse_csv_text(text: str) -> Table:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise TableError(Problem(None, "file_empty", {}))
    return _read_csv(_chunks(text), text[:8192])


def read_table(path: Path) -> Table:
    if not path.is_file():
        raise TableError(Problem(None, "file_not_found", {"path": str(path)}))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TableError(Problem(None, "file_too_large", {
            "size": f"{size / 2**20:,.0f}", "limit": f"{MAX_FILE_BYTES / 2**20:,.0f}"}))
    if path.suffix.lower() == ".xlsx":
        from storage.imports.workbook import read_xlsx

        return read_xlsx(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(8192)
            if not sample.strip() and not handle.read(1):
                raise TableError(Problem(None, "file_empty", {}))
            handle.seek(0)
            return _read_csv(handle, sample)
    except UnicodeDecodeError as error:
        raise TableError(Problem(_line_of_bad_byte(path), "file_not_utf8", {})) from error


def _line_of_bad_byte(path: Path) -> int:
    """The line of the first byte that is not UTF-8, read in chunks (the file may be big)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            # the decoder holds back the first bytes of a character cut by the last chunk
            held = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return newlines + chunk[: max(error.start - held, 0)].count(b"\n") + 1
            newlines += chunk.count(b"\n")
    return newlines + 1
