"""OUTREACH_SMTP_URL: what it says is what the sender does (host, port, TLS, credentials
percent-decoded), nothing sends a password in clear, and a refused URL never repeats it;
without it, mail goes to files."""

from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.channels.email import sender_from_settings
from bot.channels.email.config import SmtpConfig, TlsMode
from bot.channels.email.eml import EmlFileSender
from bot.channels.email.pool import SmtpPool
from bot.channels.email.smtp import SmtpSender
from bot.settings import Settings
from tests.support.mail import FROM, PASSWORD


def test_the_url_gives_host_port_tls_and_percent_decoded_credentials() -> None:
    config = SmtpConfig.from_url("smtp://bot%40example.org:p%40ss%2Fw%23rd@mail.example.org")
    assert (config.host, config.port, config.username, config.password) == (
        "mail.example.org", 587, "bot@example.org", "p@ss/w#rd")
    # Credentials to a real host: the upgrade is mandatory, never a fallback to plaintext.
    assert config.tls is TlsMode.STARTTLS
    assert SmtpConfig.from_url("smtps://u:p@mail.example.org").port == 465
    assert SmtpConfig.from_url("smtps://u:p@mail.example.org").tls is TlsMode.IMPLICIT
    assert SmtpConfig.from_url("smtp://relay.internal:25").tls is TlsMode.OPPORTUNISTIC
    assert SmtpConfig.from_url("smtp://u:p@127.0.0.1:2525").tls is TlsMode.OPPORTUNISTIC
    assert PASSWORD not in repr(SmtpConfig.from_url("smtp://u:p%40ss@127.0.0.1"))
    assert "p@ss" not in repr(SmtpConfig.from_url("smtp://u:p%40ss@127.0.0.1"))


def test_credentials_over_plaintext_to_another_host_are_refused_at_config_time() -> None:
    with pytest.raises(ValueError, match="unencrypted") as refused:
        SmtpConfig.from_url("smtp://bot:hunter2secret@mail.example.org:25?starttls=never")
    assert "hunter2secret" not in str(refused.value)
    plaintext = SmtpConfig(host="mail.example.org", port=25, tls=TlsMode.NONE,
                           username="bot", password="hunter2secret")
    with pytest.raises(ValueError, match="unencrypted"):
        SmtpSender(plaintext, FROM, None)
    # Loopback (a local relay, these specs) may go without TLS.
    assert SmtpConfig.from_url("smtp://bot:pw@127.0.0.1:25?starttls=never").tls is TlsMode.NONE


@pytest.mark.parametrize(
    "url",
    [
        "smtp://bot:hunter2secret@mail.example.org:port",  # not a port
        "smtp://bot:hunter2/secret@mail.example.org",  # unencoded "/"
        "smtp://bot:hunter2#secret@mail.example.org",  # unencoded "#"
        "http://bot:hunter2secret@mail.example.org",
        "smtp://bot:hunter2secret@:587",
        "smtp://:hunter2secret@mail.example.org",
        "smtp://bot:hunter2secret@mail.example.org?tls=hunter2secret",
        "smtps://bot:hunter2secret@mail.example.org?starttls=required",
    ],
)
def test_a_malformed_url_is_refused_without_repeating_the_password(url: str) -> None:
    with pytest.raises(ValueError) as refused:
        SmtpConfig.from_url(url)
    assert "hunter2" not in str(refused.value)
    assert "secret" not in str(refused.value)


def test_without_an_smtp_url_mail_goes_to_files_in_the_data_folder(tmp_path: Path) -> None:
    files = sender_from_settings(Settings(data_dir=tmp_path, smtp_url=None))
    assert isinstance(files, EmlFileSender)
    assert files.folder == tmp_path / "outbox-mail"
    smtp = sender_from_settings(Settings(data_dir=tmp_path, mail_per_minute=30, mail_window=3,
                                         smtp_url=SecretStr("smtps://u:p@mail.example.org")))
    assert isinstance(smtp, SmtpPool)  # OUTREACH_MAIL_WINDOW connections, one rate cap
    assert len(smtp.lanes) == 3
    assert all(isinstance(lane, SmtpSender) for lane in smtp.lanes)
    assert len({id(lane._pacer) for lane in smtp.lanes}) == 1
