"""The invented outreach events reproduce the seed paper's section 7 once imported.

The rows go through `outreach import events` (CSV and XLSX) and are then counted with plain
SQL, independently of storage/figures/statistics.py, on every backend.
"""

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from bot.demo.dataset import write_csv
from bot.demo.events import (
    EVENT_COLUMNS,
    OUTSIDE_PERIOD,
    PERIOD_END,
    PERIOD_START,
    build_paper_events,
    write_xlsx,
)
from storage.parties import Party, PartyKind
from tests.support.cli import Invoke

IN_PERIOD = "e.deleted_at IS NULL AND e.start_date BETWEEN :first AND :last"
BOUNDS = {"first": PERIOD_START, "last": PERIOD_END}


def registry_codes(session: Session) -> tuple[list[str], list[str]]:
    parties = list(session.exec(select(Party).order_by(Party.code)))
    return ([p.code for p in parties if p.kind == PartyKind.STATE],
            [p.code for p in parties if p.kind == PartyKind.ORGANISATION])


def count(session: Session, sql: str, **params: object) -> int:
    return int(session.execute(text(sql), {**BOUNDS, **params}).scalar_one())


def events_with_audience(session: Session, audiences: tuple[str, ...]) -> int:
    names = ", ".join(f"'{a}'" for a in audiences)
    return count(session, f"""
        SELECT COUNT(*) FROM event e WHERE {IN_PERIOD} AND EXISTS (
            SELECT 1 FROM event_audience a WHERE a.event_id = e.id AND a.audience IN ({names}))
    """)


def assert_paper_figures(session: Session) -> None:
    assert count(session, f"SELECT COUNT(*) FROM event e WHERE {IN_PERIOD}") == 249
    with_organisations = count(session, f"""SELECT COUNT(*) FROM event e WHERE {IN_PERIOD}
        AND e.iro_involvement IN ('organised', 'co_organised', 'involved')""")
    assert with_organisations == 204
    assert round(100 * with_organisations / 249) == 82
    assert events_with_audience(session, (
        "states", "academia", "industry", "parliamentarians", "civil_society")) == 144
    assert events_with_audience(session, ("states",)) == 104
    assert events_with_audience(session, ("academia",)) == 15
    assert events_with_audience(session, ("industry",)) == 17
    assert events_with_audience(session, ("parliamentarians",)) == 10
    # 4.5: the 1540 Committee's own visits to 16 States; one of them twice in 2017
    own = "e.type = 'visit' AND e.lead_body = 'committee'"
    assert count(session, f"SELECT COUNT(*) FROM event e WHERE {IN_PERIOD} AND {own}") == 17
    assert count(session, f"SELECT COUNT(DISTINCT e.country_party_id) FROM event e"
                          f" WHERE {IN_PERIOD} AND {own}") == 16
    # 6: three visits of the CTC and one of the 1267 Committee
    assert count(session, f"SELECT COUNT(*) FROM event e WHERE {IN_PERIOD}"
                          " AND e.type = 'visit' AND e.lead_body = 'ctc'") == 3
    assert count(session, f"SELECT COUNT(*) FROM event e WHERE {IN_PERIOD}"
                          " AND e.type = 'visit' AND e.lead_body = 'c1267'") == 1


def test_the_imported_csv_gives_the_papers_outreach_figures(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    rows = build_paper_events(*registry_codes(session))
    path = tmp_path / "events.csv"
    write_csv(rows, EVENT_COLUMNS, path)
    result = outreach("import", "events", str(path))
    assert result.exit_code == 0, result.output
    assert f"{len(rows)} created" in result.output
    assert_paper_figures(session)
    # the invented events just outside the period are in the registry, not in the figures
    assert count(session, "SELECT COUNT(*) FROM event e WHERE e.start_date < :first"
                          " OR e.start_date > :last") == len(OUTSIDE_PERIOD)


def test_the_xlsx_file_imports_to_the_same_figures(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "events.xlsx"
    write_xlsx(build_paper_events(*registry_codes(session)), EVENT_COLUMNS, path)
    result = outreach("import", "events", str(path))
    assert result.exit_code == 0, result.output
    assert_paper_figures(session)


@pytest.fixture
def rows(session: Session) -> list[dict[str, str]]:
    return build_paper_events(*registry_codes(session))


def test_one_event_falls_on_each_boundary_day_and_some_just_outside(
    rows: list[dict[str, str]]
) -> None:
    days = Counter(date.fromisoformat(row["start_date"]) for row in rows)
    assert days[PERIOD_START] == 1 and days[PERIOD_END] == 1
    assert days[date(2016, 4, 25)] == 1 and days[date(2022, 4, 16)] == 1


def test_visits_and_peer_reviews_follow_the_papers_text(rows: list[dict[str, str]]) -> None:
    visits = [r for r in rows if r["type"] == "visit" and r["lead_body"] == "committee"]
    assert Counter(r["start_date"][:4] for r in visits) == {
        "2016": 2, "2017": 5, "2018": 6, "2019": 4}
    assert len({r["country"] for r in visits if r["start_date"].startswith("2017")}) == 4
    reviews = {(r["start_date"][:4], r["country"]) for r in rows if r["type"] == "peer_review"}
    assert {("2017", "CHL"), ("2017", "COL"), ("2019", "DOM"), ("2019", "PAN"),
            ("2019", "PRY"), ("2019", "URY")} <= reviews


def test_every_event_is_marked_invented_and_the_set_is_deterministic(
    rows: list[dict[str, str]], session: Session
) -> None:
    assert all("invented" in r["title"] and "Invented" in r["notes"] for r in rows)
    assert all(r["source_url"].startswith("https://example.org/") for r in rows)
    assert build_paper_events(*registry_codes(session)) == rows


def test_it_refuses_a_registry_without_the_states_it_needs() -> None:
    with pytest.raises(ValueError, match="PAN"):
        build_paper_events(["KGZ", "BLR"], ["OSCE", "OAS/CICTE", "CTED", "UNODA"])
