"""The e-mail channel's specs' common ground: an invented e-mail in Arabic (any script, a line
starting with a dot, a long unsubscribe link), the addresses and the SMTP password they use,
and an SMTP sender pointed at a local sink (tests/support/smtp_sink.py)."""

from typing import Any

from bot.channels.contract import OutgoingEmail, SendResult
from bot.channels.email.config import SmtpConfig
from bot.channels.email.smtp import SmtpSender
from tests.support.smtp_sink import SmtpSink

FROM = "1540 Committee <outreach@example.org>"
REPLY_TO = "1540 Committee Secretariat <secretariat@example.org>"
USER = "outreach-bot@example.org"
PASSWORD = "Tr0ub4dor&3 p@ss/w#rd"  # needs percent-encoding in a URL
ARABIC_SUBJECT = "تذكير: التقرير الوطني بشأن القرار 1540"
UNSUBSCRIBE = "https://outreach.example.org/unsubscribe?token=" + "k" * 120


def email_for(
    delivery_id: int,
    to: tuple[str, ...] = ("focal.point@example.org",),
    subject: str = ARABIC_SUBJECT,
    unsubscribe_url: str | None = UNSUBSCRIBE,
) -> OutgoingEmail:
    return OutgoingEmail(
        delivery_id=delivery_id,
        to=to,
        subject=subject,
        text="السيد الممثل،\n.A line that starts with a dot\nمع التحية\n",
        html="<p>السيد الممثل،</p><p>.A line that starts with a dot</p>",
        language="ar",
        message_id=f"<delivery-{delivery_id}.message-7@outreach.example.org>",
        unsubscribe_url=unsubscribe_url,
    )


def sender_for(sink: SmtpSink, url: str | None = None, **kwargs: Any) -> SmtpSender:
    if sink.tls != "none":
        kwargs.setdefault("tls_context", sink.client_tls_context())
    kwargs.setdefault("local_hostname", "outreach.test")
    return SmtpSender(SmtpConfig.from_url(url or sink.url()), FROM, REPLY_TO, **kwargs)


async def send_one(sender: SmtpSender, mail: OutgoingEmail) -> SendResult:
    async with sender:
        return await sender.send(mail)
