"""The e-mail channel: MIME building (mime.py), an SMTP sender (config.py, smtp.py), and the
.eml folder used without SMTP (eml.py); `sender_from_settings` picks the one to use.

The SMTP sender keeps one connection for a batch (`async with sender:`), opened on the first
message and reopened once when the server dropped it; the service sends through an `SmtpPool`
(pool.py) of OUTREACH_MAIL_WINDOW such senders, which share one rate cap, so that the
dispatcher's window goes out at once. Each message is filled in from a MIME template built
once per message and language (mime_template.py). It answers every message with a
SendResult and never raises for a delivery's own failure, with one deliberate exception:

A connection that fails after the end of the message data (the final ".") was handed to the
server, before its reply arrived, leaves us not knowing whether the server accepted the
message (RFC 1047). Retrying could deliver it twice, and calling it failed could hide a
delivered message, so `send` raises the contract's `UncertainDelivery` in exactly that case:
the dispatcher records the delivery as `uncertain` (storage.outbox.record_uncertain), where it
waits for a person, like a delivery whose process died while sending. A failure any earlier
(before the server said 354 to DATA, or before our final "." left) never reached the server's
queue, so the message is retried once on a new connection, or reported transient.

Logs name delivery ids only: never an address, a name, the user or the password.
"""

from typing import TYPE_CHECKING

from bot.channels.email.eml import EmlFileSender
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.channels.email.pool import SmtpPool

__all__ = ["sender_from_settings"]


def sender_from_settings(settings: Settings) -> "SmtpPool | EmlFileSender":
    """SMTP when OUTREACH_SMTP_URL is set (aiosmtplib loads only then), else the .eml folder."""
    url = settings.smtp_url.get_secret_value().strip() if settings.smtp_url else ""
    if not url:
        return EmlFileSender(settings.data_dir / "outbox-mail", mail_from=settings.mail_from,
                             reply_to=settings.reply_to)
    from bot.channels.email.config import SmtpConfig
    from bot.channels.email.pool import SmtpPool

    # OUTREACH_MAIL_WINDOW connections at most, one rate cap for them all
    return SmtpPool(SmtpConfig.from_url(url), settings.mail_from, settings.reply_to,
                    per_minute=settings.mail_per_minute, connections=settings.mail_window)
