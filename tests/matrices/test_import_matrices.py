"""`outreach import matrices` and `outreach export matrices`: twelve rows make a version,
every row is checked, the file is written whole or not at all, and an export imports back
unchanged (CSV and XLSX)."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from storage import audit
from storage.matrices.model import MatrixVersion
from storage.matrices.versions import CELLS
from tests.support.cli import Invoke
from tests.support.paths import REPO

HEADER = "state,version,template,sent_on,approved_on,published_on,section,category,recorded," \
         "possible\n"


def rows(state: str = "KEN", version: int = 1, sent: str = "2020-06-01",
         approved: str = "2020-10-01", published: str = "", recorded: int = 3,
         possible: int = 5) -> list[str]:
    return [f"{state},{version},2017,{sent},{approved},{published},{section},{category},"
            f"{recorded},{possible}\n" for section, category in CELLS]


def versions_in(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(MatrixVersion)).one()


def test_the_example_imports_and_shows_for_staff(outreach: Invoke, session: Session) -> None:
    result = outreach("import", "matrices", str(REPO / "examples" / "matrices.csv"))
    assert result.exit_code == 0, result.output
    assert "3 created, 0 updated, 0 unchanged" in result.output
    listed = json.loads(outreach("matrices", "list", "--format", "json").output)
    assert [(r["state"], r["version"], r["percent"]) for r in listed] == [
        ("CHL", 1, 45), ("CHL", 2, 58), ("KEN", 1, 29)]
    shown = outreach("matrices", "show", "Chile").output
    assert "Version 2 (template 2017), the one the figures count today" in shown
    assert "op1 83% (10/12)" in shown
    assert "approved by the State 2016-02-15" in shown
    assert outreach("matrices", "show", "FRA").exit_code == 1
    assert len(audit.entries(session=session, entity="matrix_version")) == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(
    outreach: Invoke, tmp_path: Path, write_file: Callable[..., Path], fmt: str
) -> None:
    text = HEADER + "".join(rows("KEN", 1) + rows("PER", 2, approved="2021-01-05",
                                                    published="2021-02-01"))
    assert outreach("import", "matrices", str(write_file("m.csv", text))).exit_code == 0
    out = tmp_path / f"export.{fmt}"
    assert outreach("export", "matrices", "--format", fmt, "--out", str(out)).exit_code == 0
    again = outreach("import", "matrices", str(out))
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 2 unchanged" in again.output
    if fmt == "csv":
        assert out.read_text(encoding="utf-8").replace("\r\n", "\n") == text


def test_a_changed_version_is_updated_and_audited(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    outreach("import", "matrices", str(write_file("a.csv", HEADER + "".join(rows()))))
    result = outreach("import", "matrices",
                      str(write_file("b.csv", HEADER + "".join(rows(recorded=4)))))
    assert "0 created, 1 updated, 0 unchanged" in result.output
    actions = [e.action for e in audit.entries(session=session, entity="matrix_version")]
    assert actions == ["create", "update"]


def test_a_dry_run_writes_nothing(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    result = outreach("import", "matrices", "--dry-run",
                      str(write_file("a.csv", HEADER + "".join(rows()))))
    assert result.exit_code == 0, result.output
    assert "would create 1" in result.output
    assert versions_in(session) == 0


def _with(line: int, replacement: str) -> str:
    """A good two-version file with its `line` (2 is the first row) replaced."""
    lines = [HEADER, *rows("KEN", 1), *rows("PER", 1)]
    lines[line - 1] = replacement
    return "".join(lines)


@pytest.mark.parametrize(("content", "said"), [
    (_with(3, "Narnia,1,2017,2020-06-01,2020-10-01,,op1,cw,3,5\n"),
     'line 3: unknown State "Narnia"'),
    (_with(3, "OSCE,1,2017,2020-06-01,2020-10-01,,op1,cw,3,5\n"),
     'line 3: "OSCE" is an organisation'),
    (_with(3, "KEN,1,2017,2020-06-01,2020-10-01,,op1,cw,6,5\n"),
     "line 3: 6 measures recorded, more than the 5 possible"),
    (_with(3, "KEN,1,2017,2020-06-01,2020-10-01,,op5,cw,3,5\n"),
     'line 3: unknown matrix section "op5"'),
    (_with(3, "KEN,1,2017,2020-06-01,2020-10-01,,op1,rw,3,5\n"),
     'line 3: unknown weapon category "rw"'),
    (_with(3, "KEN,1,2017,2020-06-01,2020-10-01,,op1,cw,-1,5\n"),
     'line 3: "recorded" must be a whole number from 0 to 1000: "-1"'),
    (_with(3, "KEN,1,2017,2020-13-01,2020-10-01,,op1,cw,3,5\n"),
     'line 3: "sent_on" is not a date: "2020-13-01"'),
    (_with(3, "KEN,1,2017,2020-06-01,2020-05-31,,op1,cw,3,5\n"),
     'line 3: "approved_on" (2020-05-31) is before the draft was sent for review'),
    (_with(3, "KEN,1,2017,2020-06-01,,2020-11-01,op1,cw,3,5\n"),
     'line 3: "published_on" (2020-11-01) is given but the State has not approved'),
    (_with(3, "KEN,1,2017,2020-06-01,2020-10-01,2020-09-30,op1,cw,3,5\n"),
     'line 3: "published_on" (2020-09-30) is before the State approved'),
    (_with(3, "KEN,1,2017,2020-06-01,2020-10-01,,op1,nw,3,5\n"), "line 3: duplicate of line 2"),
    (_with(3, "KEN,1,2017,2020-06-02,2020-10-01,,op1,cw,3,5\n"),
     "line 3: this version's template or dates differ from line 2"),
    (_with(3, "PER,1,2017,2020-06-01,2020-10-01,,op1,cw,3,5\n"),
     "line 2: version 1 of KEN's matrix has no row for op1/cw"),
    (_with(3, "KEN,1,2017,2099-06-01,2099-10-01,,op1,cw,3,5\n"),
     'line 3: "sent_on" is in the future: 2099-06-01'),
])
def test_a_bad_row_is_refused_with_its_line_and_nothing_is_written(
    outreach: Invoke, write_file: Callable[..., Path], session: Session, content: str,
    said: str
) -> None:
    result = outreach("import", "matrices", str(write_file("bad.csv", content)))
    assert result.exit_code == 1
    assert said in result.output, result.output
    assert "Nothing was imported" in result.output
    assert versions_in(session) == 0
    assert audit.entries(session=session, entity="matrix_version") == []
