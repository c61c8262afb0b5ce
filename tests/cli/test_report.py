"""`outreach report`: the same figures in text, JSON, CSV, XLSX and a self-contained page."""

import csv
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from bot.render.report import SECTIONS
from storage import letters
from storage.events import Event
from storage.pocs import PointOfContact
from tests.support.cli import Invoke
from tests.support.outbox import queue
from tests.support.paths import REPO

EVENTS = (
    "start_date,title,country,type,iro_involvement,audiences\n"
    "2022-12-31,Day before,KEN,workshop,organised,states\n"
    "2023-01-01,First day,KEN,workshop,organised,states;industry\n"
    "2023-03-03,Peer review,PAN,peer_review,none,\n"
    "2023-06-15,Online course,,webinar,co_organised,academia;parliamentarians;states\n"
    "2023-07-01,Meeting of organisations,CHN,conference,involved,organisations\n"
    "2023-08-01,Withdrawn,BRA,conference,involved,industry\n"
    "2023-12-31,Last day,FRA,visit,none,states\n"
    "2024-01-01,Day after,FRA,visit,involved,states\n"
)
SUBMISSIONS = (
    "state,kind,date\n"
    "PER,first_report,2010-01-01\n"
    "PER,additional_info,2023-05-05\n"
    "MNG,action_plan,2023-03-01\n"
    "NOR,first_report,2024-02-02\n"
)
POCS = (
    "party,full_name,email,status,region\n"
    "PER,Rosa Quispe-Test,rosa@example.org,active,\n"
    "OSCE,Jan Novak-Test,jan@example.org,active,the OSCE region\n"
)
PEER_REVIEWS = (
    "states,from_year,to_year,supported_by\n"
    "PAN;DOM,2023,,OAS/CICTE\n"
    "CHL;COL,2017,,\n"
)
YEAR_2023 = ("--from", "2023-01-01", "--to", "2023-12-31")


@pytest.fixture
def registry_2023(outreach: Invoke, write_file: Callable[..., Path], session: Session) -> None:
    """Invented events around 2023 (one withdrawn), submissions and PoCs."""
    for kind, content in (("events", EVENTS), ("submissions", SUBMISSIONS), ("pocs", POCS),
                          ("peer-reviews", PEER_REVIEWS)):
        result = outreach("import", kind, str(write_file(f"{kind}.csv", content)))
        assert result.exit_code == 0, result.output
    result = outreach("action-plans", "start", "BWA", "--on", "2023-02-01",
                      "--supported-by", "OSCE")
    assert result.exit_code == 0, result.output
    withdrawn = session.exec(select(Event).where(Event.title == "Withdrawn")).one()
    withdrawn.deleted_at = datetime(2023, 9, 1, tzinfo=UTC)
    session.add(withdrawn)
    session.commit()
    # a letter of 2023 expecting a response (the `letters` section's per-letter keys)
    sent = datetime(2023, 6, 2, 14, 0, tzinfo=UTC)
    contacts = [poc.id or 0 for poc in session.exec(select(PointOfContact))]
    message = queue(session, contacts, template="chair_message", now=sent)
    letters.expect_for_message(session=session, outbox_message_id=message.id or 0,
                               due_on=date(2023, 7, 31), actor="test", now=sent)
    session.commit()


# What the fixture's registry must give for 2023, as (section, figure) -> value.
EXPECTED = {
    ("period", "from"): "2023-01-01",
    ("period", "to"): "2023-12-31",
    ("outreach", "events"): 5,
    ("outreach", "events_states_and_civil_society"): 3,
    ("outreach", "by_audience.states"): 3,
    ("outreach", "by_audience.academia"): 1,
    ("outreach", "by_audience.industry"): 1,
    ("outreach", "by_audience.parliamentarians"): 1,
    ("outreach", "by_audience.civil_society"): 0,
    ("outreach", "by_audience.organisations"): 1,
    ("outreach", "events_with_organisations.count"): 3,
    ("outreach", "events_with_organisations.percent"): 60,
    ("outreach", "by_iro_involvement.none"): 2,
    ("outreach", "by_type.workshop"): 1,
    ("outreach", "by_type.conference"): 1,
    ("outreach", "by_type.visit"): 1,
    ("outreach", "by_regional_group.AFR"): 1,
    ("outreach", "by_regional_group.APG"): 1,
    ("outreach", "by_regional_group.GRULAC"): 1,
    ("outreach", "by_regional_group.WEOG"): 1,
    ("outreach", "by_regional_group.none"): 1,
    ("outreach", "by_year.2023"): 5,
    ("outreach", "by_year_and_audience.2023.states"): 3,
    ("reporting", "reporting_states"): 1,
    ("reporting", "states_by_report_count.2"): 1,
    ("reporting", "states_submitting.count"): 1,  # PER: MNG sent an action plan only
    ("reporting", "states_submitting.percent"): 1,
    ("points_of_contact", "states_with_poc"): 1,
    ("points_of_contact", "organisations_with_poc"): 1,
    ("action_plans", "count"): 1,
    ("action_plans", "states"): 1,
    ("visits", "events"): 1,
    ("visits", "states"): 1,
    ("visits", "by_year.2023"): 1,
    ("visits", "states_by_year.2023"): 1,
    ("peer_reviews", "meetings"): 1,
    ("peer_reviews", "reviews"): 1,  # the 2017 one is before the period
    ("peer_reviews", "states"): 2,
    ("peer_reviews", "by_year.2023"): 1,
    ("peer_reviews", "conducted"): "PAN-DOM 2023",
    ("action_plans", "in_preparation"): 1,
    ("action_plans", "in_preparation_states"): "BWA",
    ("action_plans", "in_preparation_by_supporter.OSCE"): 1,
    ("coordinators", "count"): 1,
    ("coordinators", "by_organisation.OSCE"): "the OSCE region",
    ("letters", "letters"): 1,
    ("letters", "by_letter.1.sent_on"): "2023-06-02",
    ("letters", "by_letter.1.due_on"): "2023-07-31",
    ("letters", "by_letter.1.written_to"): 2,
    ("letters", "by_letter.1.written_to_organisations"): 1,
    ("letters", "by_letter.1.not_answered"): 2,
}


def leaves(data: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix, ";".join(map(str, data)) if isinstance(data, list) else data


def json_figures(outreach: Invoke) -> dict[tuple[str, str], Any]:
    result = outreach("report", *YEAR_2023, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["period", *SECTIONS]
    return {(section, figure): value for section, content in data.items()
            for figure, value in leaves(content)}


@pytest.mark.usefixtures("registry_2023")
def test_json_carries_every_figure_of_the_period(outreach: Invoke) -> None:
    figures = json_figures(outreach)
    for key, value in EXPECTED.items():
        assert figures[key] == value, key
    assert "NOR" in figures[("reporting", "non_reporting")].split(";")  # its report is 2024


@pytest.mark.usefixtures("registry_2023")
def test_csv_rows_are_the_json_figures(outreach: Invoke) -> None:
    result = outreach("report", *YEAR_2023, "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["section", "figure", "value"]
    from_csv = {(section, figure): value for section, figure, value in rows[1:]}
    assert from_csv == {key: str(value) for key, value in json_figures(outreach).items()}
    assert from_csv[("outreach", "events")] == "5"


@pytest.mark.usefixtures("registry_2023")
def test_the_workbook_has_a_sheet_per_section_with_the_same_numbers(
    outreach: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "figures.xlsx"
    result = outreach("report", *YEAR_2023, "--format", "xlsx", "--out", str(path))
    assert result.exit_code == 0, result.output
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["period", *SECTIONS]
    from_sheets = {}
    for name in workbook.sheetnames:
        rows = list(workbook[name].iter_rows(values_only=True))
        assert rows[0] == ("figure", "value")
        # an empty list is an empty cell: "" among the JSON's leaves, None in the sheet
        from_sheets.update({(name, str(figure)): "" if value is None else value
                            for figure, value in rows[1:]})
    assert from_sheets == json_figures(outreach)
    assert from_sheets[("outreach", "by_audience.states")] == 3


@pytest.mark.usefixtures("registry_2023")
def test_the_text_reads_like_the_paper(outreach: Invoke) -> None:
    text = outreach("report", *YEAR_2023).stdout
    assert ("From 1 January 2023 to 31 December 2023 the Committee and its experts "
            "participated in 5 outreach events.") in text
    assert "Approximately 60% of these events (3) were organised, co-organised" in text
    assert "These included 3 outreach events to States and civil society." in text
    assert ("Of these, 3 included outreach to States; 1 to academia; 1 to industry and "
            "professional associations; 1 to parliamentarians") in text
    assert ("From 1 January 2023 to 31 December 2023, visits have been conducted to 1 State at"
            " their invitation (1 visit): 2023: 1 State.") in text
    assert "1 voluntary National Implementation Action Plans had been submitted by 1" in text


class PageReader(HTMLParser):
    """The figures of the page's tables (data-figure -> cell text) and every URL it names."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, str] = {}
        self.urls: list[str] = []
        self.tags: set[str] = set()
        self.icons: list[str] = []  # <link rel="icon"> hrefs, kept apart from the other URLs
        self.root: dict[str, str | None] = {}
        self._row: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.add(tag)
        if tag == "html":
            self.root = values
        if tag == "link" and values.get("rel") == "icon":
            self.icons.append(values.get("href") or "")
            return
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href", "action")]
        if tag == "tr":
            self._row = values.get("data-figure")
        if tag == "td" and self._row:
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self._row:
            self.figures[self._row] = "".join(self._cell).strip()
            self._cell = None


def read_page(path: Path) -> tuple[PageReader, str]:
    page = path.read_text(encoding="utf-8")
    reader = PageReader()
    reader.feed(page)
    return reader, page


@pytest.mark.usefixtures("registry_2023")
def test_the_page_shows_every_figure_and_fetches_nothing(
    outreach: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "page.html"
    assert outreach("report", *YEAR_2023, "--format", "html", "--out", str(path)).exit_code == 0
    reader, page = read_page(path)
    for (section, figure), value in json_figures(outreach).items():
        if section == "period" or figure.startswith("by_year_and_audience"):
            continue
        shown = reader.figures[f"{section}.{figure}"]
        assert shown == str(value).replace(";", ", "), (section, figure)
    assert reader.root == {"lang": "en", "dir": "ltr"}
    assert "<svg" in page  # the chart, inline
    assert not {"script", "img", "iframe", "object"} & reader.tags
    # the one link is the tab's icon, inside the page
    assert len(reader.icons) == 1 and reader.icons[0].startswith("data:image/svg+xml,")
    assert page.count("<link") == 1
    assert all(url.startswith("#") for url in reader.urls), reader.urls
    assert not re.search(r"https?://", page)
    assert "@import" not in page
    assert all(target.startswith("#") for target in re.findall(r"url\(([^)]*)\)", page))
    assert "Transparency and outreach" in page and "1 January 2023" in page


@pytest.mark.usefixtures("registry_2023")
@pytest.mark.parametrize(("language", "direction", "heading"), [
    ("ar", "rtl", "الشفافية والتوعية"),
    ("fr", "ltr", "Transparence et sensibilisation"),
    ("zh", "ltr", "透明度和外联"),
])
def test_the_page_speaks_the_readers_language(
    outreach: Invoke, tmp_path: Path, language: str, direction: str, heading: str
) -> None:
    path = tmp_path / f"{language}.html"
    result = outreach("report", *YEAR_2023, "--format", "html", "--lang", language,
                      "--out", str(path))
    assert result.exit_code == 0, result.output
    reader, page = read_page(path)
    assert reader.root == {"lang": language, "dir": direction}
    assert heading in page
    assert reader.figures["outreach.events"] == "5"


@pytest.mark.usefixtures("registry_2023")
def test_html_without_out_goes_to_the_data_folder(outreach: Invoke, tmp_path: Path) -> None:
    result = outreach("report", *YEAR_2023, "--format", "html")
    expected = tmp_path / "data" / "reports" / "transparency-2023-01-01-2023-12-31-en.html"
    assert result.exit_code == 0, result.output
    assert str(expected) in result.stdout
    assert read_page(expected)[0].figures["outreach.events"] == "5"


def test_a_reversed_period_is_refused_and_nothing_is_written(
    outreach: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "page.html"
    result = outreach("report", "--from", "2023-05-02", "--to", "2023-05-01", "--format",
                      "html", "--out", str(path))
    assert result.exit_code == 2
    assert "starts (2023-05-02) after it ends (2023-05-01)" in result.stderr
    assert not path.exists()


@pytest.mark.parametrize("option", ["--from", "--to"])
def test_a_malformed_date_gets_a_usage_error(outreach: Invoke, option: str) -> None:
    result = outreach("report", option, "2023-02-30", "--format", "json")
    assert result.exit_code == 2
    assert f"Invalid {option}: '2023-02-30' is not a date" in result.stderr
    assert result.stdout == ""


def test_a_missing_output_folder_is_refused(outreach: Invoke, tmp_path: Path) -> None:
    result = outreach("report", "--format", "xlsx", "--out", str(tmp_path / "no" / "f.xlsx"))
    assert result.exit_code == 2
    assert "No such folder" in result.stderr
    assert not (tmp_path / "no").exists()


def test_an_empty_registry_reports_zero_events_and_no_chart(
    outreach: Invoke, tmp_path: Path
) -> None:
    text = outreach("report", *YEAR_2023).stdout
    assert "participated in 0 outreach events." in text
    assert "Approximately" not in text
    path = tmp_path / "empty.html"
    outreach("report", *YEAR_2023, "--format", "html", "--out", str(path))
    reader, page = read_page(path)
    assert reader.figures["outreach.events"] == "0"
    assert "<svg" not in page


def documented_keys() -> set[str]:
    """The keys of docs/report-json.md's table, `{a,b}` expanded."""
    doc = (REPO / "docs" / "report-json.md").read_text(encoding="utf-8")
    keys: set[str] = set()
    for pattern in re.findall(r"^\| `([^`]+)` \|", doc, flags=re.MULTILINE):
        expanded = [""]
        for literal, choices in re.findall(r"([^{]*)(?:\{([^}]*)\})?", pattern):
            options = choices.split(",") if choices else [""]
            expanded = [f"{done}{literal}{option}" for done in expanded for option in options]
        keys.update(expanded)
    return keys


@pytest.mark.usefixtures("registry_2023")
def test_the_json_keys_are_the_documented_ones(outreach: Invoke) -> None:
    year = re.compile(r"(^|\.)\d{4}(?=\.|$)")
    # figures keyed by a party's code, as docs/report-json.md names the placeholder
    by_code = re.compile(r"^(action_plans\.in_preparation_by_supporter|"
                         r"coordinators\.by_organisation)\..+$")
    keys = {by_code.sub(lambda m: m.group(1) + (".<code>" if m.group(1).startswith("action")
                                                else ".<acronym>"),
                        section + "." + year.sub(r"\1<year>", figure))
            for section, figure in json_figures(outreach)}
    by_id = re.compile(r"^letters\.by_letter\.\d+\.")  # one entry per letter, by its id
    keys = {by_id.sub("letters.by_letter.<id>.", key) for key in keys}
    assert keys == documented_keys()


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_a_written_report_is_as_readable_as_the_umask_allows(
    outreach: Invoke, tmp_path: Path, umask: int, mode: int
) -> None:
    """Like a file a shell redirection or `cp` creates: readable by whom the umask allows."""
    previous = os.umask(umask)
    try:
        for fmt in ("html", "csv", "xlsx"):
            path = tmp_path / f"report.{fmt}"
            result = outreach("report", *YEAR_2023, "--format", fmt, "--out", str(path))
            assert result.exit_code == 0, result.output
            assert stat.S_IMODE(path.stat().st_mode) == mode, fmt
    finally:
        os.umask(previous)
