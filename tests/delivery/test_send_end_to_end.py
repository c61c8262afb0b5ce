"""`outreach send`: from the command line to a real SMTP server and the Bot API, once each."""

import json
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app
from tests.support.catalogue import catalogue_lacking
from tests.support.fake_bot_api import FakeBotApi
from tests.support.smtp_sink import SmtpSink

POCS = (
    "party,full_name,email,telegram,language\n"
    "FRA,Claire Martin-Test,claire@example.org;desk.fra@example.org,4242,fr\n"
    "EGY,Omar Hassan-Test,omar@example.org,,ar\n"
    "DEU,Anna Schmidt-Test,anna@example.org,,en\n"
    "KEN,Wanjiru Otieno-Test,wanjiru@example.org,,sw\n"
)


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink(user="relay", password="relay-secret-Xy9") as running:
        yield running


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as running:
        yield running


@pytest.fixture
def staff(database_url: str, tmp_path: Path, sink: SmtpSink,
          bot_api: FakeBotApi) -> Callable[..., Result]:
    env = {
        "OUTREACH_DATABASE_URL": database_url,
        "OUTREACH_DATA_DIR": str(tmp_path / "data"),
        "OUTREACH_ACTOR": "cli:test-staff",
        "OUTREACH_SMTP_URL": sink.url(),
        "OUTREACH_MAIL_FROM": "1540 Committee <outreach@example.org>",
        "OUTREACH_REPLY_TO": "secretariat@example.org",
        "OUTREACH_PUBLIC_URL": "https://outreach.example.org",
        "OUTREACH_SECRET_KEY": "test-secret-not-for-production",
        "OUTREACH_TELEGRAM_TOKEN": FakeBotApi.TOKEN,
        "OUTREACH_TELEGRAM_API_URL": bot_api.base_url,
    }
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return invoke


def load_pocs(staff: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "pocs.csv"
    path.write_text(POCS.replace(",sw\n", ",en\n"), encoding="utf-8")
    assert staff("import", "pocs", str(path)).exit_code == 0


def by_recipient(sink: SmtpSink) -> dict[str, EmailMessage]:
    return {message.rcpt_tos[0]: message.parsed() for message in sink.messages}


def test_every_poc_gets_one_message_per_channel_in_their_language(
    staff: Callable[..., Result], sink: SmtpSink, bot_api: FakeBotApi, tmp_path: Path
) -> None:
    load_pocs(staff, tmp_path)
    result = staff("send", "--to", "FRA", "--to", "EGY", "--to", "DEU",
                   "--template", "contact_check")
    assert result.exit_code == 0, result.output
    assert "3 by e-mail, 1 by Telegram" in result.output
    assert "Sent 4, to retry 0, failed 0, uncertain 0." in result.output

    mails = by_recipient(sink)
    assert sorted(mails) == ["anna@example.org", "claire@example.org", "omar@example.org"]
    assert all(m.authenticated for m in sink.messages)
    french = mails["claire@example.org"]
    assert french["Subject"] == "Comité 1540 : merci de confirmer vos coordonnées"
    assert french["To"] == "claire@example.org, desk.fra@example.org"
    assert french["Reply-To"] == "secretariat@example.org"
    assert french["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert french["List-Unsubscribe"].startswith("<https://outreach.example.org/unsubscribe/1/")
    arabic = mails["omar@example.org"]
    html = arabic.get_body(("html",))
    text = arabic.get_body(("plain",))
    assert html is not None and text is not None
    assert 'dir="rtl"' in html.get_content()
    assert "Omar Hassan-Test" in text.get_content()
    [chat] = bot_api.messages
    assert chat.chat_id == 4242 and chat.parse_mode == "HTML"
    assert "Comité 1540" in chat.text

    again = staff("dispatch")
    assert "Sent 0" in again.output
    assert len(sink.messages) == 3 and len(bot_api.messages) == 1


def test_a_poc_without_their_language_gets_english_and_staff_are_told(
    staff: Callable[..., Result], sink: SmtpSink, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_pocs(staff, tmp_path)
    staff("pocs", "edit", "4", "--language", "ru")
    catalogue_lacking(monkeypatch, tmp_path, "ru", "messages",
                      "1540 Committee: please confirm your contact details")
    listed = json.loads(staff("templates", "--format", "json").output)
    assert {"template": "contact_check", "languages": ["ar", "zh", "en", "fr", "es"],
            "missing": ["ru"]} in listed
    result = staff("send", "--to", "KEN", "--template", "contact_check")
    assert "no version in ru; those PoCs will get the English text" in result.output
    assert "Sent 1" in result.output
    [mail] = sink.messages
    assert mail.parsed()["Subject"] == "1540 Committee: please confirm your contact details"
    assert mail.parsed()["Content-Language"] == "en"


def test_a_refused_address_fails_visibly_and_the_rest_go_out(
    staff: Callable[..., Result], sink: SmtpSink, tmp_path: Path
) -> None:
    load_pocs(staff, tmp_path)
    sink.refuse_recipient("anna@example.org", "550 5.1.1 Mailbox unavailable")
    result = staff("send", "--to", "DEU", "--to", "EGY", "--template", "contact_check")
    assert "Sent 1, to retry 0, failed 1" in result.output
    failed = json.loads(staff("deliveries", "--state", "failed", "--format", "json").output)
    assert [row["party"] for row in failed] == ["DEU"]
    assert "550" in failed[0]["last_error"]
    assert "anna@example.org" not in failed[0]["last_error"]


def test_staff_resend_a_failed_delivery_once_the_cause_is_fixed(
    staff: Callable[..., Result], sink: SmtpSink, tmp_path: Path
) -> None:
    load_pocs(staff, tmp_path)
    sink.refuse_recipient("anna@example.org", "550 5.1.1 Mailbox unavailable")
    staff("send", "--to", "DEU", "--template", "contact_check")
    sink.refused_recipients.clear()
    [failed] = json.loads(staff("deliveries", "--state", "failed", "--format", "json").output)
    assert "Queued again" in staff("deliveries", "resend", str(failed["id"])).output
    assert "Sent 1" in staff("dispatch").output
    refused = staff("deliveries", "resend", str(failed["id"]))
    assert refused.exit_code == 1 and "Not resent" in refused.stderr


def test_a_blocked_bot_marks_the_pocs_telegram_unreachable(
    staff: Callable[..., Result], bot_api: FakeBotApi, tmp_path: Path
) -> None:
    load_pocs(staff, tmp_path)
    bot_api.block_chat(4242)
    result = staff("send", "--to", "FRA", "--template", "contact_check")
    assert "Sent 1, to retry 0, failed 1" in result.output
    again = staff("send", "--to", "FRA", "--template", "contact_check")
    assert "1 by e-mail, 0 by Telegram" in again.output


def test_unknown_templates_and_targets_are_refused(staff: Callable[..., Result],
                                                   tmp_path: Path) -> None:
    load_pocs(staff, tmp_path)
    unknown = staff("send", "--to", "FRA", "--template", "nope")
    assert unknown.exit_code == 1 and "contact_check" in unknown.stderr
    nobody = staff("send", "--to", "99", "--template", "contact_check")
    assert nobody.exit_code == 1 and "No Point of Contact with id 99" in nobody.stderr


def test_templates_lists_the_languages_each_template_has(staff: Callable[..., Result]) -> None:
    rows = json.loads(staff("templates", "--format", "json").output)
    assert {"template": "contact_check", "languages": ["ar", "zh", "en", "fr", "ru", "es"],
            "missing": []} in rows
