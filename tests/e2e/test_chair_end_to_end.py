"""End to end: a Chair's message drafted in English and French, previewed, approved by a
second person and released by `outreach run` reaches every invented PoC exactly once, in the
right language, by the right channels (a local SMTP server and a local Bot API fake)."""

import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from sqlmodel import Session
from typer.testing import CliRunner, Result

from bot.cli import app
from storage import chair, pocs
from storage.chair import ChairState
from tests.support.chair import add_poc
from tests.support.fake_bot_api import FakeBotApi
from tests.support.service import reminders_paused, running_service, wait_for
from tests.support.smtp_sink import SmtpSink

ENGLISH = "Dear colleagues,\n\nThe Committee thanks **every** State.\n\n- reports\n- assistance"
FRENCH = "Chers collègues,\n\nLe Comité remercie **chaque** État."


def test_a_message_reaches_every_poc_once_in_their_language_by_their_channels(
    tmp_path: Path, database_url: str, session: Session
) -> None:
    reminders_paused(session)  # this spec is about the Chair's message
    li = invent_audience(session)

    with SmtpSink() as sink, FakeBotApi() as api:
        env = {
            "OUTREACH_DATABASE_URL": database_url,
            "OUTREACH_DATA_DIR": str(tmp_path / "data"),
            "OUTREACH_SMTP_URL": sink.url(),
            "OUTREACH_MAIL_FROM": "1540 Committee <outreach@example.org>",
            "OUTREACH_TELEGRAM_TOKEN": FakeBotApi.TOKEN,
            "OUTREACH_TELEGRAM_API_URL": api.base_url,
            "OUTREACH_DISPATCH_EVERY_SECONDS": "0.3",
            "OUTREACH_LEADER_RETRY_SECONDS": "0.5",
        }

        drafter = draft_preview_and_approve(env, tmp_path)

        with running_service(tmp_path / "service", database_url, env) as service:
            service.wait_until_answering()
            # e-mail: Claire, Awa, Ivan; Telegram: Claire, Ivan, Nour, the organisation
            wait_for(lambda: len(sink.messages) == 3 and len(api.messages) == 4)

            def settled() -> bool:
                session.expire_all()
                return chair.get(session=session, message_id=1).state == ChairState.SENT

            wait_for(settled)
            time.sleep(1.5)  # several more ticks: nothing more goes out
            assert service.stop() == 0

        mails = each_pocs_mail_once_in_their_language(sink)

        chats = Counter(m.chat_id for m in api.messages)
        assert chats == {7001: 1, 7002: 1, 7003: 1, 7004: 1}
        by_chat = {m.chat_id: m for m in api.messages}
        assert by_chat[7001].text.startswith("<b>Message du Président</b>")
        assert "Le Comité remercie <b>chaque</b> État." in by_chat[7001].text
        for chat in (7002, 7003, 7004):  # Russian and Arabic fall back to English
            assert by_chat[chat].text.startswith("<b>Message of the Chair</b>")
            assert "• reports\n• assistance" in by_chat[chat].text
        assert all(m.parse_mode == "HTML" for m in api.messages)

        # what the drafter previewed is exactly what PoCs received
        previewed = tmp_path / "preview"
        assert (previewed / "fr.telegram.html").read_text(encoding="utf-8").strip() == (
            by_chat[7001].text)
        claire_text = mails[("claire@example.org",)].get_body(("plain",))
        assert claire_text is not None
        assert (previewed / "fr.txt").read_text(encoding="utf-8").strip() == (
            claire_text.get_content().replace("\r\n", "\n").strip())  # SMTP line ends

        status = drafter("chair", "status", "1")
        assert "State: sent" in status.output
        assert f"PoC {li} (CHN)" in status.output  # no channel: listed for staff
        rows = {tuple(line.split()[:3]) for line in status.output.splitlines()}
        assert {("email", "en", "1"), ("email", "fr", "2"), ("telegram", "en", "3"),
                ("telegram", "fr", "1")} <= rows


def invent_audience(session: Session) -> int:
    """Six invented PoCs: e-mail and Telegram, one channel or the other, French, Russian,
    Arabic and Chinese; the organisation's and Li's e-mail opted out (Li: no channel).
    Li's id."""
    add_poc(session, "FRA", "Claire Invented", email="claire@example.org",
            chat_id=7001, language="fr")
    add_poc(session, "SEN", "Awa Invented", email="awa@example.org", language="fr")
    add_poc(session, "RUS", "Ivan Invented", email="ivan@example.org", chat_id=7002,
            language="ru")
    add_poc(session, "EGY", "Nour Invented", chat_id=7003, language="ar")
    org = add_poc(session, "IAEA", "Org Invented", email="org@example.org", chat_id=7004)
    li = add_poc(session, "CHN", "Li Invented", email="li@example.org", language="zh")
    pocs.opt_out_of_email(session=session, poc_id=org, actor="test", now=datetime.now(UTC))
    pocs.opt_out_of_email(session=session, poc_id=li, actor="test", now=datetime.now(UTC))
    session.commit()
    return li


def draft_preview_and_approve(env: dict[str, str], tmp_path: Path) -> Callable[..., Result]:
    """Amina drafts message 1 in English and French from files, sends it now, previews it
    into tmp_path/preview, may not approve it herself; Pierre approves what she previewed.
    Amina's `outreach`."""

    def as_actor(actor: str) -> Callable[..., Result]:
        def invoke(*args: str) -> Result:
            return CliRunner().invoke(app, list(args), env={**env, "OUTREACH_ACTOR": actor},
                                      catch_exceptions=False)
        return invoke

    drafter, approver = as_actor("cli:amina"), as_actor("cli:pierre")
    english, french = tmp_path / "en.md", tmp_path / "fr.md"
    english.write_text(ENGLISH, encoding="utf-8")
    french.write_text(FRENCH, encoding="utf-8")
    assert drafter("chair", "draft", str(english), "--lang", "en",
                   "--subject", "Message of the Chair").exit_code == 0
    assert drafter("chair", "draft", str(french), "--lang", "fr", "--id", "1",
                   "--subject", "Message du Président").exit_code == 0
    assert drafter("chair", "schedule", "1", "--now").exit_code == 0
    preview = drafter("chair", "preview", "1", "--out", str(tmp_path / "preview"))
    assert preview.exit_code == 0, preview.output
    assert drafter("chair", "approve", "1").exit_code == 1  # four eyes
    assert approver("chair", "approve", "1", "--revision", "4").exit_code == 0
    return drafter


def each_pocs_mail_once_in_their_language(sink: SmtpSink) -> dict[tuple[str, ...], EmailMessage]:
    """Claire and Awa got the French version, Ivan the English one (no Russian), each once;
    the mails by recipient."""
    mails = {m.rcpt_tos: m.parsed() for m in sink.messages}
    assert Counter(m.rcpt_tos for m in sink.messages) == {
        ("claire@example.org",): 1, ("awa@example.org",): 1, ("ivan@example.org",): 1}
    for address, subject, language, words in [
        ("claire@example.org", "Message du Président", "fr", "Le Comité remercie chaque"),
        ("awa@example.org", "Message du Président", "fr", "Le Comité remercie chaque"),
        ("ivan@example.org", "Message of the Chair", "en", "thanks every State"),
    ]:
        mail = mails[(address,)]
        assert mail["Subject"] == subject
        assert mail["Content-Language"] == language
        text = mail.get_body(("plain",))
        html = mail.get_body(("html",))
        assert text is not None and html is not None
        assert words in text.get_content()
        assert f'<html lang="{language}" dir="ltr">' in html.get_content()
    return mails
