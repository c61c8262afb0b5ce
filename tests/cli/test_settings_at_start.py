"""The configuration is checked when any command starts, before anything is queued or
written: a malformed OUTREACH_SMTP_URL or OUTREACH_PUBLIC_URL, an OUTREACH_ACTOR wider than
the audit log keeps. The refusal is one line naming the variable, never its value (a URL
may carry a password)."""

from pathlib import Path

import pytest
from sqlmodel import Session, select

from storage.audit import ACTOR_LENGTH, AuditEntry
from tests.support.cli import outreach_with

PASSWORD = "pw-never-shown"


def base(database_url: str, tmp_path: Path) -> dict[str, str | None]:
    return {"OUTREACH_DATABASE_URL": database_url, "OUTREACH_DATA_DIR": str(tmp_path / "data"),
            "OUTREACH_ACTOR": "cli:test-staff"}


@pytest.mark.parametrize("smtp_url", [
    f"smtp://desk:{PASSWORD}@mail.example.org:notaport",  # the port is not a number
    f"http://desk:{PASSWORD}@mail.example.org",  # not an SMTP URL
    f"smtp://desk:{PASSWORD}@[::1:25",  # an IPv6 address never closed
    f"smtp://desk:{PASSWORD}@mail.example.org:587?starttls=never",  # password in clear
])
def test_a_malformed_smtp_url_is_refused_at_start_without_showing_it(
    database_url: str, tmp_path: Path, smtp_url: str
) -> None:
    result = outreach_with(base(database_url, tmp_path) | {"OUTREACH_SMTP_URL": smtp_url},
                           "status")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Invalid configuration: OUTREACH_SMTP_URL")
    assert PASSWORD not in result.output + result.stderr
    assert "mail.example.org" not in line


@pytest.mark.parametrize("public_url", [
    "not a url", "links.example.org", "ftp://links.example.org", "https:///bot",
    "https://links.example.org:port",
])
def test_a_public_url_that_is_no_http_url_is_refused_at_start(
    database_url: str, tmp_path: Path, public_url: str
) -> None:
    env = base(database_url, tmp_path) | {"OUTREACH_PUBLIC_URL": public_url,
                                          "OUTREACH_SECRET_KEY": "k" * 32}
    result = outreach_with(env, "status")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Invalid configuration: OUTREACH_PUBLIC_URL must be an http")
    assert public_url not in line.removeprefix("Invalid configuration: ")


def test_well_formed_urls_are_accepted(database_url: str, tmp_path: Path) -> None:
    env = base(database_url, tmp_path) | {
        "OUTREACH_SMTP_URL": "smtp://desk:secret@mail.example.org:587",
        "OUTREACH_PUBLIC_URL": "https://outreach.example.org/bot",
        "OUTREACH_SECRET_KEY": "k" * 32,
    }
    result = outreach_with(env, "status")
    assert result.exit_code == 0, result.stderr


def test_an_actor_longer_than_the_audit_log_keeps_is_refused_at_start(
    database_url: str, tmp_path: Path
) -> None:
    actor = "secretariat-" + "x" * ACTOR_LENGTH
    result = outreach_with(base(database_url, tmp_path) | {"OUTREACH_ACTOR": actor},
                           "pocs", "add", "--party", "FRA", "--name", "Claire Martin-Test",
                           "--email", "claire@example.org")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Invalid configuration: OUTREACH_ACTOR")
    assert actor not in line


def add_poc_as(env: dict[str, str | None]) -> None:
    result = outreach_with(env, "pocs", "add", "--party", "FRA", "--name",
                           "Claire Martin-Test", "--email", "claire@example.org")
    assert result.exit_code == 0, result.stderr


def test_an_actor_as_wide_as_the_audit_column_is_recorded_whole(
    database_url: str, tmp_path: Path, session: Session
) -> None:
    actor = "a" * ACTOR_LENGTH
    add_poc_as(base(database_url, tmp_path) | {"OUTREACH_ACTOR": actor})
    assert [entry.actor for entry in session.exec(select(AuditEntry))] == [actor]


def test_a_login_name_too_long_for_the_audit_log_is_cut_to_fit(
    database_url: str, tmp_path: Path, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    login = "l" * 200
    monkeypatch.setattr("getpass.getuser", lambda: login)
    add_poc_as(base(database_url, tmp_path) | {"OUTREACH_ACTOR": None})
    [entry] = session.exec(select(AuditEntry))
    assert entry.actor == f"cli:{login}"[:ACTOR_LENGTH]
