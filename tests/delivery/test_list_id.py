"""Every e-mail names its list (RFC 2919 List-Id) after the sender's domain.

Without a List-Id, spam filters score bulk mail (SpamAssassin fired on every message); with
one, mail clients file and filter it.
"""

from email import message_from_bytes
from email import policy as email_policy

import pytest

from bot.channels.email.mime import build_mime
from tests.support.mail import FROM, email_for


@pytest.mark.parametrize(("mail_from", "list_id"), [
    (FROM, '"1540 Committee" <outreach.example.org>'),
    ("outreach@Example.ORG", "<outreach.example.org>"),
    ("Comité «1540» <outreach@bücher.example>", "<outreach.xn--bcher-kva.example>"),
])
def test_every_message_names_its_list_after_the_senders_domain(
    mail_from: str, list_id: str
) -> None:
    """With or without an unsubscribe link."""
    for unsubscribe_url in (None, "https://outreach.example.org/unsubscribe/1/abc"):
        message = build_mime(email_for(6, unsubscribe_url=unsubscribe_url), mail_from, None)
        back = message_from_bytes(message.as_bytes(policy=email_policy.SMTP),
                                  policy=email_policy.default)
        assert back["List-Id"] == list_id


def test_a_sender_without_a_domain_names_the_setting_not_its_value() -> None:
    with pytest.raises(ValueError, match=r"^OUTREACH_MAIL_FROM has no e-mail address$"):
        build_mime(email_for(7), "Outreach <outreach>", None)
