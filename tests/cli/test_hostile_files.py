"""Hostile and broken files: refused early with one line, no traceback, nothing written.

The caps are those of storage/imports/tabular.py and storage/imports/workbook.py; each spec
makes the smallest file that crosses one (the hostile XLSX files are built part by part in
tests/support/hostile_xlsx.py), and runs on each backend like every import.
"""

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from storage.pocs import PointOfContact
from tests.support.cli import Invoke
from tests.support.hostile_xlsx import (
    HEADER_ROW,
    SHEET_START,
    claims_the_whole_grid,
    poc_row,
    shared_string_bomb,
    sheet,
    text_cell,
    write_xlsx,
)


def stored_pocs(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(PointOfContact)).one()


def refused(outreach: Invoke, path: Path, session: Session) -> str:
    """The one line an import of `path` is refused with (exit 1, nothing stored)."""
    result = outreach("import", "pocs", str(path))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert stored_pocs(session) == 0
    return lines[0]


def test_a_sheet_claiming_the_whole_grid_is_read_as_the_rows_it_holds(
    outreach: Invoke, tmp_path: Path, session: Session
) -> None:
    path = claims_the_whole_grid(tmp_path / "grid.xlsx")
    assert path.stat().st_size < 4096
    result = outreach("import", "pocs", str(path))
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
    assert stored_pocs(session) == 1


def test_a_row_wider_than_any_import_is_refused_with_its_line(
    outreach: Invoke, tmp_path: Path, session: Session
) -> None:
    far_cell = f"<row r=\"5\">{text_cell('XFD5', 'x')}</row>"
    path = write_xlsx(tmp_path / "wide.xlsx",
                      sheet("A1:XFD1048576", HEADER_ROW + poc_row(2) + far_cell))
    assert refused(outreach, path, session) == (
        "line 5: more than 64 columns; an import reads at most 64")


def test_a_csv_header_of_more_than_64_columns_is_refused(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    header = ",".join(["party", "full_name", "email", *(f"c{n}" for n in range(62))])
    path = write_file("wide.csv", header + "\nFRA,Claire Martin-Test,claire@example.org\n")
    assert refused(outreach, path, session) == (
        "line 1: more than 64 columns; an import reads at most 64")


def test_the_shared_string_bomb_is_refused_before_it_is_unpacked(
    outreach: Invoke, tmp_path: Path, session: Session
) -> None:
    path = shared_string_bomb(tmp_path / "bomb.xlsx")
    line = refused(outreach, path, session)
    assert line.startswith("the spreadsheet's part xl/sharedStrings.xml unpacks to ")
    assert line.endswith("it is not read")


def test_a_workbook_unpacking_past_the_cap_is_refused(
    outreach: Invoke, tmp_path: Path, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the real cap is 256 MiB; a file packing normally and unpacking past a 1 MiB cap says
    # the same thing
    monkeypatch.setattr("storage.imports.workbook.MAX_UNPACKED_BYTES", 1024 * 1024)
    names = random.Random(12).choices("abcdefghijklmnopqrstuvwxyz", k=1_200_000)
    path = write_xlsx(tmp_path / "big.xlsx", sheet("A1:C2", HEADER_ROW + poc_row(2, "".join(
        names))))
    assert refused(outreach, path, session) == (
        "the spreadsheet unpacks to 1 MiB, more than the 1 MiB an import reads")


def test_an_xlsx_cell_longer_than_a_csv_cell_may_be_is_refused_with_its_line(
    outreach: Invoke, tmp_path: Path, session: Session
) -> None:
    # random letters: a long cell that packs like real text, so only the cell cap applies;
    # written by hand, as openpyxl cuts what it writes at Excel's 32,767
    name = "".join(random.Random(7).choices("abcdefghijklmnopqrstuvwxyz ", k=131_073))
    long_row = (f'<row r="3">{text_cell("A3", "BRA")}{text_cell("B3", name)}'
                f'{text_cell("C3", "pedro@example.org")}</row>')
    write_xlsx(tmp_path / "long.xlsx", sheet("A1:C3", HEADER_ROW + poc_row(2) + long_row))
    assert refused(outreach, tmp_path / "long.xlsx", session) == (
        "line 3: a cell is longer than 131,072 characters, more than an import reads")


@pytest.mark.parametrize("broken", [
    SHEET_START + "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>party",
    SHEET_START + "<sheetData><row r=\"1\"><c r=\"A1\" t=\"n\"><v>not a number</v></c>"
    "</row></sheetData></worksheet>",
    SHEET_START + "<sheetData><row r=\"x\"><c r=\"??\"><v>1</v></c></row></sheetData>"
    "</worksheet>",
], ids=["truncated XML", "text in a number cell", "nonsense references"])
def test_a_broken_sheet_is_one_line_not_a_traceback(
    outreach: Invoke, tmp_path: Path, session: Session, broken: str
) -> None:
    path = write_xlsx(tmp_path / "broken.xlsx", broken)
    assert refused(outreach, path, session).startswith("the spreadsheet cannot be read (")


def test_a_file_past_the_size_cap_is_refused_before_it_is_read(
    outreach: Invoke, tmp_path: Path, session: Session
) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: the size is claimed, not written
        handle.truncate(257 * 1024 * 1024)
    assert refused(outreach, path, session) == (
        "the file is 257 MiB, larger than the 256 MiB an import reads; split it into "
        "smaller files")


def test_a_file_of_more_than_two_million_cells_is_refused(
    outreach: Invoke, tmp_path: Path, session: Session
) -> None:
    header = ",".join(["party", "full_name", "email", *(f"c{n}" for n in range(61))])
    row = "FRA,N,n@example.org" + ",x" * 61 + "\n"
    path = tmp_path / "cells.csv"
    path.write_text(header + "\n" + row * 31_250, encoding="utf-8")  # 64 x 31,251 cells
    assert refused(outreach, path, session) == (
        "line 31251: the file has more than 2,000,000 cells, more than an import reads; "
        "split it into smaller files")


def test_a_csv_cell_longer_than_the_cap_is_said_as_for_xlsx(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    path = write_file("long.csv", "party,full_name,email\nFRA,Claire Martin-Test,c@example.org\n"
                      f"FRA,{'n' * 131_073},n@example.org\n")
    assert refused(outreach, path, session) == (
        "line 3: a cell is longer than 131,072 characters, more than an import reads")
