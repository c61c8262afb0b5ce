"""Every small web page, in every language and state it is shown in, as a screen reader and
a browser tab see it: one `main` landmark, one `h1`, and a tab icon held inside the page (a
data: URI), so that no page asks the server for /favicon.ico.

The pages are rendered as the service and the archive writer render them; the service's
Content-Security-Policy lets that icon show and nothing else load.
"""

from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest

from bot.render.templates import render
from bot.web.archive import ArchivedMessage, Version
from bot.web.safety import content_security_policy
from tests.support.paths import REPO


class Landmarks(HTMLParser):
    """The tags a page opens, and the icons it links."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []
        self.icons: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.opened.append(tag)
        found = dict(attrs)
        if tag == "link" and "icon" in (found.get("rel") or "").split():
            self.icons.append(found.get("href") or "")


def landmarks(page: str) -> Landmarks:
    parser = Landmarks()
    parser.feed(page)
    return parser


MESSAGE = ArchivedMessage(
    message_id=7, published=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    versions=[Version("en", "English", "ltr", "Reporting in 2026", "<p>Dear colleagues</p>"),
              Version("ar", "العربية", "rtl", "تقديم التقارير", "<p>الزملاء الأعزاء</p>")],
    filename="message-7.html", link="message-7.html", entry_id="urn:example:7")

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
PAGES: list[tuple[str, str, dict[str, Any]]] = [
    *[("web/reply.html.j2", lang, {"state": state, "until": "2026-05-01"})
      for lang in LANGUAGES
      for state in ("received", "snooze", "wrong_contact", "expired", "invalid")],
    *[("web/reply_confirm.html.j2", lang, {"answer": answer})
      for lang in LANGUAGES for answer in ("received", "snooze", "wrong_contact")],
    *[("web/letter_answer.html.j2", lang, {"state": state, "until": "2026-05-01"})
      for lang in LANGUAGES for state in ("responded", "promise", "expired", "invalid")],
    *[("web/letter_answer_confirm.html.j2", lang, {"answer": answer, "days": 30})
      for lang in LANGUAGES for answer in ("responded", "promise")],
    *[("web/matrix_answer.html.j2", lang, {"state": state, "until": ""})
      for lang in LANGUAGES for state in ("approved", "comments", "expired", "invalid")],
    *[("web/matrix_answer_confirm.html.j2", lang, {"answer": answer})
      for lang in LANGUAGES for answer in ("approved", "comments")],
    *[("web/unsubscribe.html.j2", lang, {"state": state})
      for lang in LANGUAGES for state in ("confirm", "done", "invalid")],
    ("web/chair_archive_index.html.j2", "en", {"messages": [MESSAGE], "feed": "atom.xml"}),
    ("web/chair_archive_index.html.j2", "en", {"messages": [], "feed": "atom.xml"}),
    *[("web/chair_archive_message.html.j2", version.language,
       {"item": MESSAGE, "version": version, "index": "index.html"})
      for version in MESSAGE.versions],
]


def test_every_page_template_is_covered() -> None:
    """A page added under templates/web/ is checked here too, or this spec says so."""
    names = {f"web/{path.name}" for path in (REPO / "templates" / "web").glob("*/*.html.j2")}
    assert names == {name for name, _, _ in PAGES}


@pytest.mark.parametrize(("name", "language", "context"), PAGES,
                         ids=[f"{n[4:-8]}-{lang}-{i}" for i, (n, lang, _) in enumerate(PAGES)])
def test_a_page_has_one_main_one_h1_and_an_icon_that_requests_nothing(
    name: str, language: str, context: dict[str, Any]
) -> None:
    page = landmarks(render(name, language, **context))
    assert page.opened.count("main") == 1
    assert page.opened.count("h1") == 1
    assert len(page.icons) == 1 and page.icons[0].startswith("data:image/svg+xml,")


def test_the_service_lets_the_inline_icon_show_and_nothing_else_load() -> None:
    policy = [part.strip() for part in content_security_policy().split(";")]
    assert "img-src data:" in policy and "default-src 'none'" in policy

