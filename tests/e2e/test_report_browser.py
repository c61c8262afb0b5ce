"""The transparency page, opened in headless Chromium (Debian's `chromium`) as a reader would.

`outreach report --format html` writes the page for the invented paper data; the browser
renders it with every outgoing request intercepted: only the page's own file may load. A
screenshot is kept under artifacts/ at the repository root (ignored by git; CI may keep it).
Without Chromium the test fails when CI is set, and is skipped with the reason otherwise.
"""

import os
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.render.report import report_rows
from bot.render.words import labels
from storage.figures.statistics import Period, transparency_figures
from tests.support.cli import Invoke
from tests.support.paper_data import PAPER_FROM, PAPER_TO, load_paper_data
from tests.support.paths import REPO

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "artifacts"


def chromium() -> str:
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if found:
        return found
    reason = ("Debian's chromium is not installed (apt-get install chromium; .ci/run does it):"
              " the transparency page cannot be checked in a browser")
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # one is enough here
def test_the_page_renders_every_figure_and_requests_nothing(
    outreach: Invoke, session: Session, tmp_path: Path, database_url: str
) -> None:
    browser_path = chromium()
    from playwright.sync_api import Route, sync_playwright

    load_paper_data(session, tmp_path / "paper")
    figures = transparency_figures(session=session, period=Period(date(2016, 4, 26),
                                                                   date(2022, 4, 15)))
    expected = {f"{section}.{figure}": str(value).replace(";", ", ")
                for section, figure, value in report_rows(figures)
                if section != "period" and not figure.startswith("by_year_and_audience")}
    page_file = tmp_path / "report.html"
    result = outreach("report", "--from", PAPER_FROM, "--to", PAPER_TO, "--format", "html",
                      "--out", str(page_file))
    assert result.exit_code == 0, result.output
    page_url = page_file.resolve().as_uri()

    requested: list[str] = []
    blocked: list[str] = []

    def only_the_page(route: Route) -> None:
        if route.request.url == page_url:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
            page.on("request", lambda request: requested.append(request.url))
            page.route("**/*", only_the_page)
            page.goto(page_url, wait_until="load")
            heading = page.inner_text("header")
            shown = [(row[0], row[1]) for row in page.eval_on_selector_all(
                "tr.item[data-figure]",
                "rows => rows.map(r => [r.dataset.figure, r.querySelector('td').innerText])")]
            charts = page.locator("figure svg")  # the outreach chart, then the matrices'
            boxes = [charts.nth(index).bounding_box() for index in range(charts.count())]
            chart_sizes = [(box["width"], box["height"]) if box else (0.0, 0.0)
                           for box in boxes]
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        finally:
            browser.close()

    assert requested == [page_url], f"the page made network requests: {requested[1:]}"
    assert blocked == []
    # every figure of the report (the JSON's leaves, CSV's rows) has its row on the page
    assert {figure for figure, _ in shown} >= expected.keys()
    values = dict(shown)
    for figure, value in expected.items():
        assert values[figure] == value, figure
    for figure, value in (("outreach.events", "249"),
                          ("outreach.events_with_organisations.percent", "82"),
                          ("outreach.events_states_and_civil_society", "144"),
                          ("outreach.by_audience.states", "104"),
                          ("outreach.by_audience.academia", "15"),
                          ("outreach.by_audience.industry", "17"),
                          ("outreach.by_audience.parliamentarians", "10")):
        assert values[figure] == value
    assert "26 April 2016" in heading and "15 April 2022" in heading
    assert len(chart_sizes) == 2, chart_sizes
    for width, height in chart_sizes:
        assert width > 200 and height > 200, f"a chart did not render: {chart_sizes}"
    assert overflow <= 0, "the page is wider than a phone's screen"
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000


def test_without_chromium_ci_fails_loudly_and_a_laptop_skips_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="chromium is not installed"):
        chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        chromium()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_keyboard_reaches_each_table_box_and_the_focus_shows(
    outreach: Invoke, session: Session, tmp_path: Path, database_url: str
) -> None:
    """A reader without a mouse presses Tab: the first stop is the first table's box (the
    page has no link or button before it), announced by its name, with an outline drawn."""
    browser_path = chromium()
    from playwright.sync_api import sync_playwright

    load_paper_data(session, tmp_path / "paper")
    page_file = tmp_path / "report.html"
    result = outreach("report", "--from", PAPER_FROM, "--to", PAPER_TO, "--format", "html",
                      "--out", str(page_file))
    assert result.exit_code == 0, result.output
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(page_file.resolve().as_uri(), wait_until="load")
            stops = []
            for _ in range(3):
                page.keyboard.press("Tab")
                stops.append(page.evaluate(
                    "() => { const e = document.activeElement; const s = getComputedStyle(e);"
                    " return [e.getAttribute('role'), e.getAttribute('aria-label'),"
                    " s.outlineStyle, parseFloat(s.outlineWidth)]; }"))
        finally:
            browser.close()
    words = labels("en")
    names = [words["section.outreach"], words["outreach.by_year_and_audience"],
             words["section.reporting"]]
    for (role, name, outline, width), expected_name in zip(stops, names, strict=True):
        assert role == "region" and name == expected_name, stops
        assert outline == "solid" and width >= 2, stops
