"""Read the first sheet of an XLSX file, within the caps of storage/imports/tabular.py.

An XLSX file is a zip of XML parts, and what it claims is not what it holds: a 1.5 KB file may
declare the sheet `A1:XFD1048576`, or unpack to a 60 MB string repeated 400,000 times. So,
before openpyxl opens it, the zip's directory is checked (what each part unpacks to, and how
much more than it takes packed); then the sheet is read in openpyxl's read-only mode with its
declared size ignored, so that only the rows and cells actually present are ever made, and
whatever the XML or the zip turns out to hold wrong is one problem, not a traceback.

openpyxl is imported here only, when an XLSX file is read: most commands never open one.
"""

import zipfile
import zlib
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from storage.imports.tabular import (
    MAX_CELL_CHARS,
    MAX_FILE_BYTES,
    Table,
    TableBuilder,
    TableError,
    too_long,
)
from storage.problems import Problem

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

# What the whole workbook may unpack to: the text a CSV file under the size cap may hold.
MAX_UNPACKED_BYTES = MAX_FILE_BYTES
# Spreadsheet XML packs 5 to 30 times; a part that packs more than this is filler.
MAX_PACKING_RATIO = 200
# Small parts may pack oddly well without costing anything.
RATIO_CHECKED_FROM = 1024 * 1024

# What a broken workbook raises while it is read: ParseError (a SyntaxError) for bad XML,
# BadZipFile or zlib.error for a bad archive, KeyError for a missing part, the others for
# values openpyxl cannot convert.
_BROKEN = (SyntaxError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError,
           IndexError, AttributeError, OverflowError, EOFError, OSError)


def read_xlsx(path: Path) -> Table:
    _check_archive(path)
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, *_BROKEN) as error:
        raise _unreadable(error) from error
    try:
        return _read_sheet(workbook.worksheets[0])
    except TableError:
        raise
    except _BROKEN as error:
        raise _unreadable(error) from error
    finally:
        workbook.close()


def _unreadable(error: BaseException) -> TableError:
    reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
    return TableError(Problem(None, "xlsx_unreadable", {"reason": reason}))


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _unreadable(error) from error
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise TableError(Problem(None, "xlsx_unpacks_too_large", {
            "size": f"{unpacked / 2**20:,.0f}", "limit": f"{MAX_UNPACKED_BYTES / 2**20:,.0f}"}))
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size >= RATIO_CHECKED_FROM and ratio > MAX_PACKING_RATIO:
            raise TableError(Problem(None, "xlsx_packed_too_tightly", {
                "part": part.filename, "ratio": f"{ratio:,.0f}",
                "limit": str(MAX_PACKING_RATIO)}))


def _read_sheet(sheet: "ReadOnlyWorksheet") -> Table:
    # The dimension a file declares is not trusted: with it, openpyxl pads every row to the
    # declared width and makes every declared row, present or not.
    sheet.reset_dimensions()
    builder: TableBuilder | None = None
    # (openpyxl's stubs give the read-only sheet the writable sheet's method signature)
    rows = sheet.iter_rows(min_row=1, min_col=1, values_only=True)  # type: ignore[misc]
    for number, row in enumerate(rows, start=1):
        if not row:
            continue  # a row the sheet skips
        values = [_cell(number, value) for value in row]
        if builder is None:
            if any(value.strip() for value in values):
                builder = TableBuilder(values, line=number)
            continue
        builder.add(number, values)
    if builder is None:
        raise TableError(Problem(None, "file_empty", {}))
    return builder.table()


def _cell(line: int, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        # a date typed into a spreadsheet comes back as a datetime; keep only the day
        return value.isoformat()[:10]
    if isinstance(value, time):
        return value.isoformat()
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        raise too_long(line)
    return text

