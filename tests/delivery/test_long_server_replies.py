"""An SMTP server's long refusal reaches staff cut visibly, never silently (`outreach
deliveries`, `outreach chair status`)."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner, Result

from bot.cli import app
from tests.support.outbox import add_poc
from tests.support.smtp_sink import SmtpSink

# A relay that explains itself at length on one line (some quote their whole policy).
LONG_REFUSAL = "550 5.7.1 Message refused by policy: " + "see the relay's policy page; " * 40


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as running:
        yield running


def test_a_long_smtp_refusal_is_kept_with_a_mark_saying_what_is_missing(
    database_url: str, tmp_path: Path, sink: SmtpSink, session: Session
) -> None:
    add_poc(session, "DEU", "Anna Schmidt-Test", "anna@example.org")
    env = {"OUTREACH_DATABASE_URL": database_url, "OUTREACH_DATA_DIR": str(tmp_path / "data"),
           "OUTREACH_SMTP_URL": sink.url(), "OUTREACH_MAIL_FROM": "outreach@example.org"}

    def outreach(*args: str) -> Result:
        return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)

    sink.refuse_recipient("anna@example.org", LONG_REFUSAL)
    assert "failed 1" in outreach("send", "--to", "DEU", "--template", "contact_check").output

    [failed] = json.loads(outreach("deliveries", "--state", "failed", "--format", "json").stdout)
    error = failed["last_error"]
    assert error.startswith("550 5.7.1 Message refused by policy: see the relay's policy page;")
    assert error.endswith(" more characters]")
    assert len(error) <= 300
