"""A file sent with an e-mail (bot/channels/email/attachments.py): the text and HTML
alternatives stay the first part of a multipart/mixed message, the file follows with the
name the recipient sees, and the per-message template (mime_template.py) gives the same
message as build_mime when there is an attachment."""

from datetime import UTC, datetime
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage

from bot.channels.contract import Attachment, OutgoingEmail
from bot.channels.email.mime import build_mime, wire_bytes
from bot.channels.email.mime_template import MimeTemplate
from tests.support.documents import PDF

FROM = "1540 Committee <outreach@example.org>"
DATE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _mail(name: str) -> OutgoingEmail:
    return OutgoingEmail(
        delivery_id=7, to=("ana@example.org",), subject="Projet de matrice",
        text="Veuillez trouver ci-joint le projet.", html="<p>Ci-joint le projet.</p>",
        language="fr", message_id="<delivery-7.message-3@outreach.example.org>",
        unsubscribe_url=None,
        attachments=(Attachment(name, "application/pdf", PDF),))


def _parsed(data: bytes) -> EmailMessage:
    parsed = message_from_bytes(data, policy=email_policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_the_draft_follows_the_alternatives_in_a_mixed_message() -> None:
    mail = _parsed(wire_bytes(build_mime(_mail("KEN v2.pdf"), FROM, None, date=DATE), False))
    assert mail.get_content_type() == "multipart/mixed"
    assert mail["Content-Language"] == "fr"
    first, second = mail.iter_parts()
    assert first.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in first.iter_parts()] == ["text/plain", "text/html"]
    assert isinstance(second, EmailMessage)
    assert (second.get_filename(), second.get_content_type(),
            second.get_payload(decode=True)) == ("KEN v2.pdf", "application/pdf", PDF)
    assert second.get_content_disposition() == "attachment"


def test_a_name_in_another_script_survives_and_one_that_could_break_a_header_does_not(
) -> None:
    arabic = _parsed(wire_bytes(build_mime(_mail("مصفوفة.pdf"), FROM, None, date=DATE), False))
    hostile = _parsed(wire_bytes(build_mime(_mail('x"\r\nBcc: a@example.org/../m.pdf'), FROM,
                                            None, date=DATE), False))
    assert [p.get_filename() for p in arabic.iter_attachments()] == ["مصفوفة.pdf"]
    assert [p.get_filename() for p in hostile.iter_attachments()] == [
        "xBcc: a@example.org..m.pdf"]
    assert hostile["Bcc"] is None


def test_the_message_template_leaves_a_message_with_a_file_to_build_mime() -> None:
    mail = _mail("KEN v2.pdf")
    template = MimeTemplate(FROM, None, mail.subject, mail.language)
    wired = _parsed(template.wire(mail, False, date=DATE))
    assert [p.get_payload(decode=True) for p in wired.iter_attachments()] == [PDF]
    assert wired.get_content_type() == "multipart/mixed"
