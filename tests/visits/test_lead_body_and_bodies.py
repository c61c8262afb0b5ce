"""An event's lead body (the 1540 Committee, the CTC, the 1267 Committee, joint) in every
place an event is written, and bodies beyond the reference list (universities, NGOs,
industry associations) as organisers that never count as organisations."""

import csv
import io
import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.chat.log.line import parse_log_line, summary
from storage import audit
from storage.events import Event
from storage.figures.assistance import assistance_figures
from storage.figures.statistics import Period, outreach_figures
from storage.figures.status import reporting_status
from storage.imports.events import import_events
from storage.imports.tabular import Table
from tests.support.cli import Invoke
from tests.support.outbox import NOW

YEAR = Period(NOW.date().replace(month=1, day=1), NOW.date())
DAY = YEAR.start.isoformat()


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_lead_body_imports_exports_and_defaults_to_the_committee(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    text = (f"start_date,title,country,type,lead_body\n{DAY},Visit one (invented),KEN,visit,"
            f"ctc\n{DAY},Visit two (invented),GHA,visit,\n")
    assert outreach("import", "events", _write(tmp_path, text)).exit_code == 0
    leads = {e.title: e.lead_body for e in session.exec(select(Event))}
    assert leads == {"Visit one (invented)": "ctc", "Visit two (invented)": "committee"}
    exported = outreach("export", "events", "--format", "csv")
    rows = {row["title"]: row["lead_body"] for row in csv.DictReader(io.StringIO(
        exported.output))}
    assert rows == {"Visit one (invented)": "ctc", "Visit two (invented)": "committee"}
    # a file without the column leaves a stored lead body as it is
    plain = f"start_date,title,country\n{DAY},Visit one (invented),KEN\n"
    assert outreach("import", "events", _write(tmp_path, plain)).exit_code == 0
    session.expire_all()
    assert {e.title: e.lead_body for e in session.exec(select(Event))}[
        "Visit one (invented)"] == "ctc"


def test_an_unknown_lead_body_is_refused_with_its_line_and_nothing_written(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    text = (f"start_date,title,lead_body\n{DAY},Fine (invented),joint\n"
            f"{DAY},Wrong (invented),unsc\n")
    result = outreach("import", "events", _write(tmp_path, text))
    assert result.exit_code == 1
    assert 'line 3' in result.output and 'unknown lead_body "unsc"' in result.output
    assert session.exec(select(Event)).all() == []


def test_log_takes_the_lead_body_and_shows_it_before_save(session: Session) -> None:
    row, problems = parse_log_line(f"/log {DAY} | Visit (invented) | Nairobi, KEN | type=visit"
                                   " | lead=c1267")
    assert problems == [] and row is not None
    assert row["lead_body"] == "c1267"
    assert "c1267" in summary(row)
    table = Table(columns=list(row), rows=[(1, row)])
    report = import_events(session=session, table=table, actor="test", today=NOW.date(),
                           now=NOW)
    assert not report.problems
    [event] = session.exec(select(Event)).all()
    assert event.lead_body == "c1267"


def test_the_cooperation_figures_count_only_visits_of_the_other_committees(
    outreach: Invoke, tmp_path: Path
) -> None:
    text = ("start_date,title,country,type,lead_body\n"
            f"{DAY},Own visit (invented),KEN,visit,committee\n"
            f"{DAY},CTC visit (invented),KEN,visit,ctc\n"
            f"{DAY},Joint visit (invented),GHA,visit,joint\n"
            f"{DAY},CTC workshop (invented),GHA,workshop,ctc\n")
    assert outreach("import", "events", _write(tmp_path, text)).exit_code == 0
    result = outreach("report", "--from", DAY, "--to", YEAR.end.isoformat(), "--format", "json")
    data = json.loads(result.output)
    assert (data["visits"]["events"], data["visits"]["states"]) == (1, 1)
    assert data["cooperation"]["visits_by_lead_body"] == {"ctc": 1, "c1267": 0, "joint": 1}
    assert data["outreach"]["by_type"]["visit"] == 3  # every visit is still an event


def test_a_university_added_by_staff_organises_events_and_never_counts_as_an_organisation(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    orgs_before = json.loads(outreach("orgs", "--format", "json").output)
    status_before = reporting_status(session=session, since=YEAR.start)
    refused = outreach("import", "events", _write(
        tmp_path, f"start_date,title,organisers\n{DAY},Seminar (invented),KCL\n"))
    assert refused.exit_code == 1 and 'unknown organiser "KCL"' in refused.output
    added = outreach("orgs", "add", "KCL", "King's College London (invented entry)",
                     "--kind", "university")
    assert added.exit_code == 0, added.output
    assert [(e.action, e.after["kind"]) for e in audit.entries(  # type: ignore[index]
        session=session, entity="party", entity_id="KCL")] == [("create", "body")]
    text = f"start_date,title,organisers,iro_involvement\n{DAY},Seminar (invented),KCL,none\n"
    assert outreach("import", "events", _write(tmp_path, text)).exit_code == 0
    row, _ = parse_log_line(f"/log {DAY} | Roundtable (invented) | KEN | organisers=KCL")
    assert row is not None
    report = import_events(session=session, table=Table(columns=list(row), rows=[(1, row)]),
                           actor="test", today=NOW.date(), now=NOW)
    assert not report.problems
    session.commit()
    # never an organisation: not listed as one, no PoC, no provider, no figure changes
    assert json.loads(outreach("orgs", "--format", "json").output) == orgs_before
    assert "KCL" in outreach("orgs", "bodies").output
    assert reporting_status(session=session, since=YEAR.start).orgs_with_poc == (
        status_before.orgs_with_poc)
    assert outreach("providers", "add", "KCL", "--area", "training", "--since",
                    DAY).exit_code == 1
    assert assistance_figures(session=session, period=YEAR).registered_organisations == 0
    pocs = tmp_path / "pocs.csv"
    pocs.write_text("party,full_name,email\nKCL,Ada Invented,ada@example.org\n",
                    encoding="utf-8")
    poc = outreach("import", "pocs", str(pocs))
    assert poc.exit_code == 1 and "cannot have a Point of Contact" in poc.output
    assert outreach_figures(session=session, period=YEAR).events_with_organisations == 0


@pytest.mark.parametrize("options", [(), ("--scope", "regional", "--kind", "ngo")])
def test_an_organisation_or_a_body_not_both_nor_neither(
    outreach: Invoke, options: tuple[str, ...]
) -> None:
    result = outreach("orgs", "add", "XYZ", "Invented Body of Tests", *options)
    assert result.exit_code == 2 and "either --scope" in result.output


def test_both_ends_of_the_period_count_and_the_days_beside_them_do_not(
    outreach: Invoke, tmp_path: Path
) -> None:
    text = ("start_date,title,country,type,lead_body\n"
            "2021-02-28,Own visit the day before (invented),KEN,visit,committee\n"
            "2021-03-01,Own visit on the first day (invented),KEN,visit,committee\n"
            "2021-03-31,CTC visit on the last day (invented),GHA,visit,ctc\n"
            "2021-04-01,CTC visit the day after (invented),GHA,visit,ctc\n"
            "2021-04-01,Joint visit the day after (invented),GHA,visit,joint\n")
    assert outreach("import", "events", _write(tmp_path, text)).exit_code == 0
    result = outreach("report", "--from", "2021-03-01", "--to", "2021-03-31", "--format",
                      "json")
    data = json.loads(result.output)
    assert (data["visits"]["events"], data["visits"]["by_year"]) == (1, {"2021": 1})
    assert data["cooperation"]["visits_by_lead_body"] == {"ctc": 1, "c1267": 0, "joint": 0}
    assert data["cooperation"]["states_by_lead_body"]["ctc"] == 1
