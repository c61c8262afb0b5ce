"""`outreach chair ...` as staff use it: draft from files, audience, schedule, preview,
four-eyes approval, cancel, list, status, archive."""

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner, Result

from bot.cli import app
from storage import chair, outbox
from storage.chair import ChairState
from storage.chair_release import release, settle
from tests.support.chair import add_poc

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM = "{http://www.w3.org/2005/Atom}"
Actor = Callable[..., Result]


@pytest.fixture
def as_actor(database_url: str, tmp_path: Path) -> Callable[[str], Actor]:
    """`outreach ...` run by the staff member `actor` (OUTREACH_ACTOR)."""

    def person(actor: str, **extra: str) -> Actor:
        env = {"OUTREACH_DATABASE_URL": database_url,
               "OUTREACH_DATA_DIR": str(tmp_path / "data"), "OUTREACH_ACTOR": actor, **extra}

        def invoke(*args: str) -> Result:
            return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)

        return invoke

    return person


@pytest.fixture
def amina(as_actor: Callable[[str], Actor]) -> Actor:
    return as_actor("cli:amina")


@pytest.fixture
def pierre(as_actor: Callable[[str], Actor]) -> Actor:
    return as_actor("cli:pierre")


def markdown_file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def drafted(amina: Actor, tmp_path: Path, expected_id: int = 1) -> None:
    result = amina("chair", "draft", markdown_file(tmp_path, "en.md", "Dear **colleagues**,"),
                   "--lang", "en", "--subject", "Message of the Chair")
    assert result.exit_code == 0, result.output
    assert f"Draft {expected_id} created" in result.output


def test_a_draft_gets_the_default_send_time_and_each_language_its_file(
        amina: Actor, session: Session, tmp_path: Path) -> None:
    drafted(amina, tmp_path)
    result = amina("chair", "draft", markdown_file(tmp_path, "fr.md", "Chers collègues,"),
                   "--lang", "fr", "--id", "1")
    assert result.exit_code == 0, result.output
    assert "fr version saved" in result.output
    assert "no fr subject line yet" in result.output
    message = chair.get(session=session, message_id=1)
    assert message.send_at is not None and message.send_at > datetime.now(UTC)
    assert message.send_at.astimezone(UTC).hour in (14, 15)  # 10:00 in New York
    texts = chair.bodies(session=session, message_id=1)
    assert (texts["en"].subject, texts["en"].markdown) == ("Message of the Chair",
                                                           "Dear **colleagues**,")
    assert texts["fr"].markdown == "Chers collègues,"


def test_a_missing_or_non_utf8_file_is_refused_and_nothing_is_created(
        amina: Actor, session: Session, tmp_path: Path) -> None:
    missing = amina("chair", "draft", str(tmp_path / "nope.md"), "--lang", "en")
    assert missing.exit_code == 1 and "File not found" in missing.output
    latin = tmp_path / "latin1.md"
    latin.write_bytes("Chers collègues".encode("latin-1"))
    refused = amina("chair", "draft", str(latin), "--lang", "fr")
    assert refused.exit_code == 1 and "not UTF-8" in refused.output
    wrong = amina("chair", "draft", markdown_file(tmp_path, "de.md", "Hallo"), "--lang", "de")
    assert wrong.exit_code == 1 and "not a UN language" in wrong.output
    assert chair.listing(session=session) == []


def test_four_eyes_on_the_command_line(amina: Actor, pierre: Actor, session: Session,
                                       tmp_path: Path) -> None:
    add_poc(session, "FRA", "Claire Invented", email="claire@example.org")
    drafted(amina, tmp_path)
    own = amina("chair", "approve", "1")
    assert own.exit_code == 1 and "another staff member must approve" in own.output
    stale = pierre("chair", "approve", "1", "--revision", "1")
    assert stale.exit_code == 1 and "preview it again" in stale.output
    approved = pierre("chair", "approve", "1", "--revision", "2")
    assert approved.exit_code == 0, approved.output
    assert "approved" in approved.output and "New York" in approved.output
    session.expire_all()
    assert chair.get(session=session, message_id=1).approved_by == "cli:pierre"
    edited = amina("chair", "schedule", "1", "--now")
    assert edited.exit_code == 0 and "draft again" in edited.output
    session.expire_all()
    assert chair.get(session=session, message_id=1).state == ChairState.DRAFT


def test_schedule_takes_exactly_one_choice_and_a_zone(amina: Actor, session: Session,
                                                      tmp_path: Path) -> None:
    drafted(amina, tmp_path)
    assert amina("chair", "schedule", "1").exit_code == 1
    assert amina("chair", "schedule", "1", "--now", "--default").exit_code == 1
    later = datetime.now(UTC).year + 2  # 4 January then is ahead, whenever the suite runs
    naive = amina("chair", "schedule", "1", "--at", f"{later}-01-04T10:00")
    assert naive.exit_code == 1 and "with a zone" in naive.output
    past = amina("chair", "schedule", "1", "--at", "2020-01-04T10:00Z")
    assert past.exit_code == 1 and "in the past" in past.output
    done = amina("chair", "schedule", "1", "--at", f"{later}-01-04T10:00-05:00")
    assert done.exit_code == 0 and (
        f"{later}-01-04 15:00 UTC ({later}-01-04 10:00 in New York)" in done.output)
    assert amina("chair", "schedule", "1", "--now").output.strip().endswith(
        "right after approval.")
    session.expire_all()
    assert chair.get(session=session, message_id=1).send_at is None


def test_audience_options_are_checked_and_counted(amina: Actor, session: Session,
                                                  tmp_path: Path) -> None:
    add_poc(session, "SEN", "Awa Invented", email="awa@example.org", language="fr")
    add_poc(session, "FRA", "Claire Invented", email="claire@example.org", language="fr")
    add_poc(session, "IAEA", "Org Invented", language="en")
    drafted(amina, tmp_path)
    unknown = amina("chair", "audience", "1", "--group", "NATO")
    assert unknown.exit_code == 1 and 'Unknown group "NATO"' in unknown.output
    assert "WEOG" in unknown.output
    result = amina("chair", "audience", "1", "--kind", "state", "--group", "afr",
                   "--group", "WEOG", "--language", "FR")
    assert result.exit_code == 0, result.output
    assert "2 PoCs reachable" in result.output
    everyone = amina("chair", "audience", "1")
    assert "every active PoC: 2 PoCs reachable, 1 without any channel" in everyone.output


def test_preview_writes_every_format_and_the_table(amina: Actor, session: Session,
                                                   tmp_path: Path) -> None:
    add_poc(session, "EGY", "Nour Invented", email="nour@example.org", chat_id=51,
            language="ar")
    add_poc(session, "RUS", "Ivan Invented", email="ivan@example.org", language="ru")
    drafted(amina, tmp_path)
    amina("chair", "draft", markdown_file(tmp_path, "ar.md", "**الزملاء** الأعزاء"),
          "--lang", "ar", "--id", "1", "--subject", "رسالة الرئيس")
    out = tmp_path / "preview"
    result = amina("chair", "preview", "1", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "ar.eml", "ar.html", "ar.telegram.html", "ar.txt",
        "en.eml", "en.html", "en.telegram.html", "en.txt"]
    mail = message_from_bytes((out / "ar.eml").read_bytes(), policy=email_policy.default)
    assert mail["Subject"] == "رسالة الرئيس" and mail["Content-Language"] == "ar"
    assert 'dir="rtl"' in (out / "ar.html").read_text(encoding="utf-8")
    assert (out / "ar.telegram.html").read_text(encoding="utf-8").startswith(
        "<b>رسالة الرئيس</b>")
    assert "Dear colleagues," in (out / "en.txt").read_text(encoding="utf-8")
    lines = result.output.splitlines()
    assert any(line.split() == ["ar", "1", "1", "1", "0"] for line in lines)
    assert any(line.split() == ["en", "1", "0", "1", "1"] for line in lines)
    assert "(RUS, ru)" in result.output and "Ivan" not in result.output


def test_cancel_list_and_status(amina: Actor, pierre: Actor, session: Session,
                                tmp_path: Path) -> None:
    add_poc(session, "FRA", "Claire Invented", email="claire@example.org")
    add_poc(session, "CHN", "Li Invented", language="zh")
    drafted(amina, tmp_path)
    drafted(amina, tmp_path, expected_id=2)
    assert pierre("chair", "approve", "2").exit_code == 0
    listed = amina("chair", "list", "--format", "csv")
    assert listed.output.splitlines()[0].startswith("id,state,revision,subject")
    assert listed.output.splitlines()[1].startswith("2,approved,2,Message of the Chair,en,")
    assert amina("chair", "cancel", "1").output.strip() == "Message 1 cancelled."
    waiting = amina("chair", "status", "2")
    assert "State: approved" in waiting.output and "not been released" in waiting.output
    release(session=session, message_id=2, actor="test", now=datetime.now(UTC) + timedelta(
        days=200))
    session.commit()
    report = amina("chair", "status", "2")
    assert report.exit_code == 0
    assert any(line.split()[:4] == ["email", "en", "0", "1"] for line in report.output.splitlines())
    assert "PoC 2 (CHN)" in report.output and "Li Invented" not in report.output
    assert "Message 2 has no failed delivery" in amina("chair", "retry", "2").output
    refused = amina("chair", "retry", "1")
    assert refused.exit_code == 1 and "cancelled" in refused.output


def test_the_archive_publishes_sent_messages_in_every_language_with_a_valid_feed(
        as_actor: Callable[..., Actor], amina: Actor, pierre: Actor, session: Session,
        tmp_path: Path) -> None:
    add_poc(session, "FRA", "Claire Invented", email="claire@example.org")
    drafted(amina, tmp_path)
    amina("chair", "draft", markdown_file(tmp_path, "fr.md", 'Chers <b>collègues</b> & "amis"'),
          "--lang", "fr", "--id", "1", "--subject", "Message du Président")
    drafted(amina, tmp_path, expected_id=2)  # stays a draft: never published
    assert pierre("chair", "approve", "1").exit_code == 0
    release(session=session, message_id=1, actor="test", now=datetime.now(UTC) + timedelta(
        days=200))
    session.commit()
    for delivery_id in outbox.claim(session=session, owner="d", now=datetime.now(UTC) +
                                    timedelta(days=200), limit=10,
                                    lease=timedelta(minutes=5)):
        outbox.mark_sending(session=session, delivery_id=delivery_id, owner="d",
                            now=datetime.now(UTC), lease=timedelta(minutes=5))
        outbox.record_sent(session=session, delivery_id=delivery_id, owner="d",
                           now=datetime.now(UTC), external_id=None)
    assert settle(session=session, actor="test", now=datetime.now(UTC)) == [1]

    publisher = as_actor("cli:amina", OUTREACH_PUBLIC_URL="https://outreach.example.org",
                         OUTREACH_SECRET_KEY="archive-test-secret")
    out = tmp_path / "site"
    result = publisher("chair", "archive", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "1 message," in result.output
    others = ("ar", "es", "fr", "ru", "zh")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["atom.xml", "index.html", "message-1.html", "message-1.fr.html",
         *[f"atom.{lang}.xml" for lang in others], *[f"index.{lang}.html" for lang in others]])
    # A page per language the message was sent in, in that language: its words too.
    page = (out / "message-1.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in page and "Sent on " in page
    assert "Dear <strong>colleagues</strong>" in page and "Chers" not in page
    french_page = (out / "message-1.fr.html").read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in french_page
    assert "<title>Message du Président : message de la présidence du Comité 1540</title>" \
        in french_page
    assert "Envoyé le " in french_page and "Disponible en : " in french_page
    assert '<a href="https://outreach.example.org/chair/index.fr.html">' in french_page
    assert "Chers &lt;b&gt;collègues&lt;/b&gt; &amp; &quot;amis&quot;" in french_page
    assert "Sent on" not in french_page and 'lang="en" dir="ltr"' not in french_page
    assert 'href="https://outreach.example.org/chair/message-1.fr.html"' in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="https://outreach.example.org/chair/message-1.html"' in index
    assert 'href="https://outreach.example.org/chair/message-1.fr.html"' in index

    feed = ET.parse(out / "atom.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "https://outreach.example.org/chair/atom.xml"
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Message of the Chair"
    link = entry.find(f"{ATOM}link")
    assert link is not None
    assert link.get("href") == "https://outreach.example.org/chair/message-1.html"
    assert entry.get(XML_LANG) == "en" and feed.get(XML_LANG) == "en"
    datetime.fromisoformat(entry.findtext(f"{ATOM}updated") or "")
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert content.text == "<p>Dear <strong>colleagues</strong>,</p>"

    # Each UN language has its own feed and index: their words in it, each message in it
    # where it was sent in it, else in English and marked so.
    french = ET.parse(out / "atom.fr.xml").getroot()
    [entry] = french.findall(f"{ATOM}entry")
    assert french.get(XML_LANG) == "fr" and entry.get(XML_LANG) == "fr"
    assert french.findtext(f"{ATOM}title") == "Messages de la présidence du Comité 1540"
    assert entry.findtext(f"{ATOM}title") == "Message du Président"
    french_link = entry.find(f"{ATOM}link")
    assert french_link is not None
    assert french_link.get("href") == "https://outreach.example.org/chair/message-1.fr.html"
    russian = ET.parse(out / "atom.ru.xml").getroot()
    [entry] = russian.findall(f"{ATOM}entry")
    assert russian.get(XML_LANG) == "ru" and entry.get(XML_LANG) == "en"
    assert russian.findtext(f"{ATOM}title") == "Послания Председателя Комитета 1540"
    arabic = (out / "index.ar.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic and "رسائل رئيس لجنة 1540" in arabic
    assert 'lang="en" dir="ltr">Message of the Chair</a>' in arabic


def test_an_archive_without_public_url_links_relatively(amina: Actor, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = amina("chair", "archive", "--out", str(out))
    assert result.exit_code == 0 and "0 messages" in result.output
    feed = ET.parse(out / "atom.xml").getroot()
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}id") == "urn:outreach-1540:chair-messages"
    assert "No message has been sent yet" in (out / "index.html").read_text(encoding="utf-8")
