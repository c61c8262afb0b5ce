"""Read a CSV (UTF-8, BOM or not, comma or semicolon) or XLSX file into numbered rows.

openpyxl is imported when an XLSX file is read: the CLI imports this module at start (through
storage.imports.common), and most commands never open a spreadsheet.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from storage.problems import Problem


@dataclass(frozen=True)
class Table:
    """Column names as written in the header, and each non-blank row with its line number."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


class TableError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def normalise_column(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", "_").split())


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        # a date typed into a spreadsheet comes back as a datetime; keep only the day
        return str(value.isoformat())[:10]
    return str(value).strip()


def _build(header: list[str], records: list[tuple[int, list[str]]]) -> Table:
    columns = [normalise_column(name) for name in header]
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            raise TableError(Problem(None, "duplicate_column", {"column": column}))
        seen.add(column)
    rows: list[tuple[int, dict[str, str]]] = []
    for line, values in records:
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(columns) and any(v.strip() for v in values[len(columns):]):
            raise TableError(Problem(line, "too_many_cells", {"expected": str(len(columns))}))
        padded = [*values, *[""] * (len(columns) - len(values))]
        rows.append((line, {c: v.strip() for c, v in zip(columns, padded, strict=False)}))
    return Table(columns=columns, rows=rows)


def parse_csv_text(text: str) -> Table:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise TableError(Problem(None, "file_empty", {}))
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    records: list[tuple[int, list[str]]] = []
    try:
        header = next(reader)
        start = reader.line_num + 1
        for values in reader:
            records.append((start, values))
            start = reader.line_num + 1
    except csv.Error as error:
        raise TableError(
            Problem(reader.line_num, "csv_malformed", {"reason": str(error)})
        ) from error
    return _build(header, records)


def read_table(path: Path) -> Table:
    if not path.is_file():
        raise TableError(Problem(None, "file_not_found", {"path": str(path)}))
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TableError(
            Problem(data[: error.start].count(b"\n") + 1, "file_not_utf8", {})
        ) from error
    return parse_csv_text(text)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise TableError(Problem(None, "xlsx_unreadable", {"reason": str(error)})) from error
    try:
        sheet = workbook.worksheets[0]
        records: list[tuple[int, list[str]]] = []
        header: list[str] | None = None
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = [_cell(value) for value in row]
            if header is None:
                if not any(values):
                    continue
                while values and not values[-1]:
                    values.pop()
                header = values
                continue
            records.append((number, values))
    finally:
        workbook.close()
    if header is None:
        raise TableError(Problem(None, "file_empty", {}))
    return _build(header, records)
