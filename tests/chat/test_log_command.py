"""The one-line /log command: a line becomes an import row, or says what is wrong with it."""

from datetime import date

import pytest
from sqlmodel import Session

from bot.chat.log.line import KEYS, parse_log_line, summary, usage
from storage.imports.events import import_events
from storage.imports.tabular import Table
from tests.support.outbox import NOW

EXAMPLE = ("/log 2022-03-14 | Regional workshop on export controls | Bangkok, THA | "
           "audiences=states,industry | iro=co_organised:UNODA")


def parsed(text: str) -> dict[str, str]:
    row, problems = parse_log_line(text)
    assert problems == []
    assert row is not None
    return row


def rejected(text: str) -> list[str]:
    row, problems = parse_log_line(text)
    assert row is None
    assert problems, "a rejected line says why"
    assert problems[-1] == usage(), "the last message is the usage hint"
    return problems[:-1]


def test_the_issues_example_becomes_an_import_row() -> None:
    assert parsed(EXAMPLE) == {
        "start_date": "2022-03-14",
        "title": "Regional workshop on export controls",
        "mode": "in_person",
        "city": "Bangkok",
        "country": "THA",
        "audiences": "states;industry",
        "iro_involvement": "co_organised",
        "organisers": "UNODA",
    }


def test_a_bot_mention_and_every_other_key_are_understood() -> None:
    row = parsed("/log@OutreachBot 2023-06-08 | PoC training | Mexico City, Mexico | "
                 "type=poc_training | participants=30 | role=expert | "
                 "url=https://example.org/poc | notes=invented | organisers=KEN;committee")
    assert row["type"] == "poc_training"
    assert row["participants"] == "30"
    assert row["committee_role"] == "expert"
    assert row["source_url"] == "https://example.org/poc"
    assert row["notes"] == "invented"
    assert row["organisers"] == "KEN;committee"
    assert (row["city"], row["country"]) == ("Mexico City", "Mexico")


def test_a_date_range_sets_the_end_date() -> None:
    row = parsed("/log 2023-03-14..2023-03-16 | Workshop | Nairobi, KEN")
    assert (row["start_date"], row["end_date"]) == ("2023-03-14", "2023-03-16")


def test_a_virtual_event_has_no_city_or_country() -> None:
    row = parsed("/log 2023-06-08 | Webinar on national reporting | Virtual | type=webinar")
    assert (row["mode"], row["city"], row["country"]) == ("virtual", "", "")
    assert row["type"] == "webinar"


def test_a_hybrid_event_keeps_its_city_and_country() -> None:
    row = parsed("/log 2024-02-20 | PoC training course | Mexico City, MEX (hybrid)")
    assert (row["mode"], row["city"], row["country"]) == ("hybrid", "Mexico City", "MEX")


def test_the_place_may_be_left_out() -> None:
    row = parsed("/log 2024-02-20 | Briefing | type=briefing")
    assert row == {"start_date": "2024-02-20", "title": "Briefing", "type": "briefing"}


@pytest.mark.parametrize("audiences", ["states,industry", "states; industry", "states ,industry;"])
def test_audiences_are_separated_by_commas_or_semicolons(audiences: str) -> None:
    row = parsed(f"/log 2022-03-14 | Workshop | Bangkok, THA | audiences={audiences}")
    assert row["audiences"] == "states;industry"


def test_iro_without_organisations_sets_only_the_involvement() -> None:
    row = parsed("/log 2022-03-14 | Workshop | Bangkok, THA | iro=involved")
    assert row["iro_involvement"] == "involved"
    assert "organisers" not in row


def test_iro_organisations_join_the_organisers_once() -> None:
    row = parsed("/log 2022-03-14 | Workshop | Bangkok, THA | organisers=THA | "
                 "iro=organised:UNODA,tha")
    assert row["organisers"] == "THA;UNODA"


def test_a_missing_title_is_a_problem() -> None:
    for line in ("/log 2022-03-14", "/log 2022-03-14 |  | Bangkok, THA"):
        problems = rejected(line)
        assert len(problems) == 1
        assert "title is missing" in problems[0]


@pytest.mark.parametrize("day", ["14/03/2022", "2022-3-14", "2022-02-30", "20220314",
                                 "2022-03-14..", "2022-03-14..soon"])
def test_a_malformed_date_is_a_problem(day: str) -> None:
    problems = rejected(f"/log {day} | Workshop | Bangkok, THA")
    assert problems == [f'"{day}" is not a date (write YYYY-MM-DD, or '
                        "YYYY-MM-DD..YYYY-MM-DD for several days)."]


def test_an_unknown_key_is_named_with_the_known_ones() -> None:
    (problem,) = rejected("/log 2022-03-14 | Workshop | Bangkok, THA | audience=states")
    assert '"audience"' in problem
    assert "did you mean audiences?" in problem
    for key in KEYS:
        assert key in problem


def test_every_problem_of_a_line_is_reported_at_once() -> None:
    problems = rejected("/log@OutreachBot soon | | Bangkok, | notes | role=chair | role=member"
                        " | url=")
    assert len(problems) == 6
    assert "not of the form key=value" in problems[3]
    assert 'The field "role" is given twice.' in problems
    assert 'The field "url" has no value after the =.' in problems


def test_an_empty_line_gets_the_usage_hint() -> None:
    assert rejected("/log") == ["The line is empty: nothing to record."]
    assert "<code>/log 2022-03-14 | Regional workshop" in usage()


def test_problems_show_what_was_typed_escaped() -> None:
    (problem,) = rejected("/log <b>2022</b> | Workshop")
    assert "&lt;b&gt;2022&lt;/b&gt;" in problem
    assert "<b>" not in problem


def test_the_summary_escapes_html_and_shows_every_given_field() -> None:
    row = parsed('/log 2023-03-14..2023-03-16 | <b>Dual-use & "AI"</b> | Nairobi, KEN (hybrid)'
                 " | type=workshop | iro=co_organised:UNODA | audiences=states,industry"
                 " | participants=45 | role=expert | url=https://example.org/?a=1&b=2"
                 " | notes=<script>alert(1)</script>")
    text = summary(row)
    assert "<b>&lt;b&gt;Dual-use &amp; &#34;AI&#34;&lt;/b&gt;</b>" in text
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    for shown in ("2023-03-14 to 2023-03-16", "Nairobi, KEN (hybrid)", "workshop",
                  "co_organised", "UNODA", "states, industry", "45", "expert",
                  "https://example.org/?a=1&amp;b=2"):
        assert shown in text, shown


def test_the_summary_of_a_short_line_shows_only_what_was_given() -> None:
    text = summary(parsed("/log 2023-06-08 | Webinar | virtual"))
    assert text.splitlines()[1:] == ["<b>Webinar</b>", "Date: 2023-06-08", "Place: virtual"]


@pytest.mark.parametrize("line", [
    EXAMPLE,
    "/log 2023-03-14..2023-03-16 | Workshop | Nairobi, Kenya (hybrid) | type=workshop | "
    "participants=45 | role=expert | url=https://example.org/n | notes=invented | "
    "organisers=committee | iro=involved:UNODA;KEN | audiences=states;civil_society",
    "/log 2023-06-08 | Webinar on national reporting | virtual | type=Webinar",
    "/log 2024-02-20 | Briefing",
])
def test_the_importer_accepts_what_the_chat_accepts(session: Session, line: str) -> None:
    row = parsed(line)
    table = Table(columns=list(row), rows=[(1, row)])
    report = import_events(session=session, table=table, actor="chat:test",
                           today=date(2025, 1, 1), now=NOW, dry_run=True)
    assert report.problems == []
    assert report.created == 1


def test_the_importer_judges_the_words_the_line_cannot(session: Session) -> None:
    row = parsed("/log 2023-03-16..2023-03-14 | Workshop | Nairobi, Atlantis | "
                 "audiences=states,robots | iro=maybe:NOBODY")
    table = Table(columns=list(row), rows=[(1, row)])
    report = import_events(session=session, table=table, actor="chat:test",
                           today=date(2025, 1, 1), now=NOW, dry_run=True)
    assert sorted(problem.code for problem in report.problems) == [
        "end_before_start", "unknown_audience", "unknown_iro_involvement",
        "unknown_organiser", "unknown_state"]
