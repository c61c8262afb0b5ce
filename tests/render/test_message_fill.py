"""A message rendered once and filled in per recipient reads exactly as rendered in full for
that recipient: every kind of message a PoC receives, in the six languages, by e-mail (text,
HTML, subject) and Telegram, for names and links holding HTML's special characters,
non-Latin scripts, empty titles, States, organisations and a party staff added; and a
template that does more with a recipient's value than print it is rendered in full."""

from datetime import date
from typing import Any

import pytest
from jinja2 import ChoiceLoader, DictLoader

from bot.delivery.answer_kinds import ASSISTANCE, LETTER, MATRIX_REVIEW, REPLY
from bot.delivery.answer_links import urls
from bot.render import message_fill
from bot.render.message_fill import MessageFills
from bot.render.messages import message_templates, render_message
from bot.render.templates import environment
from bot.web.links import assistance_form_url, upload_url
from storage.parties import UN_LANGUAGES

BASE, SECRET = "https://outreach.example.org", "spec-secret"
TODAY = date(2026, 12, 3)
REQUEST = {"id": 41, "state": "KEN", "received_on": "2025-03-02",
           "areas": ["op3_cd", "training"], "matched_on": "2025-11-20"}
MESSAGES: dict[str, dict[str, Any]] = {
    "assistance_digest": {"quarter_start": "2026-10-01", "quarter_end": "2026-12-31",
                          "requests": [REQUEST, {**REQUEST, "id": 42, "state": "PER"}]},
    "assistance_follow_up": {"request": REQUEST},
    "chair_message": {"subject": "Quarterly message & <news>",
                      "markdown": "Dear colleagues,\n\n**Thanks** & regards <3 'all'"},
    "contact_check": {},
    "inbox_declined": {"received_on": "2026-11-02", "file_name": "report <final> & 'v2'.pdf",
                       "reason": "Illegible & \"incomplete\""},
    "matrix_review": {"version": 3, "respond_by": "2027-01-31"},
    "reminder_first_report": {"cycle": 2},
    "reminder_letter": {"letter_sent_on": "2026-09-01", "letter_due_on": "2026-10-01"},
    "reminder_matrix": {"version": 3, "review_sent_on": "2026-10-01"},
    "reminder_update": {"cycle": 1, "last_submission": "2019-06-30"},
}
# (full name, title, party code, the party's stored name, addresses): invented people
RECIPIENTS = [
    ("Amina <b>Diallo</b> & \"Co\" 'x'", "Dr & <i>", "BHS", "Bahamas",
     ["amina@example.org"]),
    ("Иван Петров", "", "RUS", "Russian Federation", ["ivan@example.org", "i.p@example.org"]),
    ("李小龙", "博士", "CHN", "China", ["li@example.org"]),
    ("عائشة الأحمد", "", "IAEA", "International Atomic Energy Agency", ["aisha@example.org"]),
    ("Jean-Luc O'Neil  Jr ", " ", "ZZX", "Staff <added> & 'party'", ["jl@example.org"]),
    ("Ana Example", "Mme", "FRA", "France", []),
]


def answers(template: str, delivery: int, poc: int, state: bool) -> dict[str, str] | None:
    """The answer links the dispatcher gives each kind of message."""
    if template == "reminder_letter":
        return urls(LETTER, BASE, SECRET, delivery)
    if template in ("matrix_review", "reminder_matrix"):
        return {**urls(MATRIX_REVIEW, BASE, SECRET, delivery),
                "upload": upload_url(BASE, SECRET, poc, "matrix_comments", TODAY)}
    if template.startswith("reminder_"):
        links = urls(REPLY, BASE, SECRET, delivery)
        if state:
            links["assistance_form"] = assistance_form_url(BASE, SECRET, poc, TODAY)
            links["upload"] = upload_url(BASE, SECRET, poc, "additional_info", TODAY)
        return links
    if template == "chair_message":
        return {"upload": f"{BASE}/upload/{poc}/?a=1&b='<{poc}>'"}
    if template == "assistance_follow_up":
        return urls(ASSISTANCE, BASE, SECRET, delivery)
    return None


def deliveries(template: str) -> list[tuple[dict[str, Any], str | None, Any]]:
    """(context, unsubscribe URL, answer links) for each recipient, with and without links."""
    found = []
    for index, (name, title, code, party, emails) in enumerate(RECIPIENTS):
        context = {"poc": {"full_name": name, "title": title, "emails": emails},
                   "party": {"code": code, "name": party}, "message": MESSAGES[template]}
        unsubscribe = f"{BASE}/unsubscribe/{index}/s&t='{index}'"
        links = answers(template, 100 + index, index, code not in ("IAEA", "ZZX"))
        found += [(context, unsubscribe, links), (context, None, None)]
    return found


def test_the_spec_covers_every_kind_of_message() -> None:
    assert sorted(MESSAGES) == message_templates()


@pytest.mark.parametrize("language", UN_LANGUAGES)
@pytest.mark.parametrize("template", sorted(MESSAGES))
def test_a_filled_in_message_equals_its_full_render(template: str, language: str) -> None:
    fills = MessageFills()
    for channel in ("email", "telegram"):
        for round_ in ("first", "second"):
            before = fills.full_renders
            for context, unsubscribe, links in deliveries(template):
                email_links = links if channel == "email" else None
                filled = fills.render(7, template, language, context, unsubscribe,
                                      email_links, channel=channel)
                assert filled == render_message(template, language, context, unsubscribe,
                                                email_links, channel=channel)
            if round_ == "second":  # every shape seen: all filled in, none rendered
                assert fills.full_renders == before
    assert fills.unfillable == set()
    assert fills.full_renders == fills.shapes  # one full render per shape, to check it


def test_the_same_recipient_in_two_messages_gets_each_message() -> None:
    fills = MessageFills()
    context = {"poc": {"full_name": "Ana Example", "title": "", "emails": ["a@example.org"]},
               "party": {"code": "FRA", "name": "France"}, "message": {}}
    chair = {**context, "message": MESSAGES["chair_message"]}
    other = {**context, "message": {**MESSAGES["chair_message"], "markdown": "Another text"}}
    first = fills.render(1, "chair_message", "fr", chair, channel="email")
    second = fills.render(2, "chair_message", "fr", other, channel="email")
    assert "Another text" in second.text and "Another text" not in first.text


# --- templates a recipient's value cannot be filled into --------------------------------

PLAIN = "{{ message.get('x', '') }}Dear {{ poc.full_name }}"
MISUSES = {
    "filtered": "Dear {{ poc.full_name | upper }}",
    "trimmed": "Dear {{ poc.full_name | trim }}!",
    "compared": "{% if poc.full_name == 'Ana Example' %}Hello Ana{% else %}{{ poc.full_name }}"
                "{% endif %}",
    "measured": "{% if poc.full_name | length > 11 %}Dear colleague{% else %}Dear "
                "{{ poc.full_name }}{% endif %}",
    "sliced": "Dear {{ poc.full_name[:3] }}",
    "searched": "{% if 'Dr' in poc.title %}Doctor {% endif %}{{ poc.full_name }}",
    "method": "{{ poc.full_name.split(' ')[0] }}",
}


def misusing(template: str, text: str, html: str) -> dict[str, str]:
    folder = f"messages/{template}"
    return {f"{folder}/subject.txt.j2": "Subject", f"{folder}/email.txt.j2": text,
            f"{folder}/email.html.j2": html, f"{folder}/telegram.html.j2": text}


@pytest.fixture
def spec_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Templates of this spec's own, in English, beside the real ones."""
    extra: dict[str, str] = {}
    for name, text in MISUSES.items():
        extra |= misusing(name, text, f"<p>{PLAIN}</p>")
    extra |= misusing("unescaped", PLAIN, "<p>{{ poc.full_name | safe }}</p>")
    extra |= misusing("plain", PLAIN, f"<p>{PLAIN}</p>")
    env = environment("en")
    assert env.loader is not None
    monkeypatch.setattr(env, "loader", ChoiceLoader([DictLoader(extra), env.loader]))
    monkeypatch.setattr(message_fill, "pick_language", lambda template, wanted: ("en", False))


def recipient(name: str, title: str = "") -> dict[str, Any]:
    return {"poc": {"full_name": name, "title": title, "emails": ["x@example.org"]},
            "party": {"code": "FRA", "name": "France"}, "message": {}}


def full(template: str, context: dict[str, Any]) -> Any:
    return message_fill._Delivery(template, "en", False, context, None, None, "email").full()


@pytest.mark.usefixtures("spec_templates")
def test_a_template_that_only_prints_the_values_is_filled_in() -> None:
    fills = MessageFills()
    names = ["Bob Example", "Ana <Example> & 'Co'", "Bob Example"]
    for name in names:
        assert fills.render(1, "plain", "en", recipient(name), channel="email") == full(
            "plain", recipient(name))
    assert (fills.full_renders, fills.unfillable) == (1, set())


@pytest.mark.parametrize("template", [*MISUSES, "unescaped"])
@pytest.mark.usefixtures("spec_templates")
def test_a_template_that_does_more_with_a_value_is_rendered_in_full(template: str) -> None:
    fills = MessageFills()
    # the first recipient is one the stand-ins cannot tell from any other
    names = ["Bob Example", " Ana Example", "Ana Example", "Dr Who <&>", "Bob Example"]
    for name in names:
        context = recipient(name, "Dr")
        assert fills.render(1, template, "en", context, channel="email") == full(
            template, context)
    assert fills.unfillable == {(template, "en")}
    assert fills.full_renders == len(names)  # each delivery rendered in full, once
