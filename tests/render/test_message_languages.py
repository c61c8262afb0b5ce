"""A PoC's e-mail and Telegram message in their language, from the translators' catalogue
(templates/locale/<language>/LC_MESSAGES/messages.po): wholly translated, or wholly English
and said to be a fall-back, never half and half."""

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.render import catalogue
from bot.render.messages import (
    RenderedMessage,
    languages_of,
    message_templates,
    missing_translations,
    pick_language,
    render_message,
)
from bot.render.templates import long_date
from storage.parties import UN_LANGUAGES
from tests.support.catalogue import catalogue_lacking

CYRILLIC = re.compile("[\u0400-\u04ff]")
UNSUBSCRIBE = "https://outreach.example/unsubscribe?t=xyz"
CONTACT_CHECK_SUBJECT = "1540 Committee: please confirm your contact details"


def context() -> dict[str, Any]:
    return {
        "poc": {"full_name": "Amina Diallo", "title": "Dr", "emails": ["a.diallo@example.org"]},
        "party": {"code": "BHS", "name": "Bahamas"},
        "message": {"cycle": 2, "last_submission": "2019-06-30"},
    }


def parts(message: RenderedMessage) -> list[str]:
    return [message.subject, message.text, message.html, message.telegram]


def test_every_kind_of_message_is_complete_in_the_six_un_languages() -> None:
    assert message_templates() == ["assistance_digest", "assistance_follow_up", "chair_message",
                                   "contact_check", "inbox_declined", "matrix_review",
                                   "reminder_first_report",
                                   "reminder_letter",
                                   "reminder_matrix",
                                   "reminder_update"]
    assert missing_translations() == {name: [] for name in message_templates()}


def test_a_kind_lacking_one_word_in_a_language_goes_out_wholly_in_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue_lacking(monkeypatch, tmp_path, "ru", "messages", CONTACT_CHECK_SUBJECT)
    assert "ru" not in languages_of("contact_check")
    assert missing_translations()["contact_check"] == ["ru"]
    assert pick_language("contact_check", "ru") == ("en", True)

    russian = render_message("contact_check", "ru", context(), UNSUBSCRIBE)
    english = render_message("contact_check", "en", context(), UNSUBSCRIBE)
    assert (russian.language, russian.fell_back) == ("en", True)
    assert parts(russian) == parts(english)
    assert not any(CYRILLIC.search(part) for part in parts(russian))
    assert '<html lang="en" dir="ltr">' in russian.html
    assert "<span" not in russian.html + russian.telegram  # nothing marked as a stray word

    # the other kinds still have every Russian word, and go out in Russian
    reminder = render_message("reminder_first_report", "ru", context(), UNSUBSCRIBE)
    assert (reminder.language, reminder.fell_back) == ("ru", False)
    assert reminder.subject.startswith("Комитет 1540:")


def test_a_word_several_kinds_share_makes_each_of_them_fall_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue_lacking(monkeypatch, tmp_path, "fr", "messages", "State: %(state)s")
    assert {name: "fr" in languages_of(name) for name in message_templates()} == {
        "assistance_digest": True, "assistance_follow_up": True, "chair_message": True,
        "contact_check": True, "inbox_declined": True,
        "matrix_review": True, "reminder_matrix": True,
        "reminder_first_report": False, "reminder_letter": True, "reminder_update": False}
    assert render_message("reminder_update", "fr", context()).fell_back
    assert not render_message("contact_check", "fr", context()).fell_back


@pytest.mark.parametrize(("language", "subject", "signature", "salutation"), [
    ("ar", "لجنة 1540: يرجى تأكيد بيانات الاتصال الخاصة بكم", "أمانة لجنة 1540",
     "Dr Amina Diallo المحترم/المحترمة،"),
    ("zh", "1540委员会\uff1a请确认您的联系信息", "1540委员会秘书处", "尊敬的Amina Diallo Dr\uff1a"),
])
def test_arabic_and_chinese_pocs_read_the_translation(
    language: str, subject: str, signature: str, salutation: str
) -> None:
    message = render_message("contact_check", language, context(), UNSUBSCRIBE)
    assert (message.language, message.fell_back) == (language, False)
    assert message.subject == subject
    assert message.text.splitlines()[0] == salutation
    assert signature in message.text and signature in message.html
    for part in parts(message):
        assert "Dear" not in part and "Committee" not in part, part
    assert "<span" not in message.html  # no word fell back to English


def test_only_the_e_mail_html_could_mark_a_stray_english_word() -> None:
    """Telegram refuses a <span lang>; an e-mail's HTML part can carry one."""
    assert catalogue.marks_language("messages/reminder_update/email.html.j2")
    assert not catalogue.marks_language("messages/reminder_update/telegram.html.j2")
    assert not catalogue.marks_language("messages/reminder_update/email.txt.j2")


@pytest.mark.parametrize("language", UN_LANGUAGES)
def test_the_date_is_written_in_the_message_language(language: str) -> None:
    message = render_message("reminder_update", language, context())
    written = long_date(date(2019, 6, 30), language)
    for part in (message.text, message.html, message.telegram):
        assert written in part
