"""The archive's page of a Chair's message is in the message's language: a page per language
it was sent in, its own words (title, date, the way back to the archive, the other
languages) in that language, lang and dir on the page, and no English left in it."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.web import archive
from bot.web.archive import ArchivedMessage, Version

BASE = "https://outreach.example.org/chair/"
MESSAGE = ArchivedMessage(
    message_id=7, published=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    versions=[Version("en", "English", "ltr", "Reporting in 2026", "<p>Dear colleagues</p>"),
              Version("ar", "العربية", "rtl", "تقديم التقارير", "<p>الزملاء الأعزاء</p>"),
              Version("zh", "中文", "ltr", "报告", "<p>各位同事</p>")],
    filename="message-7.html", link=BASE + "message-7.html", entry_id="urn:example:7")


@pytest.fixture
def site(session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(archive, "archived", lambda **_: [MESSAGE])
    out = tmp_path / "site"
    archive.write(session=session, out=out, public_url=BASE.removesuffix("chair/"),
                  now=datetime(2026, 3, 3, tzinfo=UTC))
    return out


def test_the_arabic_page_of_a_message_is_arabic_right_to_left(site: Path) -> None:
    page = (site / "message-7.ar.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert "<title>تقديم التقارير: رسالة رئيس لجنة 1540</title>" in page
    assert f'<a href="{BASE}index.ar.html">رسائل رئيس لجنة 1540</a>' in page
    assert "أُرسلت في 2 مارس 2026." in page and "متاحة باللغات التالية" in page
    assert "<h2>تقديم التقارير</h2>" in page and "Dear colleagues" not in page
    assert "Sent on" not in page and "Messages of the Chair" not in page
    assert 'lang="en" dir="ltr"' not in page  # no word fell back to English
    assert 'hreflang="en" lang="en">English</a>، ' in page  # Arabic list comma


def test_each_language_sent_has_its_page_and_the_english_one_keeps_its_name(site: Path) -> None:
    chinese = (site / "message-7.zh.html").read_text(encoding="utf-8")
    assert '<html lang="zh" dir="ltr">' in chinese and "发送日期\uff1a2026年3月2日。" in chinese
    english = (site / "message-7.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in english
    assert "<title>Reporting in 2026: message of the Chair of the 1540 Committee</title>" \
        in english
    assert "Sent on 2 March 2026." in english
    for language in ("ar", "zh"):
        assert f'<link rel="alternate" hreflang="{language}" ' \
               f'href="{BASE}message-7.{language}.html">' in english
    assert not (site / "message-7.fr.html").exists()  # not sent in French
    arabic_index = (site / "index.ar.html").read_text(encoding="utf-8")
    assert f'<a href="{BASE}message-7.ar.html">تقديم التقارير</a>' in arabic_index
    french_index = (site / "index.fr.html").read_text(encoding="utf-8")
    assert f'<a href="{BASE}message-7.html" lang="en" dir="ltr">' in french_index
