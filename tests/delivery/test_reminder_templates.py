"""The reminder messages and the reply page: complete, safe and well-formed in every UN language."""

import inspect
import re
from typing import Any

import pytest

from bot.render.messages import RenderedMessage, languages_of, render_message
from bot.render.templates import environment, render
from storage.parties import UN_LANGUAGES

REMINDERS = ("reminder_first_report", "reminder_update")
REPLY_URLS = {
    "received": "https://outreach.example/reply/received?t=abc&d=1",
    "snooze": "https://outreach.example/reply/snooze?t=abc&d=1",
    "wrong_contact": "https://outreach.example/reply/wrong_contact?t=abc&d=1",
}
UNSUBSCRIBE = "https://outreach.example/unsubscribe?t=xyz"
HOSTILE_NAME = "<script>alert(1)</script>"
TELEGRAM_TAGS = frozenset({"b", "i", "a"})
# render_message gained a reply_urls parameter; before that, context keys reached the templates.
TAKES_REPLY_URLS = "reply_urls" in inspect.signature(render_message).parameters


def context(**message: Any) -> dict[str, Any]:
    return {
        "poc": {"full_name": "Amina Diallo", "title": "Dr", "emails": ["a.diallo@example.org"]},
        "party": {"code": "BHS", "name": "Bahamas"},
        "message": message,
    }


def compose(template: str, language: str, values: dict[str, Any],
            unsubscribe_url: str | None, reply_urls: dict[str, str] | None) -> RenderedMessage:
    extra: dict[str, Any] = {}
    if TAKES_REPLY_URLS:
        extra["reply_urls"] = reply_urls
    else:
        values = {**values, "reply_urls": reply_urls}
    result = render_message(template, language, values, unsubscribe_url, **extra)
    assert result.language == language and not result.fell_back
    return result


def rendered(template: str, language: str, reply_urls: dict[str, str] | None = None,
             unsubscribe_url: str | None = UNSUBSCRIBE, **message: Any) -> RenderedMessage:
    if reply_urls is None and not TAKES_REPLY_URLS:
        # reply_urls absent from the context altogether, as for any other message
        return render_message(template, language, context(**message), unsubscribe_url)
    return compose(template, language, context(**message), unsubscribe_url, reply_urls)


def parts(message: RenderedMessage) -> dict[str, str]:
    return {"subject": message.subject, "text": message.text, "html": message.html,
            "telegram": message.telegram}


@pytest.mark.parametrize("template", REMINDERS)
def test_every_reminder_is_complete_in_the_six_un_languages(template: str) -> None:
    assert languages_of(template) == list(UN_LANGUAGES)


@pytest.mark.parametrize("language", UN_LANGUAGES)
@pytest.mark.parametrize("template", REMINDERS)
def test_the_subject_template_itself_is_one_non_empty_line(template: str, language: str) -> None:
    values = {**context(cycle=2, last_submission="2019-06-30"), "language": language,
              "direction": "ltr", "unsubscribe_url": None, "reply_urls": REPLY_URLS}
    subject = environment(language).get_template(
        f"messages/{template}/subject.txt.j2").render(**values).strip()
    assert subject and "\n" not in subject
    assert rendered(template, language, REPLY_URLS).subject == subject


@pytest.mark.parametrize("language", UN_LANGUAGES)
@pytest.mark.parametrize("template", REMINDERS)
def test_every_part_names_the_resolution(template: str, language: str) -> None:
    message = rendered(template, language, REPLY_URLS, cycle=1, last_submission="2019-06-30")
    for name, part in parts(message).items():
        assert "1540" in part, f"{template}/{language}: {name} does not name resolution 1540"
    assert "2004" in message.text and "2004" in message.html


@pytest.mark.parametrize("language", UN_LANGUAGES)
@pytest.mark.parametrize("template", REMINDERS)
def test_the_html_declares_language_and_direction(template: str, language: str) -> None:
    html = rendered(template, language).html
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert f'<div dir="{direction}"' in html


@pytest.mark.parametrize("language", UN_LANGUAGES)
@pytest.mark.parametrize("template", REMINDERS)
def test_reply_links_are_in_the_e_mail_but_not_in_telegram(template: str, language: str) -> None:
    message = rendered(template, language, REPLY_URLS)
    for url in REPLY_URLS.values():
        lines = [line for line in message.text.splitlines() if line.endswith(url)]
        assert len(lines) == 1 and len(lines[0]) > len(url) + 1, f"{language}: no label for {url}"
        assert f'href="{url.replace("&", "&amp;")}"' in message.html
        assert "outreach.example/reply" not in message.telegram
    assert message.text.index(REPLY_URLS["received"]) < message.text.index(REPLY_URLS["snooze"])
    assert message.text.index(REPLY_URLS["snooze"]) < message.text.index(
        REPLY_URLS["wrong_contact"])


def test_the_english_reply_links_carry_their_labels() -> None:
    message = rendered("reminder_first_report", "en", REPLY_URLS)
    for label, key in (("Received", "received"),
                       ("Report in preparation: remind me in 30 days", "snooze"),
                       ("I am not the right contact", "wrong_contact")):
        assert f"{label}: {REPLY_URLS[key]}" in message.text
        assert f">{label}</a>" in message.html


@pytest.mark.parametrize("language", UN_LANGUAGES)
@pytest.mark.parametrize("template", REMINDERS)
def test_without_reply_urls_or_dates_nothing_breaks(template: str, language: str) -> None:
    bare = rendered(template, language, unsubscribe_url=None)
    nulled = compose(template, language, context(last_submission=None), None, None)
    for message in (bare, nulled):
        for name, part in parts(message).items():
            assert part and "None" not in part, f"{template}/{language}: {name}"
        assert "outreach.example" not in message.text + message.html
        assert "<a href=" in message.html  # the Committee's website, nothing else
    assert bare.html.count("<a href=") == 1


@pytest.mark.parametrize("language", UN_LANGUAGES)
@pytest.mark.parametrize("template", REMINDERS)
def test_a_follow_up_says_so(template: str, language: str) -> None:
    first = rendered(template, language, cycle=1)
    again = rendered(template, language, cycle=3)
    assert rendered(template, language).text == first.text
    for name in ("text", "html", "telegram"):
        assert len(parts(again)[name]) > len(parts(first)[name]), f"{template}/{language}: {name}"
    assert again.subject == first.subject


@pytest.mark.parametrize("language", UN_LANGUAGES)
def test_the_update_reminder_writes_the_date_out(language: str) -> None:
    dated = rendered("reminder_update", language, last_submission="2019-06-30")
    undated = rendered("reminder_update", language)
    for name in ("text", "html", "telegram"):
        part = parts(dated)[name]
        assert "2019" in part and "2019-06-30" not in part, f"{language}: {name}"
        assert "2019" not in parts(undated)[name]
    assert "since 30 June 2019." in rendered("reminder_update", "en",
                                             last_submission="2019-06-30").text


@pytest.mark.parametrize("language", UN_LANGUAGES)
def test_a_malformed_date_is_shown_as_given_and_escaped(language: str) -> None:
    message = rendered("reminder_update", language, last_submission="<b>soon</b>")
    assert "<b>soon</b>" in message.text
    assert "&lt;b&gt;soon&lt;/b&gt;" in message.html and "<b>soon" not in message.html
    assert "&lt;b&gt;soon&lt;/b&gt;" in message.telegram


@pytest.mark.parametrize("language", UN_LANGUAGES)
@pytest.mark.parametrize("template", REMINDERS)
def test_interpolated_values_are_escaped_in_html_and_telegram(template: str,
                                                              language: str) -> None:
    values = context(cycle=2, last_submission="2019-06-30")
    values["poc"]["full_name"] = HOSTILE_NAME
    # a party staff added (the reference data would name BHS itself): its stored name shows
    values["party"] = {"code": "STAFF-ADDED", "name": "A & <B>"}
    message = compose(template, language, values, UNSUBSCRIBE, REPLY_URLS)
    for name in ("html", "telegram"):
        part = parts(message)[name]
        assert "<script>" not in part and "&lt;script&gt;" in part, f"{language}: {name}"
        assert "<B>" not in part and "A &amp; &lt;B&gt;" in part, f"{language}: {name}"
    assert HOSTILE_NAME in message.text


@pytest.mark.parametrize("language", UN_LANGUAGES)
@pytest.mark.parametrize("template", REMINDERS)
def test_telegram_uses_only_the_tags_telegram_accepts(template: str, language: str) -> None:
    telegram = rendered(template, language, REPLY_URLS, cycle=2).telegram
    assert set(re.findall(r"</?([a-zA-Z]+)", telegram)) <= TELEGRAM_TAGS
    assert "<br" not in telegram and "<p" not in telegram


REPLY_STATES = ("received", "snooze", "wrong_contact", "invalid")


@pytest.mark.parametrize("language", UN_LANGUAGES)
def test_the_reply_page_renders_every_state(language: str) -> None:
    direction = "rtl" if language == "ar" else "ltr"
    pages = {
        state: render("web/reply.html.j2", language, state=state,
                      **({"until": "2026-12-27"} if state == "snooze" else {}))
        for state in REPLY_STATES
    }
    for state, page in pages.items():
        assert f'<html lang="{language}" dir="{direction}">' in page, f"{language}: {state}"
        assert "1540" in page
    assert len({page for page in pages.values()}) == len(REPLY_STATES)
    assert "2026" in pages["snooze"] and "2026-12-27" not in pages["snooze"]
    undated = render("web/reply.html.j2", language, state="snooze")
    assert undated != pages["snooze"] and "30" in undated
    hostile = render("web/reply.html.j2", language, state="snooze", until="<i>x</i>")
    assert "&lt;i&gt;x&lt;/i&gt;" in hostile and "<i>" not in hostile
    assert render("web/reply.html.j2", language, state="nonsense") == pages["invalid"]


def test_the_english_reply_page_says_what_was_recorded() -> None:
    def page(state: str, **extra: str) -> str:
        return render("web/reply.html.j2", "en", state=state, **extra)

    assert "Thank you, your acknowledgement has been recorded." in page("received")
    assert "we will write again after 27 December 2026." in page(
        "snooze", until="2026-12-27")
    assert "until the contact is confirmed" in page("wrong_contact")
    assert "not valid" in page("invalid")


UNSUBSCRIBE_WORDS = {"ar": "إلغاء الاشتراك", "zh": "退订", "en": "Unsubscribe",
                     "fr": "Se désabonner", "ru": "Отписаться", "es": "Cancelar la suscripción"}
# What SpamAssassin's END_FUTURE_EMAILS ("Stop receiving these e-mails") and its kin look for.
SPAMMY_UNSUBSCRIBE = re.compile(
    r"\b(stop|end|cease)\s+(receiving|getting)\b|\b(these|future)\s+e-?mails\b", re.IGNORECASE)


@pytest.mark.parametrize("language", UN_LANGUAGES)
@pytest.mark.parametrize("template", [*REMINDERS, "chair_message", "contact_check"])
def test_every_email_offers_to_unsubscribe_in_plain_words_spam_filters_accept(
    template: str, language: str
) -> None:
    values = context(subject="Letter of the Chair", markdown="Dear Points of Contact,")
    message = render_message(template, language, values, UNSUBSCRIBE)
    word = UNSUBSCRIBE_WORDS[language]
    assert re.search(rf"^{re.escape(word)}\s?[:\uff1a]\s?{re.escape(UNSUBSCRIBE)}$", message.text,
                     re.MULTILINE), message.text
    assert f">{word}</a>" in message.html
    for part in (message.text, message.html):
        assert not SPAMMY_UNSUBSCRIBE.search(part)
