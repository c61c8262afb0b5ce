"""`outreach visits`: an invitation, its visit, outcomes linked to the State's own submissions
and the authorities met, all audited; every refusal a sentence, with nothing written."""

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from storage.audit import AuditEntry
from storage.visits.model import VisitAuthority, VisitInvitation, VisitOutcome
from tests.support.cli import Invoke

EVENTS = """start_date,title,country,type,lead_body,organisers
2018-05-10,Visit to Kenya (invented),KEN,visit,,committee;KEN
2018-07-02,Visit of the CTC to Kenya (invented),KEN,visit,ctc,CTED
2018-09-12,Visit to Ghana (invented),GHA,visit,committee,committee
2018-10-01,Workshop in Kenya (invented),KEN,workshop,,committee
"""
SUBMISSIONS = """state,kind,date,symbol
KEN,additional_info,2018-11-20,S/AC.44/2018/INVENTED-1
KEN,action_plan,2017-01-15,S/AC.44/2017/INVENTED-2
GHA,additional_info,2018-12-01,S/AC.44/2018/INVENTED-3
"""


@pytest.fixture
def registry(outreach: Invoke, tmp_path: Path) -> None:
    for kind, text in (("events", EVENTS), ("submissions", SUBMISSIONS)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        result = outreach("import", kind, str(path))
        assert result.exit_code == 0, result.output


def _ids(session: Session, table: str, column: str, value: str) -> int:
    from sqlalchemy import text
    return int(session.execute(text(f"SELECT id FROM {table} WHERE {column} = :v"),
                               {"v": value}).scalar_one())


def _counts(session: Session) -> tuple[int, int, int, int]:
    session.expire_all()
    return tuple(session.exec(select(func.count()).select_from(table)).one()  # type: ignore[return-value]
                 for table in (VisitInvitation, VisitOutcome, VisitAuthority, AuditEntry))


@pytest.mark.usefixtures("registry")
def test_staff_record_an_invitation_its_visit_outcomes_and_authorities(
    outreach: Invoke, session: Session
) -> None:
    invited = outreach("visits", "invite", "Kenya", "--received", "2018-03-01",
                       "--form", "note_verbale", "--reference", "NV/INVENTED/1")
    assert invited.exit_code == 0, invited.output
    assert "Invitation 1 from KEN" in invited.output
    visit = _ids(session, "event", "title", "Visit to Kenya (invented)")
    report = _ids(session, "submission", "symbol", "S/AC.44/2018/INVENTED-1")
    for args in (("link", "1", str(visit)),
                 ("outcome", "1", "national_report", "--submission", str(report)),
                 ("outcome", "1", "legislation", "--detail", "Draft export control law"),
                 ("authorities", "1", "foreign_affairs", "customs", "other:Ministry of Trade")):
        result = outreach("visits", *args)
        assert result.exit_code == 0, result.output
    shown = outreach("visits", "show", "1")
    assert "Kenya (KEN)" in shown.output
    assert "national_report: submission" in shown.output
    assert "S/AC.44/2018/INVENTED-1" in shown.output
    assert "other: Ministry of Trade" in shown.output
    listed = outreach("visits", "list", "--format", "json")
    assert '"visit_date": "2018-05-10"' in listed.output
    audited = session.exec(select(AuditEntry).where(AuditEntry.entity == "visit")).all()
    assert len(audited) == 5  # invite, link, two outcomes, authorities
    again = outreach("visits", "outcome", "1", "legislation", "--detail",
                     "Draft export control law")
    assert "nothing changed" in again.output


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize(("args", "words"), [
    (("outcome", "1", "national_report", "--submission", "{ghana}"), "another State's"),
    (("outcome", "1", "action_plan", "--submission", "{old_plan}"), "before the visit"),
    (("outcome", "1", "action_plan", "--submission", "{report}"), "cannot lead to"),
    (("link", "2", "{ctc}"), "not the 1540 Committee"),
    (("link", "2", "{ghana_visit}"), "did not take place in the inviting State"),
    (("link", "2", "{workshop}"), "not a visit"),
    (("authorities", "1", "ministry_of_magic"), "Unknown authority"),
    (("outcome", "9", "legislation"), "There is no invitation 9"),
    (("outcome", "2", "legislation"), "has no visit yet"),
])
def test_bad_input_is_refused_in_a_sentence_and_nothing_is_written(
    outreach: Invoke, session: Session, args: tuple[str, ...], words: str
) -> None:
    ids = {"ghana": _ids(session, "submission", "symbol", "S/AC.44/2018/INVENTED-3"),
           "old_plan": _ids(session, "submission", "symbol", "S/AC.44/2017/INVENTED-2"),
           "report": _ids(session, "submission", "symbol", "S/AC.44/2018/INVENTED-1"),
           "ctc": _ids(session, "event", "title", "Visit of the CTC to Kenya (invented)"),
           "ghana_visit": _ids(session, "event", "title", "Visit to Ghana (invented)"),
           "workshop": _ids(session, "event", "title", "Workshop in Kenya (invented)")}
    for invitation in ("2018-03-01", "2018-04-01"):
        assert outreach("visits", "invite", "KEN", "--received", invitation,
                        "--form", "letter").exit_code == 0
    visit = _ids(session, "event", "title", "Visit to Kenya (invented)")
    assert outreach("visits", "link", "1", str(visit)).exit_code == 0
    before = _counts(session)
    result = outreach("visits", *(arg.format(**ids) for arg in args))
    assert result.exit_code == 1
    assert words in result.output and "Traceback" not in result.output
    assert _counts(session) == before


def test_only_a_state_invites_and_never_in_the_future(outreach: Invoke) -> None:
    organisation = outreach("visits", "invite", "UNODA", "--received", "2018-03-01",
                            "--form", "letter")
    assert organisation.exit_code == 1 and "not a Member State" in organisation.output
    future = outreach("visits", "invite", "KEN", "--received", "2999-01-01", "--form", "oral")
    assert future.exit_code == 1 and "impossible" in future.output
    form = outreach("visits", "invite", "KEN", "--received", "2018-01-01", "--form", "fax")
    assert form.exit_code == 2
