"""A PoC joins the bot by a single-use deep link, then sees their own State's status,
changes their language or stops Telegram messages. Both backends, the real Application
against the fake Bot API."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage import invitations, outbox, pocs, submissions
from storage.audit import AuditEntry
from storage.outbox import Channel
from storage.parties import Party
from storage.staff import StaffRole, grant
from tests.support.chat import Clock, poc_say, staff_bot, write
from tests.support.chat import staff_say as say
from tests.support.cli import Invoke
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import NOW, add_poc

CHAT = 5550100
OTHER_CHAT = 5550101
STAFF_ID = 5550001
BOT_USERNAME = "outreach_test_bot"  # what the fake's getMe answers
LINK = re.compile(r"https://t\.me/outreach_test_bot\?start=([A-Za-z0-9_-]{1,64})")


@pytest.fixture
def french_poc(session: Session) -> int:
    return add_poc(session, "FRA", "Claire Martin", "claire@example.org", language="fr")


def invite(session: Session, poc_id: int) -> str:
    token = invitations.create_invitation(session=session, poc_id=poc_id, actor="test",
                                          now=NOW)
    session.commit()
    return token


def report(session: Session, code: str, kind: str, on: date) -> None:
    party = session.exec(select(Party).where(Party.code == code)).one()
    assert party.id is not None
    submissions.add(session=session, party_id=party.id, kind=kind, submitted_on=on, symbol="",
                    note="", actor="test", now=NOW)


def stored_poc(engine: Engine, poc_id: int) -> pocs.PointOfContact:
    with Session(engine) as fresh:
        poc = pocs.get(session=fresh, poc_id=poc_id)
        assert poc is not None
        return poc


def test_cli_invite_prints_a_single_use_deep_link(
    outreach: Invoke, session: Session, french_poc: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTREACH_TELEGRAM_BOT_USERNAME", BOT_USERNAME)
    result = outreach("invite", str(french_poc))
    assert result.exit_code == 0, result.output
    found = LINK.search(result.output)
    assert found is not None, result.output
    token = found.group(1)
    [row] = session.exec(select(invitations.PocInvitation)).all()
    assert row.token_hash == invitations.token_hash(token) != token
    assert row.poc_id == french_poc and row.expires_at == row.created_at + timedelta(days=7)
    monkeypatch.delenv("OUTREACH_TELEGRAM_BOT_USERNAME")
    plain = outreach("invite", str(french_poc))
    assert plain.exit_code == 0 and "OUTREACH_TELEGRAM_BOT_USERNAME" in plain.output
    assert "https://t.me/<the bot's username>?start=" in plain.output
    missing = outreach("invite", "999999")
    assert missing.exit_code == 1


async def test_the_deep_link_binds_the_chat_and_greets_in_french(
    api: FakeBotApi, engine: Engine, session: Session, french_poc: int
) -> None:
    token = invite(session, french_poc)
    async with staff_bot(api, engine):
        greeting = await write(api, CHAT, f"/start {token}")
    assert greeting.text.startswith("Bienvenue, Claire Martin.")
    assert greeting.text == poc_say("fr", "greeting", name="Claire Martin", party="France")
    poc = stored_poc(engine, french_poc)
    assert poc.telegram_chat_id == CHAT and poc.telegram_unreachable_at is None
    with Session(engine) as fresh:
        [row] = fresh.exec(select(invitations.PocInvitation)).all()
        assert row.used_by_chat_id == CHAT and row.used_at == NOW
        actions = [e.action for e in fresh.exec(select(AuditEntry).where(
            AuditEntry.entity == "poc"))]
    assert "invitation_redeemed" in actions
    assert {"type": "chat", "chat_id": CHAT} in [c.scope for c in api.my_commands]


async def test_an_invitation_works_once(
    api: FakeBotApi, engine: Engine, session: Session, french_poc: int
) -> None:
    token = invite(session, french_poc)
    async with staff_bot(api, engine):
        first = await write(api, CHAT, f"/start {token}")
        second = await write(api, OTHER_CHAT, f"/start {token}")
        nonsense = await write(api, OTHER_CHAT, "/start not-a-token")
    assert first.text.startswith("Bienvenue")
    assert second.text == nonsense.text == poc_say("en", "invalid_invitation")
    assert "ask the secretariat for a new one" in second.text
    assert stored_poc(engine, french_poc).telegram_chat_id == CHAT


async def test_an_expired_invitation_is_refused(
    api: FakeBotApi, engine: Engine, session: Session, french_poc: int
) -> None:
    token = invite(session, french_poc)
    clock = Clock()
    clock.now = NOW + timedelta(days=7)
    async with staff_bot(api, engine, clock):
        answer = await write(api, CHAT, f"/start {token}")
    assert answer.text == poc_say("en", "invalid_invitation")
    assert stored_poc(engine, french_poc).telegram_chat_id is None


async def test_mystatus_shows_only_the_pocs_own_state_then_in_spanish(
    api: FakeBotApi, engine: Engine, session: Session, french_poc: int
) -> None:
    report(session, "FRA", "first_report", date(2004, 10, 28))
    report(session, "FRA", "additional_info", date(2010, 5, 3))
    report(session, "FRA", "action_plan", date(2021, 2, 1))
    report(session, "DEU", "first_report", date(2004, 10, 26))
    report(session, "DEU", "additional_info", date(2023, 9, 9))
    session.commit()
    token = invite(session, french_poc)
    async with staff_bot(api, engine):
        await write(api, CHAT, f"/start {token}")
        french = await write(api, CHAT, "/mystatus")
        changed = await write(api, CHAT, "/language es")
        spanish = await write(api, CHAT, "/mystatus")
        bad = await write(api, CHAT, "/language xx")
    expected = {"party": "France", "first_report": date(2004, 10, 28), "national_reports": 2,
                "last_submission": date(2021, 2, 1), "action_plans": 1}
    # no matrix recorded: the last paragraph says so (tests/matrices/test_matrix_chat.py)
    assert french.text == poc_say("fr", "mystatus", **expected) + "\n\n" + poc_say(
        "fr", "mystatus_no_matrix")
    assert "Premier rapport : 2004-10-28" in french.text
    assert "Germany" not in french.text and "2023-09-09" not in french.text
    assert changed.text == poc_say("es", "language_changed")
    # the State's name in the PoC's language too (storage.party_names)
    assert spanish.text == poc_say("es", "mystatus", **{**expected, "party": "Francia"}) + (
        "\n\n" + poc_say("es", "mystatus_no_matrix"))
    assert "Primer informe: 2004-10-28" in spanish.text
    assert bad.text == poc_say("es", "language_usage",
                               codes=["ar", "en", "es", "fr", "ru", "zh"])
    assert stored_poc(engine, french_poc).language == "es"


async def test_an_organisations_poc_gets_a_short_note(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    poc_id = add_poc(session, "IAEA", "Dr. Focal Point", "fp@example.org", chat_id=CHAT)
    assert poc_id
    async with staff_bot(api, engine):
        answer = await write(api, CHAT, "/mystatus")
    assert "organisations do not submit national reports" in answer.text


async def test_stop_ends_telegram_deliveries_but_not_email_and_staff_see_it(
    api: FakeBotApi, engine: Engine, session: Session, french_poc: int
) -> None:
    grant(session=session, telegram_user_id=STAFF_ID, role=StaffRole.STAFF, actor="test",
          now=NOW)
    token = invite(session, french_poc)
    async with staff_bot(api, engine):
        await write(api, CHAT, f"/start {token}")
        with Session(engine) as fresh:
            before = outbox.audience_of(session=fresh, poc_ids=[french_poc])
        stopped = await write(api, CHAT, "/stop")
        shown = await write(api, STAFF_ID, "/state FRA")
    assert {r.channel for r in before.recipients} == {Channel.EMAIL, Channel.TELEGRAM}
    assert stopped.text == poc_say("fr", "stopped")
    with Session(engine) as fresh:
        after = outbox.audience_of(session=fresh, poc_ids=[french_poc])
        actions = [e.action for e in fresh.exec(select(AuditEntry).where(
            AuditEntry.entity == "poc"))]
    assert {r.channel for r in after.recipients} == {Channel.EMAIL}
    assert "telegram_stopped" in actions
    assert "Claire Martin (national, fr, Telegram stopped or unreachable)" in shown.text
    assert stored_poc(engine, french_poc).telegram_unreachable_at == NOW


async def test_a_poc_cannot_use_staff_commands(
    api: FakeBotApi, engine: Engine, session: Session, french_poc: int
) -> None:
    token = invite(session, french_poc)
    async with staff_bot(api, engine):
        await write(api, CHAT, f"/start {token}")
        state = await write(api, CHAT, "/state FRA")
        invited = await write(api, CHAT, f"/invite {french_poc}")
    assert state.text == invited.text == poc_say("fr", "staff_only")


async def test_staff_invite_in_the_chat_and_the_link_works(
    api: FakeBotApi, engine: Engine, session: Session, french_poc: int
) -> None:
    staff_id = STAFF_ID
    grant(session=session, telegram_user_id=staff_id, role=StaffRole.STAFF, actor="test",
          now=NOW)
    session.commit()
    async with staff_bot(api, engine):
        usage = await write(api, staff_id, "/invite")
        unknown = await write(api, staff_id, "/invite 999999")
        invited = await write(api, staff_id, f"/invite {french_poc}")
        found = LINK.search(invited.text)
        assert found is not None, invited.text
        greeting = await write(api, CHAT, f"/start {found.group(1)}")
    assert usage.text == say("invite_usage")
    assert unknown.text == say("unknown_poc", poc_id="999999")
    assert "Claire Martin" in invited.text
    assert greeting.text.startswith("Bienvenue")


async def test_an_arabic_poc_is_greeted_and_told_their_status_in_arabic(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    """The words come from the catalogue (telegram.po), never English, and carry no markup
    Telegram would refuse (no <span lang> around a word)."""
    arabic_poc = add_poc(session, "EGY", "Amal Test-Person", "amal@example.org", language="ar")
    report(session, "EGY", "first_report", date(2004, 12, 1))
    session.commit()
    token = invite(session, arabic_poc)
    async with staff_bot(api, engine):
        greeting = await write(api, CHAT, f"/start {token}")
        status = await write(api, CHAT, "/mystatus")
    assert greeting.text.startswith("مرحبًا، Amal Test-Person.")
    assert "/mystatus — حالة تقاريرك" in greeting.text
    assert "/stop — إيقاف رسائل Telegram" in greeting.text
    assert "التقرير الأول: 2004-12-01" in status.text
    assert "التقارير الوطنية: 1" in status.text and "خطط العمل: 0" in status.text
    for text in (greeting.text, status.text):
        assert "Welcome" not in text and "First report" not in text and "<span" not in text
