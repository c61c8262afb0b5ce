"""Every page a PoC or reader opens, in the six UN languages, checked by axe-core (the
accessibility engine browsers' own tools use) in headless Chromium: no serious or critical
violation. axe-core comes with the axe-playwright-python package (a test dependency).
Without Chromium the spec fails when CI is set and is skipped with the reason otherwise
(tests.e2e.test_report_browser.chromium)."""

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from bot.render.page import report_html
from bot.render.templates import render
from bot.web.archive import ArchivedMessage, Version
from bot.web.assistance_form import AREAS, WEAPONS, TypedInput
from storage.assistance.model import DETAIL_MAX
from storage.figures.statistics import Period, transparency_figures
from storage.parties import UN_LANGUAGES
from tests.e2e.test_report_browser import chromium

MESSAGE = ArchivedMessage(
    message_id=7, published=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    versions=[Version("en", "English", "ltr", "Reporting", "<p>Dear colleagues</p>"),
              Version("ar", "العربية", "rtl", "تقديم التقارير", "<p>الزملاء الأعزاء</p>")],
    filename="message-7.html", link="message-7.html", entry_id="urn:example:7")


def pages(language: str) -> dict[str, str]:
    """Every PoC- or reader-facing page in `language`, by a name for the failure message."""
    found: dict[str, Any] = {
        f"unsubscribe-{state}": render("web/unsubscribe.html.j2", language, state=state)
        for state in ("confirm", "done", "invalid")}
    for state in ("received", "snooze", "wrong_contact", "expired", "invalid"):
        found[f"reply-{state}"] = render("web/reply.html.j2", language, state=state,
                                         until="2026-05-01")
    found["reply-confirm"] = render("web/reply_confirm.html.j2", language, answer="received")
    typed = TypedInput(areas=["training"], weapons={"training": "nuclear"})
    for problem in (None, "no_area"):
        found[f"assistance-form-{problem}"] = render(
            "assistance/form.html.j2", language, state="Kenya", areas=AREAS, weapons=WEAPONS,
            typed=typed, problem=problem, detail_max=DETAIL_MAX)
    for state in ("filed", "expired", "not_a_state", "invalid"):
        found[f"assistance-form-{state}"] = render("assistance/form_done.html.j2", language,
                                                   state=state)
    found["archive-index"] = render("web/chair_archive_index.html.j2", language,
                                    messages=[MESSAGE], feed="atom.xml", others=[])
    version = MESSAGE.version(language)  # the page of the message in this language, if sent
    found["archive-message"] = render("web/chair_archive_message.html.j2", version.language,
                                      item=MESSAGE, version=version, index="index.html")
    return found


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # one is enough here
def test_no_page_has_a_serious_accessibility_violation_in_any_language(
    session: Session, tmp_path: Path, database_url: str
) -> None:
    browser_path = chromium()
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    figures = transparency_figures(session=session,
                                   period=Period(date(2021, 1, 1), date(2021, 12, 31)))
    violations: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
            page.route("**/*", lambda route: route.abort()
                       if not route.request.url.startswith("file:") else route.continue_())
            for language in UN_LANGUAGES:
                documents = {**pages(language),
                             "report": report_html(figures, language, date(2022, 1, 10))}
                for name, html in documents.items():
                    path = tmp_path / f"{name}.{language}.html"
                    path.write_text(html, encoding="utf-8")
                    page.goto(path.as_uri(), wait_until="load")
                    result = Axe().run(page)
                    violations += [
                        f"{language} {name}: {item['id']} ({item['impact']}): {item['help']}"
                        for item in result.response["violations"]
                        if item["impact"] in ("serious", "critical")]
            page.set_content("<html><body><button></button></body></html>")  # axe is awake
            awake = {item["id"] for item in Axe().run(page).response["violations"]}
        finally:
            browser.close()
    assert "button-name" in awake
    assert violations == []
