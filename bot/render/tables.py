"""Listings as a terminal table, CSV or JSON, and files as CSV or XLSX.

Every CLI command imports this module: tabulate is imported when a table is drawn and
openpyxl when a workbook is written, so that commands printing neither start without them.

Text that a spreadsheet could run as a formula (a name starting with "=", "+", "-", "@", a tab
or a carriage return) is written with a leading apostrophe in CSV and XLSX alike, and XLSX
cells hold text as text, never as formulas: storage/imports/formula_guard.py states the rule
and takes the apostrophe off again on import.
"""

import csv
import io
import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storage.imports.formula_guard import guard

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


class ListFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


Row = Mapping[str, Any]


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    return str(value)


def _spreadsheet_cell(value: Any) -> Any:
    """A number as a number (it cannot be a formula); anything else as guarded text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return guard(_flat(value))


# Excel reads a CSV without a byte order mark in the machine's legacy code page, so Arabic,
# Chinese and Cyrillic names come out garbled; with it, as UTF-8. Other programs (and our
# importers, which read utf-8-sig) take either.
EXCEL_BOM = "\ufeff"


def for_excel(text: str, excel: bool) -> str:
    """`text` (a whole CSV) as Excel opens it when `excel` is set: behind a UTF-8 BOM."""
    return EXCEL_BOM + text if excel else text


def as_csv(rows: Sequence[Row], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([guard(column) for column in columns])
    for row in rows:
        writer.writerow([_spreadsheet_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def append_row(sheet: "Worksheet", values: Sequence[Any]) -> None:
    """Append a row to a worksheet, its text cells guarded and typed as text: openpyxl
    otherwise stores any string starting with "=" as a formula, which a spreadsheet runs."""
    sheet.append([_spreadsheet_cell(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def as_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_table(rows: Sequence[Row], columns: Sequence[str]) -> str:
    """A plain text table, columns as wide as their longest cell (Chinese and other wide
    characters counted as two): drawn in milliseconds for thousands of rows."""
    from tabulate import tabulate

    cells = [[_flat(row.get(column)) for column in columns] for row in rows]
    # every cell as written: "004" stays an M49 code, never the number 4
    return tabulate(cells, headers=list(columns), tablefmt="simple", disable_numparse=True)


def listing(rows: Sequence[Row], columns: Sequence[str], fmt: ListFormat) -> str:
    if fmt is ListFormat.JSON:
        return as_json([{column: row.get(column) for column in columns} for row in rows])
    if fmt is ListFormat.CSV:
        return as_csv(rows, columns).rstrip("\n")
    return as_table(rows, columns)


def write_file(rows: Sequence[Row], columns: Sequence[str], fmt: FileFormat, path: Path,
               excel: bool = False) -> None:
    """A CSV (behind a UTF-8 BOM when `excel` is set) or an XLSX workbook."""
    if fmt is FileFormat.CSV:
        path.write_text(for_excel(as_csv(rows, columns), excel), encoding="utf-8")
        return
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    append_row(sheet, list(columns))
    for row in rows:
        append_row(sheet, [row.get(column) for column in columns])
    workbook.save(path)
