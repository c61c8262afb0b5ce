"""`--excel`: a CSV that Excel opens with Arabic, Chinese and Cyrillic names intact.

Excel takes a CSV without a byte order mark for the machine's legacy code page; with the
UTF-8 BOM it reads UTF-8. The flag adds the BOM and nothing else: the rows are the same,
`outreach import` reads such a file back unchanged, and without the flag no BOM is written.
"""

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_report import YEAR_2023, registry_2023  # noqa: F401  (a fixture)
from tests.support.cli import Invoke

BOM = b"\xef\xbb\xbf"
# invented Points of Contact whose names Excel garbles without the BOM
POCS = (
    "party,full_name,email,status\n"
    "EGY,ليلى حسن-تجربة,laila@example.org,active\n"
    "CHN,王小明-测试,wang@example.org,active\n"
    "RUS,Ирина Петрова-Тест,irina@example.org,inactive\n"
)


def rows(content: bytes, encoding: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode(encoding), newline="")))


@pytest.fixture
def pocs_imported(outreach: Invoke, write_file: Callable[..., Path]) -> None:
    result = outreach("import", "pocs", str(write_file("pocs.csv", POCS)))
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("pocs_imported")
def test_an_export_for_excel_starts_with_the_bom_and_holds_the_same_rows(
    outreach: Invoke, tmp_path: Path
) -> None:
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    assert outreach("export", "pocs", "--out", str(plain)).exit_code == 0
    assert outreach("export", "pocs", "--excel", "--out", str(excel)).exit_code == 0
    assert excel.read_bytes().startswith(BOM)
    assert not plain.read_bytes().startswith(BOM)
    opened = rows(excel.read_bytes(), "utf-8-sig")
    assert opened == rows(plain.read_bytes(), "utf-8")
    assert {row["full_name"] for row in opened} == {
        "ليلى حسن-تجربة", "王小明-测试", "Ирина Петрова-Тест"}
    assert list(opened[0])[:3] == ["party", "role", "full_name"]  # no BOM in the first name


@pytest.mark.usefixtures("pocs_imported")
@pytest.mark.parametrize("kind", ["pocs", "submissions", "events", "states"])
def test_every_export_to_the_screen_takes_the_flag(outreach: Invoke, kind: str) -> None:
    excel = outreach("export", kind, "--excel")
    plain = outreach("export", kind)
    assert excel.exit_code == 0 and plain.exit_code == 0, excel.output
    assert excel.stdout_bytes == BOM + plain.stdout_bytes
    assert not plain.stdout_bytes.startswith(BOM)


@pytest.mark.usefixtures("pocs_imported")
def test_a_csv_written_for_excel_imports_back_unchanged(outreach: Invoke, tmp_path: Path) -> None:
    exported = tmp_path / "for-excel.csv"
    assert outreach("export", "pocs", "--excel", "--out", str(exported)).exit_code == 0
    result = outreach("import", "pocs", str(exported))
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 3 unchanged" in result.output
    again = tmp_path / "again.csv"
    assert outreach("export", "pocs", "--excel", "--out", str(again)).exit_code == 0
    assert again.read_bytes() == exported.read_bytes()


@pytest.mark.usefixtures("registry_2023")
def test_the_report_csv_for_excel_has_the_bom_and_the_same_figures(
    outreach: Invoke, tmp_path: Path
) -> None:
    plain = outreach("report", *YEAR_2023, "--format", "csv")
    screen = outreach("report", *YEAR_2023, "--format", "csv", "--excel")
    assert screen.stdout_bytes == BOM + plain.stdout_bytes
    assert not plain.stdout_bytes.startswith(BOM)
    path = tmp_path / "report.csv"
    written = outreach("report", *YEAR_2023, "--format", "csv", "--excel", "--out", str(path))
    assert written.exit_code == 0, written.output
    opened = rows(path.read_bytes(), "utf-8-sig")
    assert opened == rows(plain.stdout_bytes, "utf-8")
    assert list(opened[0]) == ["section", "figure", "value"]
    assert {"section": "outreach", "figure": "events", "value": "5"} in opened


@pytest.mark.usefixtures("registry_2023")
def test_excel_changes_nothing_in_the_other_report_formats(outreach: Invoke) -> None:
    for fmt in ("json", "text"):
        plain = outreach("report", *YEAR_2023, "--format", fmt)
        assert outreach("report", *YEAR_2023, "--format", fmt, "--excel").stdout_bytes == \
            plain.stdout_bytes
