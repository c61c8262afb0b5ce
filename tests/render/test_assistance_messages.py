"""The providers' digest of open requests and the requesting State's follow-up a year after a
match, as a PoC reads them in each of the six languages: the requesting State named in the
reader's language, the days written out, the areas in the assistance vocabulary, and the
follow-up's three answers as links in the e-mail."""

from typing import Any

import pytest

from bot.render.messages import languages_of, render_message
from storage.parties import UN_LANGUAGES

UNSUBSCRIBE = "https://outreach.example.org/unsubscribe/3/abc"
ANSWERS = {"met": "https://outreach.example.org/assistance-answer/9/met/s1",
           "partly_met": "https://outreach.example.org/assistance-answer/9/partly_met/s2",
           "still_needed": "https://outreach.example.org/assistance-answer/9/still_needed/s3"}
REQUEST = {"id": 41, "state": "KEN", "received_on": "2025-03-02",
           "areas": ["op3_cd", "training"], "matched_on": "2025-11-20"}
# What each language calls Kenya, the training area and the subject's first words.
EXPECTED = {
    "en": ("Kenya", "Training", "2 March 2025", "1540 Committee:"),
    "fr": ("Kenya", "Formation", "2 mars 2025", "Comité 1540 :"),
    "es": ("Kenya", "Capacitación", "2 de marzo de 2025", "Comité 1540:"),
    "ru": ("Кения", "Подготовка кадров", "2 марта 2025\u202fг.", "Комитет 1540:"),  # noqa: RUF001
    "ar": ("كينيا", "التدريب", "2 مارس 2025", "لجنة 1540:"),
    "zh": ("肯尼亚", "培训", "2025年3月2日", "1540委员会："),  # noqa: RUF001
}

PERU = {"en": "Peru", "fr": "Pérou", "es": "Perú", "ru": "Перу", "ar": "بيرو", "zh": "秘鲁"}


def digest_context() -> dict[str, Any]:
    return {
        "poc": {"full_name": "Ana Example", "title": "", "emails": ["ana@example.org"]},
        "party": {"code": "FRA", "name": "France"},
        "message": {"quarter_start": "2026-10-01", "quarter_end": "2026-12-31",
                    "requests": [{**REQUEST, "matched_on": None, "received_on": "2025-03-02"},
                                 {**REQUEST, "id": 42, "state": "PER",
                                  "areas": ["legislation"]}]},
    }


def follow_up_context() -> dict[str, Any]:
    return {
        "poc": {"full_name": "Wanjiru Example", "title": "", "emails": ["w@example.org"]},
        "party": {"code": "KEN", "name": "Kenya"},
        "message": {"request": REQUEST},
    }


def test_both_kinds_are_complete_in_the_six_languages() -> None:
    for kind in ("assistance_digest", "assistance_follow_up"):
        assert languages_of(kind) == list(UN_LANGUAGES)


def test_a_spec_lists_every_language() -> None:
    assert sorted(EXPECTED) == sorted(PERU) == sorted(UN_LANGUAGES)


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_digest_names_each_request_in_the_readers_language(language: str) -> None:
    kenya, training, received, subject = EXPECTED[language]
    message = render_message("assistance_digest", language, digest_context(), UNSUBSCRIBE)
    assert (message.language, message.fell_back) == (language, False)
    assert message.subject.startswith(subject)
    for part in (message.text, message.html, message.telegram):
        assert kenya in part
        assert training in part
        assert received in part
        assert "41" in part and "42" in part
    # the second request's State, in the same language
    assert PERU[language] in message.text and PERU[language] in message.telegram
    assert UNSUBSCRIBE in message.text and UNSUBSCRIBE in message.html
    if language != "en":
        assert "Training" not in message.text and "Request" not in message.text


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_follow_up_names_the_request_and_offers_three_answers(language: str) -> None:
    kenya, training, received, subject = EXPECTED[language]
    message = render_message("assistance_follow_up", language, follow_up_context(),
                             UNSUBSCRIBE, ANSWERS)
    assert (message.language, message.fell_back) == (language, False)
    assert message.subject.startswith(subject)
    for part in (message.text, message.html, message.telegram):
        assert kenya in part and training in part and received in part and "41" in part
    for url in ANSWERS.values():
        assert url in message.text and f'href="{url}"' in message.html
        assert url not in message.telegram  # Telegram answers by buttons
    if language != "en":
        assert "assistance was met" not in message.text + message.html


def test_arabic_and_chinese_say_the_follow_up_in_their_own_words() -> None:
    arabic = render_message("assistance_follow_up", "ar", follow_up_context(), UNSUBSCRIBE,
                            ANSWERS)
    assert "قُدمت المساعدة جزئيا" in arabic.html
    assert '<html lang="ar" dir="rtl">' in arabic.html
    assert "تاريخ" not in arabic.subject and arabic.subject.startswith("لجنة 1540")
    chinese = render_message("assistance_follow_up", "zh", follow_up_context(), UNSUBSCRIBE,
                             ANSWERS)
    assert "援助已部分满足" in chinese.text
    assert "该请求已于2025年11月20日与一个援助提供方匹配" in chinese.telegram
    assert "边境管制和出口管制" in chinese.text
    assert "；培训" in chinese.text  # noqa: RUF001 (the Chinese list separator)


def test_without_links_the_follow_up_email_asks_for_a_reply_instead() -> None:
    message = render_message("assistance_follow_up", "fr", follow_up_context(), UNSUBSCRIBE)
    assert "Vous pouvez répondre au présent message." in message.text
    assert "assistance-answer" not in message.text + message.html
