"""`outreach peer-reviews` and `outreach import|export peer-reviews`: one record per review
with all its States; bad input is refused with its reasons (line numbers in a file) and
nothing is written."""

import json
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, select

from storage import audit
from storage.events import Event
from storage.peer_reviews.model import PeerReview
from tests.support.cli import Invoke

EVENTS = (
    "start_date,title,country,type\n"
    "2017-05-10,Peer review meeting in Santiago,CHL,peer_review\n"
    "2017-09-12,Peer review meeting in Bogota,COL,peer_review\n"
    "2017-10-01,Workshop in Lima,PER,workshop\n"
)


def reviews(outreach: Invoke) -> list[dict[str, object]]:
    result = outreach("peer-reviews", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.output)
    return found


def event_id(session: Session, title: str) -> str:
    return str(session.exec(select(Event.id).where(Event.title == title)).one())


def test_a_review_of_three_states_is_one_record_with_its_supporter(
    outreach: Invoke, session: Session
) -> None:
    result = outreach("peer-reviews", "add", "--states", "KGZ,Tajikistan,BLR",
                      "--from-year", "2014", "--to-year", "2017", "--supported-by", "OSCE")
    assert result.exit_code == 0, result.output
    assert reviews(outreach) == [{"id": 1, "states": "KGZ;TJK;BLR", "from_year": "2014",
                                  "to_year": "2017", "supported_by": "OSCE", "events": "",
                                  "notes": ""}]
    shown = outreach("peer-reviews", "show", "1").output
    assert "KGZ (Kyrgyzstan), TJK (Tajikistan), BLR (Belarus)" in shown
    [entry] = audit.entries(session=session, entity="peer_review")
    assert (entry.action, entry.actor) == ("create", "cli:test-staff")


def test_a_review_of_one_year_and_its_meetings(
    outreach: Invoke, session: Session, write_file: Callable[..., Path]
) -> None:
    assert outreach("import", "events", str(write_file("e.csv", EVENTS))).exit_code == 0
    santiago, bogota = (event_id(session, "Peer review meeting in Santiago"),
                        event_id(session, "Peer review meeting in Bogota"))
    result = outreach("peer-reviews", "add", "--states", "CHL,COL", "--from-year", "2017",
                      "--event", santiago, "--event", bogota)
    assert result.exit_code == 0, result.output
    [review] = reviews(outreach)
    assert (review["to_year"], review["events"]) == ("2017", f"{santiago};{bogota}")
    # the same meeting in a second review, or a workshop as a meeting: refused
    taken = outreach("peer-reviews", "add", "--states", "CHL,PER", "--from-year", "2018",
                     "--event", santiago)
    assert taken.exit_code == 1 and "already a meeting of peer review 1" in taken.output
    workshop = outreach("peer-reviews", "add", "--states", "CHL,PER", "--from-year", "2018",
                        "--event", event_id(session, "Workshop in Lima"))
    assert workshop.exit_code == 1 and "not a peer_review meeting" in workshop.output
    assert len(reviews(outreach)) == 1


def test_edit_changes_what_is_given_and_says_when_nothing_changed(outreach: Invoke) -> None:
    outreach("peer-reviews", "add", "--states", "DOM,PAN", "--from-year", "2019")
    result = outreach("peer-reviews", "edit", "1", "--to-year", "2020", "--notes", "Invented")
    assert result.exit_code == 0 and "updated" in result.output
    assert outreach("peer-reviews", "edit", "1", "--to-year", "2020").output.strip() == (
        "Peer review 1 already has these values; nothing changed.")
    reversed_years = outreach("peer-reviews", "edit", "1", "--from-year", "2021")
    assert reversed_years.exit_code == 1
    assert "the last year 2020 is before the first year 2021" in reversed_years.output
    [review] = reviews(outreach)
    assert (review["from_year"], review["to_year"], review["notes"]) == ("2019", "2020",
                                                                          "Invented")


def test_bad_reviews_are_refused_and_nothing_is_written(
    outreach: Invoke, session: Session
) -> None:
    for args, words in (
        (("--states", "KGZ", "--from-year", "2014"), "two or more States; 1 given"),
        (("--states", "KGZ,Atlantis", "--from-year", "2014"), 'unknown State "Atlantis"'),
        (("--states", "KGZ,TJK", "--from-year", "2018", "--to-year", "2017"),
         "the last year 2017 is before the first year 2018"),
        (("--states", "KGZ,OSCE", "--from-year", "2014"), '"OSCE" is an organisation'),
        (("--states", "KGZ,TJK", "--from-year", "2003"), "is not from 2004"),
        (("--states", "KGZ,TJK", "--from-year", "2014", "--supported-by", "KGZ"),
         "KGZ takes part in the review"),
        (("--states", "KGZ,TJK", "--from-year", "2014", "--supported-by", "Nowhere Org"),
         'unknown supporter "Nowhere Org"'),
    ):
        result = outreach("peer-reviews", "add", *args)
        assert result.exit_code == 1, args
        assert words in result.output, (args, result.output)
    assert session.exec(select(PeerReview)).all() == []
    assert audit.entries(session=session, entity="peer_review") == []


def test_the_import_refuses_a_bad_file_whole_with_line_numbers(
    outreach: Invoke, session: Session, write_file: Callable[..., Path]
) -> None:
    bad = write_file("reviews.csv", (
        "states,from_year,to_year,supported_by\n"
        "PRY;URY,2019,,OAS/CICTE\n"
        "KGZ,2014,2017,OSCE\n"
        "CHL;Atlantis,2017,,\n"
        "DOM;PAN,2019,2018,\n"
        "PRY;URY,2019,,\n"))
    result = outreach("import", "peer-reviews", str(bad))
    assert result.exit_code == 1
    for line, words in ((3, "a peer review is between two or more States; 1 given"),
                        (4, 'unknown State "Atlantis"'),
                        (5, "the last year 2018 is before the first year 2019"),
                        (6, "duplicate of line 2")):
        assert f"line {line}: {words}" in result.output, result.output
    assert session.exec(select(PeerReview)).all() == []


def test_an_export_imports_back_unchanged_and_a_changed_row_updates(
    outreach: Invoke, write_file: Callable[..., Path], tmp_path: Path
) -> None:
    good = write_file("reviews.csv", (
        "states,from_year,to_year,supported_by,notes\n"
        "KGZ;TJK;BLR,2014,2017,OSCE,Invented note\n"
        "CHL;COL,2017,,OAS/CICTE;committee,\n"))
    assert "2 created" in outreach("import", "peer-reviews", str(good)).output
    exported = tmp_path / "export.csv"
    assert outreach("export", "peer-reviews", "--out", str(exported)).exit_code == 0
    assert exported.read_text(encoding="utf-8").splitlines()[0] == (
        "states,from_year,to_year,supported_by,events,notes")
    again = outreach("import", "peer-reviews", str(exported))
    assert "0 created, 0 updated, 2 unchanged" in again.output
    # the same States in another order and year: the same review, a new last year
    changed = write_file("changed.csv", "states,from_year,to_year\nBLR;KGZ;TJK,2014,2018\n")
    assert "0 created, 1 updated" in outreach("import", "peer-reviews", str(changed)).output
    assert reviews(outreach)[0]["to_year"] == "2018"


def test_notes_longer_than_their_column_are_refused(
    outreach: Invoke, session: Session, write_file: Callable[..., Path]
) -> None:
    long = write_file("long.csv", f"states,from_year,notes\nKGZ;TJK,2014,{'n' * 2001}\n")
    result = outreach("import", "peer-reviews", str(long))
    assert result.exit_code == 1
    assert 'line 2: "notes" is longer than 2000 characters' in result.output
    fits = write_file("fits.csv", f"states,from_year,notes\nKGZ;TJK,2014,{'é' * 2000}\n")
    assert outreach("import", "peer-reviews", str(fits)).exit_code == 0
    assert session.exec(select(PeerReview)).one().notes == "é" * 2000
