"""Exports no spreadsheet runs as formulas, and that import back unchanged (OWASP's advice).

A name or title starting with "=", "+", "-", "@", a tab or a carriage return is written with
a leading apostrophe in CSV and XLSX, XLSX cells hold it as text, and the importers take the
apostrophe off again (storage/imports/formula_guard.py states the rule).
"""

import csv
import io
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from tests.support.cli import Invoke

RISKY_NAMES = (
    '=HYPERLINK("http://evil.example/x","click")',
    "+Amara Diallo-Test",
    "-Lena Vogel-Test",
    "@Rui Costa-Test",
    "'Apostrophe Test",
)
POCS = "party,full_name,title,email\n" + "".join(
    f'FRA,"{name.replace(chr(34), chr(34) * 2)}",=1+1,p{n}@example.org\n'
    for n, name in enumerate(RISKY_NAMES))
# A name that really starts with an apostrophe and "=": typed in a command, as no file
# without the guard can say it.
QUOTED = ("pocs", "add", "--party", "FRA", "--name", "'=Quoted Name-Test", "--title", "=1+1",
          "--email", "quoted@example.org")
EVENTS = ("start_date,title,mode,type,organisers,iro_involvement,audiences\n"
          "2023-03-14,=cmd|' /C calc'!A0,virtual,webinar,committee,organised,states\n"
          "2023-03-15,@SUM(1+1),virtual,webinar,committee,organised,states\n")


def export_csv(outreach: Invoke, what: str) -> list[dict[str, str]]:
    result = outreach("export", what)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


def test_risky_cells_are_guarded_in_the_csv_export_and_import_back_unchanged(
    outreach: Invoke, write_file: Callable[..., Path], tmp_path: Path
) -> None:
    assert outreach("import", "pocs", str(write_file("p.csv", POCS))).exit_code == 0
    assert outreach(*QUOTED).exit_code == 0
    rows = export_csv(outreach, "pocs")
    assert sorted(row["full_name"] for row in rows) == sorted([
        "'=HYPERLINK(\"http://evil.example/x\",\"click\")", "'+Amara Diallo-Test",
        "'-Lena Vogel-Test", "'@Rui Costa-Test", "''=Quoted Name-Test", "'Apostrophe Test"])
    assert {row["title"] for row in rows} == {"'=1+1"}
    assert all(row["phone"] == "" for row in rows)
    exported = tmp_path / "export.csv"
    exported.write_text(outreach("export", "pocs").output, encoding="utf-8")
    again = outreach("import", "pocs", str(exported))
    assert "0 created, 0 updated, 6 unchanged" in again.output, again.output
    names = {row["full_name"] for row in export_csv(outreach, "pocs")}
    listed = outreach("pocs", "--format", "json").output
    assert '"full_name": "=HYPERLINK(\\"http://evil.example/x\\",\\"click\\")"' in listed
    assert '"full_name": "\'=Quoted Name-Test"' in listed
    assert "''=Quoted Name-Test" in names


def test_the_csv_listing_is_guarded_too(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    outreach("import", "pocs", str(write_file("p.csv", POCS)))
    outreach(*QUOTED)
    listed = list(csv.DictReader(io.StringIO(outreach("pocs", "--format", "csv").output)))
    assert all(not row["full_name"].startswith(("=", "+", "-", "@")) for row in listed)
    assert all(row["title"] == "'=1+1" for row in listed)


def test_xlsx_exports_hold_text_never_formulas_and_import_back_unchanged(
    outreach: Invoke, write_file: Callable[..., Path], tmp_path: Path
) -> None:
    outreach("import", "pocs", str(write_file("p.csv", POCS)))
    outreach(*QUOTED)
    out = tmp_path / "pocs.xlsx"
    assert outreach("export", "pocs", "--format", "xlsx", "--out", str(out)).exit_code == 0
    sheet = load_workbook(out).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert {cell.data_type for cell in cells} == {"s"}
    names = {str(row[2].value) for row in sheet.iter_rows(min_row=2)}
    assert "'=HYPERLINK(\"http://evil.example/x\",\"click\")" in names
    again = outreach("import", "pocs", str(out))
    assert "0 created, 0 updated, 6 unchanged" in again.output, again.output


def test_event_titles_round_trip_through_csv_and_xlsx(
    outreach: Invoke, write_file: Callable[..., Path], tmp_path: Path
) -> None:
    assert outreach("import", "events", str(write_file("e.csv", EVENTS))).exit_code == 0
    titles = {row["title"] for row in export_csv(outreach, "events")}
    assert titles == {"'=cmd|' /C calc'!A0", "'@SUM(1+1)"}
    exported = tmp_path / "events.csv"
    exported.write_text(outreach("export", "events").output, encoding="utf-8")
    assert "0 created, 0 updated, 2 unchanged" in outreach(
        "import", "events", str(exported)).output
    out = tmp_path / "events.xlsx"
    outreach("export", "events", "--format", "xlsx", "--out", str(out))
    assert "0 created, 0 updated, 2 unchanged" in outreach("import", "events", str(out)).output
