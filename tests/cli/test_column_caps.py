"""Every bounded column a person fills from the command line or a file: a value as long as the
column takes is stored (on PostgreSQL too, which enforces the length), one character more is
refused with the limit named and nothing written (the README's "Limits" paragraph)."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import Result

from tests.support.cli import Invoke


@dataclass(frozen=True)
class Cap:
    name: str
    limit: int
    run: Callable[[Invoke, Path, str], Result]  # the command, given a value of some length
    listed: tuple[str, ...]  # what lists the stored rows afterwards


def csv_file(tmp_path: Path, row: dict[str, str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    path = tmp_path / "rows.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return str(path)


def poc_option(option: str) -> Callable[[Invoke, Path, str], Result]:
    def run(outreach: Invoke, _tmp: Path, value: str) -> Result:
        return outreach("pocs", "add", "--party", "FRA", "--name", "Claire Martin-Test",
                        "--email", "claire@example.org", option, value)
    return run


def event_column(column: str) -> Callable[[Invoke, Path, str], Result]:
    def run(outreach: Invoke, tmp_path: Path, value: str) -> Result:
        row = {"start_date": "2024-03-05", "title": "Regional workshop", column: value}
        return outreach("import", "events", csv_file(tmp_path, row))
    return run


def submission_column(column: str) -> Callable[[Invoke, Path, str], Result]:
    def run(outreach: Invoke, tmp_path: Path, value: str) -> Result:
        row = {"state": "FRA", "kind": "first_report", "date": "2005-10-28", column: value}
        return outreach("import", "submissions", csv_file(tmp_path, row))
    return run


def assistance_column(column: str) -> Callable[[Invoke, Path, str], Result]:
    def run(outreach: Invoke, tmp_path: Path, value: str) -> Result:
        row = {"state": "KEN", "received_on": "2019-03-04", "channel": "template",
               "needs": "training", column: value}
        return outreach("import", "assistance", csv_file(tmp_path, row))
    return run


def assistance_option(option: str) -> Callable[[Invoke, Path, str], Result]:
    def run(outreach: Invoke, _tmp: Path, value: str) -> Result:
        return outreach("assistance", "add", "KEN", "--received", "2019-03-04", "--channel",
                        "template", "--need", "training", option, value)
    return run


def organisation(acronym: bool) -> Callable[[Invoke, Path, str], Result]:
    def run(outreach: Invoke, _tmp: Path, value: str) -> Result:
        if acronym:
            return outreach("orgs", "add", value, "Invented Body", "--scope", "regional")
        return outreach("orgs", "add", "IBT", value, "--scope", "regional")
    return run


def chair_subject(outreach: Invoke, tmp_path: Path, value: str) -> Result:
    body = tmp_path / "en.md"
    body.write_text("Dear colleagues,", encoding="utf-8")
    return outreach("chair", "draft", str(body), "--lang", "en", "--subject", value)


CAPS = [
    Cap("poc full_name", 200, poc_option("--name"), ("pocs", "--format", "json")),
    Cap("poc title", 200, poc_option("--title"), ("pocs", "--format", "json")),
    Cap("poc agency", 300, poc_option("--agency"), ("pocs", "--format", "json")),
    Cap("event title", 300, event_column("title"), ("export", "events")),
    Cap("event city", 120, event_column("city"), ("export", "events")),
    Cap("event source_url", 500, event_column("source_url"), ("export", "events")),
    Cap("event notes", 2000, event_column("notes"), ("export", "events")),
    Cap("submission symbol", 80, submission_column("symbol"), ("submissions",)),
    Cap("submission note", 2000, submission_column("note"), ("export", "submissions")),
    Cap("assistance reference (file)", 80, assistance_column("reference"),
        ("export", "assistance")),
    Cap("assistance summary (file)", 2000, assistance_column("summary"),
        ("export", "assistance")),
    Cap("assistance reference", 80, assistance_option("--reference"), ("export", "assistance")),
    Cap("assistance summary", 2000, assistance_option("--summary"), ("export", "assistance")),
    Cap("organisation acronym", 20, organisation(acronym=True), ("orgs", "--format", "json")),
    Cap("organisation name", 200, organisation(acronym=False), ("orgs", "--format", "json")),
    Cap("chair subject", 300, chair_subject, ("chair", "list", "--format", "json")),
    Cap("staff display name", 120,
        lambda outreach, _tmp, value: outreach("staff", "grant", "4242", "--name", value),
        ("staff", "--format", "json")),
    Cap("reminder policy name", 80,
        lambda outreach, _tmp, value: outreach(
            "reminders", "add", value, "--target", "no_first_report",
            "--template", "reminder_first_report", "--every", "30"),
        ("reminders", "policies", "--format", "json")),
]


def value_of(length: int, cap: Cap) -> str:
    """`length` characters, accents included (lengths count characters, not bytes)."""
    prefix = "https://example.org/" if cap.name == "event source_url" else ""
    return prefix + ("Ünïcode " * length)[:length - len(prefix) - 1] + "x"


@pytest.mark.parametrize("cap", CAPS, ids=[cap.name for cap in CAPS])
def test_a_value_as_long_as_the_column_is_stored_and_a_longer_one_refused(
    outreach: Invoke, tmp_path: Path, cap: Cap
) -> None:
    too_long = cap.run(outreach, tmp_path, value_of(cap.limit + 1, cap))
    assert too_long.exit_code != 0
    assert str(cap.limit) in too_long.output
    assert "Traceback" not in too_long.output and "DataError" not in too_long.output
    nothing = outreach(*cap.listed).output

    fits = value_of(cap.limit, cap)
    stored = cap.run(outreach, tmp_path, fits)

    assert stored.exit_code == 0, stored.output
    assert fits not in nothing
    assert fits in outreach(*cap.listed).output
