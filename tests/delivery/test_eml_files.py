"""Without SMTP (the embedded default), each e-mail is one .eml file in the data folder,
written once and whole, read back as the message a PoC would have received."""

from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

from bot.channels.contract import Outcome, OutgoingEmail, SendResult
from bot.channels.email.eml import EmlFileSender
from tests.support.mail import ARABIC_SUBJECT, FROM, REPLY_TO, email_for


async def test_without_smtp_each_delivery_becomes_one_eml_file_written_once(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "outbox-mail"
    sender = EmlFileSender(folder, mail_from=FROM, reply_to=REPLY_TO)
    async with sender:
        first = await sender.send(email_for(70))
        before = (folder / "70.eml").read_bytes()
        again = await sender.send(email_for(70))  # a resend of the same delivery
        other = await sender.send(email_for(71))
    assert [first.outcome, again.outcome, other.outcome] == [Outcome.SENT] * 3
    assert sorted(p.name for p in folder.iterdir()) == ["70.eml", "71.eml"]  # no temp files
    assert (folder / "70.eml").read_bytes() == before
    message = message_from_bytes(before, policy=email_policy.default)
    assert message["Subject"] == ARABIC_SUBJECT
    assert message["Message-ID"] == "<delivery-70.message-7@outreach.example.org>"
    assert message["Reply-To"] == REPLY_TO


async def test_a_mail_folder_that_cannot_be_written_is_transient(tmp_path: Path) -> None:
    blocked = tmp_path / "outbox-mail"
    blocked.write_text("a file where the folder should be")
    result = await send_one_file(EmlFileSender(blocked), email_for(72))
    assert result.outcome is Outcome.TRANSIENT
    assert result.reason.startswith("could not write the e-mail file")


async def send_one_file(sender: EmlFileSender, mail: OutgoingEmail) -> SendResult:
    async with sender:
        return await sender.send(mail)
