"""Regional 1540 coordinators: an organisation's PoC carrying the region covered, set by
`outreach pocs add|edit --region` or the import's `region` column; counted while active."""

import json
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session

from storage import audit
from storage.figures.monitoring import coordinator_figures
from tests.support.cli import Invoke


def listed(outreach: Invoke) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(
        outreach("pocs", "--all", "--format", "json").output)
    return found


def test_a_coordinator_is_an_organisations_poc_with_a_region(
    outreach: Invoke, session: Session
) -> None:
    result = outreach("pocs", "add", "--party", "UNODA", "--name", "Ann Example-Test",
                      "--email", "ann@example.org", "--region", "Africa")
    assert result.exit_code == 0, result.output
    outreach("pocs", "add", "--party", "UNODA", "--name", "Ben Example-Test",
             "--email", "ben@example.org", "--region", "Asia")
    outreach("pocs", "add", "--party", "OSCE", "--name", "Cy Example-Test",
             "--email", "cy@example.org")
    assert [(p["party"], p["region"]) for p in listed(outreach)] == [
        ("OSCE", ""), ("UNODA", "Africa"), ("UNODA", "Asia")]
    figures = coordinator_figures(session=session)
    assert (figures.count, figures.organisations) == (2, 1)
    assert dict(figures.by_organisation) == {"UNODA": ("Africa", "Asia")}
    [created, *_] = audit.entries(session=session, entity="poc")
    assert created.after is not None and created.after["region"] == "Africa"


def test_a_states_poc_carries_no_region_and_nothing_is_written(
    outreach: Invoke, session: Session
) -> None:
    result = outreach("pocs", "add", "--party", "BWA", "--name", "Bo Example-Test",
                      "--email", "bo@example.org", "--region", "Southern Africa")
    assert result.exit_code == 1
    assert '"region" is for an organisation\'s regional 1540 coordinator; BWA is a State' in (
        result.output)
    assert listed(outreach) == []


def test_edit_moves_or_takes_the_region_away_and_an_inactive_one_does_not_count(
    outreach: Invoke, session: Session
) -> None:
    outreach("pocs", "add", "--party", "CARICOM", "--name", "Dee Example-Test",
             "--email", "dee@example.org", "--region", "Caribbean")
    assert outreach("pocs", "edit", "1", "--region", "the Caribbean").exit_code == 0
    assert dict(coordinator_figures(session=session).by_organisation) == {
        "CARICOM": ("the Caribbean",)}
    outreach("pocs", "deactivate", "1")
    assert coordinator_figures(session=session).count == 0
    outreach("pocs", "activate", "1")
    assert outreach("pocs", "edit", "1", "--region", "").exit_code == 0
    assert coordinator_figures(session=session).count == 0
    assert listed(outreach)[0]["region"] == ""


def test_the_import_sets_the_region_and_the_export_gives_it_back(
    outreach: Invoke, session: Session, write_file: Callable[..., Path], tmp_path: Path
) -> None:
    good = write_file("pocs.csv", (
        "party,full_name,email,region\n"
        "OAS/CICTE,Eve Example-Test,eve@example.org,the Americas\n"
        "PER,Fay Example-Test,fay@example.org,\n"))
    assert "2 created" in outreach("import", "pocs", str(good)).output
    exported = tmp_path / "pocs.csv"
    outreach("export", "pocs", "--out", str(exported))
    assert "the Americas" in exported.read_text(encoding="utf-8")
    assert "2 unchanged" in outreach("import", "pocs", str(exported)).output
    # a file without the column keeps the region; a State with one is refused, whole
    names_only = write_file("names.csv", (
        "party,full_name,email\nOAS/CICTE,Eve Renamed-Test,eve@example.org\n"))
    assert "1 updated" in outreach("import", "pocs", str(names_only)).output
    bad = write_file("bad.csv", (
        "party,full_name,email,region\n"
        "OSCE,Gus Example-Test,gus@example.org,the OSCE region\n"
        "PER,Fay Example-Test,fay@example.org,the Andes\n"
        f"UNODA,Hal Example-Test,hal@example.org,{'r' * 121}\n"))
    result = outreach("import", "pocs", str(bad))
    assert result.exit_code == 1
    assert "line 3: \"region\" is for an organisation's regional 1540 coordinator" in (
        result.output)
    assert 'line 4: "region" is longer than 120 characters' in result.output
    assert dict(coordinator_figures(session=session).by_organisation) == {
        "OAS/CICTE": ("the Americas",)}
