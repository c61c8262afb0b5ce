"""`outreach import visits`: invitations with their visits, outcomes (linked to the State's
submissions by day) and authorities, all or nothing, each refusal with its line."""

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from storage.visits.model import VisitAuthority, VisitInvitation, VisitOutcome
from tests.support.cli import Invoke
from tests.visits.test_visits_cli import registry  # noqa: F401

HEADER = "state,received_on,form,reference,visit_date,visit_title,outcomes,authorities\n"
GOOD = ("KEN,2018-03-01,note_verbale,NV/INVENTED/1,2018-05-10,Visit to Kenya (invented),"
        "national_report@2018-11-20;legislation,foreign_affairs;other:Ministry of Trade\n"
        "GHA,2018-06-01,letter,,,,,\n"
        "KEN,2019-02-01,oral,,,,,\n")


def _file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "visits.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _rows(session: Session) -> tuple[int, int, int]:
    session.expire_all()
    return (session.exec(select(func.count()).select_from(VisitInvitation)).one(),
            session.exec(select(func.count()).select_from(VisitOutcome)).one(),
            session.exec(select(func.count()).select_from(VisitAuthority)).one())


@pytest.mark.usefixtures("registry")
def test_a_good_file_is_written_and_imports_again_unchanged(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    result = outreach("import", "visits", _file(tmp_path, HEADER + GOOD))
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output
    assert _rows(session) == (3, 2, 2)
    shown = outreach("visits", "show", "1")
    assert "S/AC.44/2018/INVENTED-1" in shown.output
    again = outreach("import", "visits", _file(tmp_path, HEADER + GOOD))
    assert "3 unchanged" in again.output


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize(("row", "words"), [
    ("GHA,2018-07-01,letter,,2018-09-12,Visit to Ghana (invented),"
     "national_report@2018-11-20,\n", "GHA has no submission on 2018-11-20"),
    ("KEN,2018-06-01,letter,,2018-07-02,Visit of the CTC to Kenya (invented),,\n",
     "not the 1540 Committee"),
    ("KEN,2018-06-01,fax,,,,,\n", 'Unknown form of invitation "fax"'),
    ("KEN,2018-06-01,letter,,2018-09-12,,,\n", "give both or neither"),
    ("Narnia,2018-06-01,letter,,,,,\n", 'unknown'),
    ("KEN,2018-03-01,letter,,,,,\n", "line 2"),
])
def test_one_bad_row_rejects_the_file_naming_its_line(
    outreach: Invoke, session: Session, tmp_path: Path, row: str, words: str
) -> None:
    result = outreach("import", "visits", _file(tmp_path, HEADER + GOOD + row))
    assert result.exit_code == 1
    assert "line 5" in result.output and words in result.output
    assert "Traceback" not in result.output
    assert _rows(session) == (0, 0, 0)
