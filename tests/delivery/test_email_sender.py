"""Specs for the e-mail channel, against a real SMTP server on loopback
(tests/support/smtp_sink.py).

What a Committee member or the operator would notice: the message arrives whole and readable
in any script, refusals are told apart (retry later, or a person must act), a batch uses one
connection, the rate cap holds, a message is never sent twice behind our back, and the SMTP
password shows up nowhere.
"""

import logging
from collections.abc import Callable
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from typing import Any

import pytest

from bot.channels.contract import Outcome, SendResult, UncertainDelivery
from bot.channels.email.config import SmtpConfig
from bot.channels.email.mime import build_mime
from bot.channels.email.smtp import SmtpSender
from bot.channels.pacing import Pacer
from tests.support.mail import (
    ARABIC_SUBJECT,
    FROM,
    PASSWORD,
    REPLY_TO,
    UNSUBSCRIBE,
    USER,
    email_for,
    send_one,
    sender_for,
)
from tests.support.smtp_sink import SmtpSink, free_port

# --- what arrives ------------------------------------------------------------------------


async def test_the_message_arrives_as_text_and_html_with_its_headers(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    mail = email_for(42, to=("first@example.org", "second@example.org"))

    result = await send_one(sender_for(sink), mail)

    assert result == SendResult.sent(external_id="Q00001")  # the server's queue id
    [received] = sink.messages
    assert received.mail_from == "outreach@example.org"
    assert received.rcpt_tos == ("first@example.org", "second@example.org")
    message = received.parsed()
    assert message["Subject"] == ARABIC_SUBJECT
    assert message["From"] == FROM
    assert message["To"] == "first@example.org, second@example.org"
    assert message["Reply-To"] == REPLY_TO
    assert message["Message-ID"] == "<delivery-42.message-7@outreach.example.org>"
    assert message["Content-Language"] == "ar"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Date"] is not None
    assert message["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    assert isinstance(plain, EmailMessage) and isinstance(html, EmailMessage)
    assert plain.get_content().replace("\r\n", "\n") == mail.text  # MIME text is CRLF
    assert html.get_content().replace("\r\n", "\n").rstrip("\n") == mail.html
    assert plain.get_content_charset() == html.get_content_charset() == "utf-8"


async def test_a_long_unsubscribe_link_stays_one_plain_url_on_the_wire(
    make_sink: Callable[..., SmtpSink],
) -> None:
    """Mail clients read List-Unsubscribe literally: folding or encoding it breaks the link."""
    sink = make_sink()
    await send_one(sender_for(sink), email_for(1))
    assert f"\r\nList-Unsubscribe: <{UNSUBSCRIBE}>\r\n".encode() in sink.messages[0].data


@pytest.mark.parametrize(
    "subject",
    [
        ARABIC_SUBJECT,
        "关于第1540号决议的国家报告提醒",
        "Напоминание: национальный доклад",
        "Rappel : rapport national",
    ],
)
def test_subjects_in_any_script_are_encoded_for_any_relay_and_read_back(subject: str) -> None:
    message = build_mime(email_for(3, subject=subject), FROM, None)
    wire = message.as_bytes(policy=email_policy.SMTP)
    assert wire.isascii()  # 7-bit clean: no relay needs 8BITMIME or SMTPUTF8 for it
    back = message_from_bytes(wire, policy=email_policy.default)
    assert back["Subject"] == subject
    assert back["Reply-To"] is None
    assert back["Message-ID"] == "<delivery-3.message-7@outreach.example.org>"


def test_without_an_unsubscribe_link_there_are_no_unsubscribe_headers() -> None:
    message = build_mime(email_for(4, unsubscribe_url=None), FROM, REPLY_TO)
    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None


def test_a_resend_is_recognisably_the_same_message() -> None:
    first = build_mime(email_for(5), FROM, None)
    again = build_mime(email_for(5), FROM, None)
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"] == "<delivery-5.message-7@outreach.example.org>"


async def test_internationalised_addresses_reach_a_server_that_takes_them(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()  # offers SMTPUTF8, as aiosmtpd does
    mail = email_for(35, to=("δοκιμή@example.org", "info@exämple.org"))
    result = await send_one(sender_for(sink), mail)
    assert result.outcome is Outcome.SENT
    # A non-ASCII domain goes in its ASCII (IDNA) form; a non-ASCII mailbox needs SMTPUTF8.
    assert sink.messages[0].rcpt_tos == ("δοκιμή@example.org", "info@xn--exmple-cua.org")
    assert sink.messages[0].parsed()["To"] == "δοκιμή@example.org, info@xn--exmple-cua.org"


async def test_an_address_that_is_not_one_fails_permanently_without_sending(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    result = await send_one(sender_for(sink), email_for(36, to=("focal point <x@y>",)))
    assert result == SendResult.permanent("the message could not be built: invalid e-mail address")
    assert sink.connections == 0


# --- logging in --------------------------------------------------------------------------


async def test_login_with_user_and_password(make_sink: Callable[..., SmtpSink]) -> None:
    sink = make_sink(user=USER, password=PASSWORD)
    result = await send_one(sender_for(sink), email_for(6))
    assert result.outcome is Outcome.SENT
    assert sink.messages[0].authenticated


async def test_a_wrong_password_fails_permanently_once_for_the_whole_batch(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink(user=USER, password=PASSWORD)
    sender = sender_for(sink, sink.url(password="not-the-password"))
    async with sender:
        results = [await sender.send(email_for(i)) for i in (7, 8, 9)]
    assert [r.outcome for r in results] == [Outcome.PERMANENT] * 3
    assert all(r.reason.startswith("SMTP authentication failed") for r in results)
    assert "535" in results[0].reason
    assert sink.connections == 1  # no hammering that could lock the account
    assert sink.messages == []


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["MAIL", "DATA"])
async def test_a_temporary_refusal_is_transient_and_the_next_attempt_goes_through(
    make_sink: Callable[..., SmtpSink], stage: Any
) -> None:
    sink = make_sink()
    sink.fail_next(1, "451 4.3.0 Try again later", at=stage)
    sender = sender_for(sink)
    async with sender:
        first = await sender.send(email_for(10))
        second = await sender.send(email_for(10))
    assert first.outcome is Outcome.TRANSIENT
    assert first.reason.startswith("451 4.3.0 Try again later")
    assert second.outcome is Outcome.SENT
    assert len(sink.messages) == 1


async def test_a_permanent_refusal_is_permanent_with_the_server_code(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    sink.fail_next(1, "554 5.6.0 Message content rejected")
    result = await send_one(sender_for(sink), email_for(11))
    assert result == SendResult.permanent("554 5.6.0 Message content rejected")
    assert sink.messages == []


async def test_one_bad_recipient_in_a_batch_fails_alone_over_one_connection(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    sink.refuse_recipient("gone@example.org", "550 5.1.1 <gone@example.org>: mailbox unavailable")
    addresses = ["a@example.org", "b@example.org", "gone@example.org", "d@example.org",
                 "e@example.org"]
    sender = sender_for(sink)
    async with sender:
        results = [await sender.send(email_for(20 + i, to=(address,)))
                   for i, address in enumerate(addresses)]

    assert [r.outcome for r in results] == [Outcome.SENT, Outcome.SENT, Outcome.PERMANENT,
                                            Outcome.SENT, Outcome.SENT]
    assert results[2].reason == "550 5.1.1 <address>: mailbox unavailable"  # no address kept
    assert [m.rcpt_tos for m in sink.messages] == [("a@example.org",), ("b@example.org",),
                                                  ("d@example.org",), ("e@example.org",)]
    assert sink.connections == 1


async def test_a_point_of_contact_with_one_dead_address_still_gets_the_message(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    sink.refuse_recipient("old@example.org")
    result = await send_one(sender_for(sink), email_for(30, to=("old@example.org",
                                                                 "new@example.org")))
    assert result.outcome is Outcome.SENT
    assert sink.messages[0].rcpt_tos == ("new@example.org",)


# --- TLS ---------------------------------------------------------------------------------


async def test_starttls_upgrades_before_the_password_is_sent(
    make_sink: Callable[..., SmtpSink],
) -> None:
    # The sink offers AUTH only once encrypted, as real relays do.
    sink = make_sink(user=USER, password=PASSWORD, tls="starttls")
    result = await send_one(sender_for(sink), email_for(31))
    assert result.outcome is Outcome.SENT
    assert sink.messages[0].tls and sink.messages[0].authenticated


async def test_smtps_is_encrypted_from_the_start(make_sink: Callable[..., SmtpSink]) -> None:
    sink = make_sink(user=USER, password=PASSWORD, tls="implicit")
    assert sink.url().startswith("smtps://")
    result = await send_one(sender_for(sink), email_for(32))
    assert result.outcome is Outcome.SENT
    assert sink.messages[0].tls


async def test_an_untrusted_certificate_is_a_permanent_config_error(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink(user=USER, password=PASSWORD, tls="starttls")
    sender = SmtpSender(SmtpConfig.from_url(sink.url()), FROM, None)  # system trust only
    result = await send_one(sender, email_for(33))
    assert result == SendResult.permanent("the SMTP server's TLS certificate could not be verified")
    assert sink.messages == []


async def test_starttls_required_against_a_server_without_it_fails_clearly(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    result = await send_one(sender_for(sink, sink.url(query="starttls=required")), email_for(34))
    assert result.outcome is Outcome.PERMANENT
    assert "does not offer STARTTLS" in result.reason
    assert sink.messages == []


# --- pace, outages and dropped connections -----------------------------------------------


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def test_thirty_one_messages_at_thirty_a_minute_take_a_minute(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    time = FakeTime()
    sender = sender_for(sink, pacer=Pacer(per_second=30 / 60, clock=time.clock,
                                          sleep=time.sleep))
    async with sender:
        results = [await sender.send(email_for(100 + i)) for i in range(31)]
    assert all(r.outcome is Outcome.SENT for r in results)
    assert time.now == pytest.approx(60.0)
    assert len(sink.messages) == 31


async def test_a_server_that_is_down_is_transient_and_the_batch_recovers_when_it_is_back(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    sender = sender_for(sink)
    async with sender:
        sink.stop()
        down = await sender.send(email_for(40))
        sink.restart()
        back = await sender.send(email_for(41))
    assert down.outcome is Outcome.TRANSIENT
    assert down.reason.startswith("SMTP server unreachable")
    assert back.outcome is Outcome.SENT
    assert len(sink.messages) == 1


async def test_nothing_listening_is_transient() -> None:
    sender = SmtpSender(SmtpConfig.from_url(f"smtp://127.0.0.1:{free_port()}"), FROM, None)
    result = await send_one(sender, email_for(42))
    assert result == SendResult.transient("SMTP server unreachable: connection refused")


async def test_a_connection_closed_between_messages_is_reopened_without_a_duplicate(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    sender = sender_for(sink)
    async with sender:
        first = await sender.send(email_for(50))
        sink.drop_connections()  # the relay's idle timeout
        second = await sender.send(email_for(51))
    assert (first.outcome, second.outcome) == (Outcome.SENT, Outcome.SENT)
    assert [m.parsed()["Message-ID"] for m in sink.messages] == [
        "<delivery-50.message-7@outreach.example.org>",
        "<delivery-51.message-7@outreach.example.org>",
    ]
    assert sink.connections == 2


async def test_a_connection_lost_after_the_data_is_uncertain_and_never_resent(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    sink.drop_after_data()
    sender = sender_for(sink)
    async with sender:
        with pytest.raises(UncertainDelivery, match="may or may not have been accepted"):
            await sender.send(email_for(60))
        after = await sender.send(email_for(61))  # the batch goes on
    assert [m.parsed()["Message-ID"] for m in sink.messages] == [
        "<delivery-60.message-7@outreach.example.org>",  # the server did get it, once
        "<delivery-61.message-7@outreach.example.org>",
    ]
    assert after.outcome is Outcome.SENT


async def test_no_reply_in_time_after_the_data_is_uncertain(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    sink.delay = 600  # answered long after the sender gives up, however busy the machine
    with pytest.raises(UncertainDelivery, match="no reply in time"):
        await send_one(sender_for(sink, timeout=0.3), email_for(62))
    assert len(sink.messages) == 1


# --- the password ------------------------------------------------------------------------


async def test_the_password_never_appears_in_errors_results_or_logs(
    make_sink: Callable[..., SmtpSink], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sink = make_sink(user=USER, password=PASSWORD)
    seen: list[str] = []
    async with sender_for(sink) as sender:
        seen.append((await sender.send(email_for(80))).reason)
        sink.fail_next(1, "451 4.3.0 Try again later")
        seen.append((await sender.send(email_for(81))).reason)
        sink.drop_after_data()
        with pytest.raises(UncertainDelivery) as uncertain:
            await sender.send(email_for(82))
        seen.append(str(uncertain.value))
    wrong = sender_for(sink, sink.url(password=PASSWORD + "x"))
    seen.append((await send_one(wrong, email_for(83))).reason)
    sink.stop()
    seen.append((await send_one(sender_for(sink), email_for(84))).reason)
    with pytest.raises(ValueError) as malformed:
        SmtpConfig.from_url(f"smtp://{USER}:{PASSWORD}@mail.example.org:25")
    seen.append(str(malformed.value))

    # Every log record of this side; the sink's own (aiosmtpd's "mail.log") is the far end.
    seen.extend(r.getMessage() for r in caplog.records if not r.name.startswith("mail."))
    assert any("SMTP authentication failed" in text for text in seen)
    for text in seen:
        assert PASSWORD not in text
        assert "Tr0ub4dor" not in text
        assert USER not in text
        assert "focal.point@example.org" not in text
