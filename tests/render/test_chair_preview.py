"""The preview shows each language exactly as PoCs receive it, and who gets what."""

import pytest
from sqlmodel import Session

from bot.render.previews import approve, preview, table_text
from bot.render.templates import catalogue_message
from storage import chair
from storage.chair import ChairState, TelegramTooLong
from tests.support.chair import DRAFTER, NOW, add_poc, draft


def test_preview_shows_every_language_and_the_recipients_table(session: Session) -> None:
    add_poc(session, "FRA", "Claire Invented", email="c@example.org", chat_id=41, language="fr")
    ivan = add_poc(session, "RUS", "Ivan Invented", email="i@example.org", language="ru")
    add_poc(session, "EGY", "Nour Invented", chat_id=42, language="ar")
    silent = add_poc(session, "SEN", "Silent Invented", language="fr")
    message_id = draft(session, languages=("en", "fr"))
    chair.set_body(session=session, message_id=message_id, language="ar", actor=DRAFTER,
                   now=NOW, subject="رسالة الرئيس", markdown="**الزملاء** الأعزاء")
    result = preview(session=session, message_id=message_id,
                     unsubscribe_url="https://outreach.example.org/unsubscribe/0/abc")
    assert list(result.languages) == ["ar", "en", "fr"]
    arabic = result.languages["ar"]
    assert arabic.direction == "rtl"
    assert '<html lang="ar" dir="rtl">' in arabic.email_html
    assert "<strong>الزملاء</strong>" in arabic.email_html
    assert arabic.telegram_html == "<b>رسالة الرئيس</b>\n\n<b>الزملاء</b> الأعزاء"
    french = result.languages["fr"]
    assert french.subject == "Message of the Chair (fr)"
    assert "Comité du Conseil de sécurité" in french.email_text
    assert "https://outreach.example.org/unsubscribe/0/abc" in french.email_text
    assert [(row.language, row.email, row.telegram, row.pocs, row.fallbacks)
            for row in result.table] == [("ar", 0, 1, 1, 0), ("en", 1, 0, 1, 1),
                                         ("fr", 1, 1, 1, 0)]
    assert [(p.poc_id, p.party_code) for p in result.fallbacks] == [(ivan, "RUS")]
    assert [(p.poc_id, p.party_code) for p in result.unreachable] == [(silent, "SEN")]
    text = table_text(result)
    assert f"PoC {ivan} (RUS, ru)" in text
    assert f"PoC {silent} (SEN)" in text
    assert "Invented" not in text and "example.org" not in text


def test_a_version_too_long_for_telegram_is_flagged(session: Session) -> None:
    add_poc(session, "FRA", "Claire Invented", chat_id=41)
    message_id = draft(session)
    chair.set_body(session=session, message_id=message_id, language="en", actor=DRAFTER,
                   now=NOW, markdown="word " * 1000)
    result = preview(session=session, message_id=message_id)
    assert result.languages["en"].telegram_too_long
    assert "longer than Telegram accepts" in table_text(result)


def test_approval_is_refused_while_a_telegram_version_is_too_long(session: Session) -> None:
    add_poc(session, "FRA", "Claire Invented", chat_id=41)
    message_id = draft(session)
    chair.set_body(session=session, message_id=message_id, language="en", actor=DRAFTER,
                   now=NOW, markdown="word " * 1000)
    session.commit()
    with pytest.raises(TelegramTooLong) as refused:
        approve(session=session, message_id=message_id, actor="cli:second-person", now=NOW)
    assert refused.value.params["language"] == "en"
    assert int(refused.value.params["length"]) > 4096
    words = catalogue_message("chair", refused.value.code, refused.value.params)
    assert "The en version of message" in words and "at most 4096" in words
    assert chair.get(session=session, message_id=message_id).state == ChairState.DRAFT
    chair.set_body(session=session, message_id=message_id, language="en", actor=DRAFTER,
                   now=NOW, markdown="A short text.")
    approved = approve(session=session, message_id=message_id, actor="cli:second-person",
                       now=NOW)
    assert approved.state == ChairState.APPROVED


def test_a_long_text_nobody_reads_in_telegram_can_be_approved(session: Session) -> None:
    add_poc(session, "FRA", "Claire Invented", email="c@example.org")
    message_id = draft(session)
    chair.set_body(session=session, message_id=message_id, language="en", actor=DRAFTER,
                   now=NOW, markdown="word " * 1000)
    approved = approve(session=session, message_id=message_id, actor="cli:second-person",
                       now=NOW)
    assert approved.state == ChairState.APPROVED
