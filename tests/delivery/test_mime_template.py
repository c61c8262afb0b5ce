"""The e-mail built once per message and language (bot/channels/email/mime_template.py) is the
e-mail `build_mime` builds, decoded: same headers, same parts, same text, in the six UN
languages, for each recipient of a broadcast that shares one template."""

from datetime import UTC, datetime
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage

import pytest

from bot.channels.contract import OutgoingEmail
from bot.channels.email.mime import build_mime, wire_bytes
from bot.channels.email.mime_template import MimeTemplate, TemplateCache
from bot.delivery.answer_kinds import REPLY
from bot.delivery.answer_links import urls
from bot.render.messages import render_message
from storage.parties import UN_LANGUAGES
from tests.support.mail import FROM, REPLY_TO

DATE = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
RECIPIENTS = [
    ("Amina Diallo", ("a.diallo@example.org",)),
    ("Иван Петров", ("ivan.petrov@example.org", "office.petrov@example.org")),
    ("王芳", ("wang.fang@example.org",)),
    ("José Ñúñez", ("jose@bücher.example.org",)),  # an internationalised domain
]


def mail_for(template: str, language: str, index: int, name: str, to: tuple[str, ...],
             answers: dict[str, str] | None = None) -> OutgoingEmail:
    unsubscribe = f"https://outreach.example.org/unsubscribe/{index}/signed-{index:04d}"
    context = {"poc": {"full_name": name, "title": "Dr", "emails": list(to)},
               "party": {"code": "BHS", "name": "Bahamas"},
               "message": {"due": "2027-01-31"}}
    rendered = render_message(template, language, context, unsubscribe, answers)
    return OutgoingEmail(delivery_id=index, to=to, subject=rendered.subject,
                         text=rendered.text, html=rendered.html, language=rendered.language,
                         message_id=f"<delivery-{index}.message-7@outreach.example.org>",
                         unsubscribe_url=unsubscribe)


def parsed(data: bytes) -> EmailMessage:
    message = message_from_bytes(data, policy=email_policy.default)
    assert isinstance(message, EmailMessage)
    return message


def decoded(message: EmailMessage) -> dict[str, object]:
    """What a mail client shows: every header decoded (the boundary aside), each part's type
    and text."""
    headers = [(name, str(value)) for name, value in message.items() if name != "Content-Type"]
    parts = [(part.get_content_type(), part.get_content_charset(),
              part.get_content().replace("\r\n", "\n"))
             for part in message.iter_parts()]
    return {"headers": headers, "type": message.get_content_type(), "parts": parts}


@pytest.mark.parametrize("language", UN_LANGUAGES)
@pytest.mark.parametrize("template", ["contact_check", "reminder_update"])
def test_every_recipient_gets_the_message_build_mime_builds(template: str, language: str) -> None:
    shared = MimeTemplate(FROM, REPLY_TO, "", language)
    for index, (name, to) in enumerate(RECIPIENTS, start=1):
        answers = urls(REPLY, "https://outreach.example.org", "secret", index)  # their own
        mail = mail_for(template, language, index, name, to,
                        answers if template == "reminder_update" else None)
        shared.subject = mail.subject  # one message: the same subject for everyone
        smtputf8 = False
        expected = decoded(parsed(wire_bytes(build_mime(mail, FROM, REPLY_TO, date=DATE),
                                             smtputf8)))

        ours = decoded(parsed(shared.wire(mail, smtputf8, date=DATE)))

        assert ours == expected
        assert name in str(ours["parts"])  # each recipient's own name, not the first one's


def test_an_internationalised_mailbox_is_written_as_build_mime_writes_it() -> None:
    mail = mail_for("contact_check", "ar", 9, "ليلى", ("ليلى@example.org",))
    expected = wire_bytes(build_mime(mail, FROM, REPLY_TO, date=DATE), True)

    ours = MimeTemplate(FROM, REPLY_TO, mail.subject, "ar").wire(mail, True, date=DATE)

    assert decoded(parsed(ours)) == decoded(parsed(expected))
    assert "To: ليلى@example.org".encode() in ours  # SMTPUTF8: the address as it is


@pytest.mark.parametrize("address", ["no-at-sign.example.org", "two words@example.org",
                                     "<x@example.org>", "@example.org"])
def test_an_address_that_is_not_one_is_refused_as_build_mime_refuses_it(address: str) -> None:
    mail = mail_for("contact_check", "en", 1, "Amina Diallo", (address,))
    with pytest.raises(ValueError, match="invalid e-mail address"):
        build_mime(mail, FROM, REPLY_TO)
    with pytest.raises(ValueError, match="invalid e-mail address"):
        MimeTemplate(FROM, REPLY_TO, mail.subject, "en").wire(mail, False)


def test_an_unsubscribe_url_that_would_break_its_header_is_refused() -> None:
    mail = mail_for("contact_check", "en", 1, "Amina Diallo", ("a@example.org",))
    broken = OutgoingEmail(**{**mail.__dict__,
                              "unsubscribe_url": "https://x.example.org/a>\r\nBcc: b"})
    with pytest.raises(ValueError, match="unsubscribe URL"):
        MimeTemplate(FROM, REPLY_TO, mail.subject, "en").wire(broken, False)


def test_a_text_that_holds_the_boundary_still_makes_one_whole_message() -> None:
    shared = MimeTemplate(FROM, REPLY_TO, "Subject", "en")
    mail = mail_for("contact_check", "en", 1, "Amina Diallo", ("a@example.org",))
    sneaky = OutgoingEmail(**{**mail.__dict__, "subject": "Subject",
                              "text": f"Hello\n--{shared.boundary}\nworld\n"})

    message = parsed(shared.wire(sneaky, False, date=DATE))

    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain", "text/html"]
    assert "world" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_the_cache_builds_one_template_per_message_and_language() -> None:
    cache = TemplateCache(FROM, REPLY_TO)
    for language in ("en", "fr"):
        for index, (name, to) in enumerate(RECIPIENTS, start=1):
            cache.wire(mail_for("contact_check", language, index, name, to), False)

    assert sorted(language for _, language in cache._templates) == ["en", "fr"]
