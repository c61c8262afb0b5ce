"""Staff look things up in the chat (/state, /org, /nonreporting); admins /grant and /revoke.

The same real Application as in test_staff_bot.py, against the fake Bot API; both backends.
"""

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.chat.common import MESSAGE_LIMIT, fitted
from bot.chat.poc import POC_COMMANDS
from bot.chat.staff import COMMANDS, commands_for
from storage import submissions
from storage.outbox import OutboxMessage
from storage.parties import Party, PartyKind
from storage.reminders import (
    ReminderCycle,
    ReminderPolicy,
    ReplyAnswer,
    ensure_default_policies,
    record_reply,
)
from storage.staff import StaffRole, role_of
from tests.support.chat import poc_say, staff_bot, write
from tests.support.chat import staff_say as say
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import NOW, add_poc
from tests.support.personas import ADMIN, STAFF, STRANGER

NEWCOMER = 5550010
POC = 5550020  # a PoC whose chat is bound to their record


def party_id(session: Session, code: str) -> int:
    party = session.exec(select(Party).where(Party.code == code)).one()
    assert party.id is not None
    return party.id


def report(session: Session, code: str, kind: str, on: date) -> None:
    submissions.add(session=session, party_id=party_id(session, code), kind=kind,
                    submitted_on=on, symbol="", note="", actor="test", now=NOW)


@pytest.fixture
def turkiye(session: Session) -> int:
    """Türkiye: one PoC, eleven submissions, one reminder cycle and the PoC's reply."""
    poc_id = add_poc(session, "TUR", "Ayşe <Demir>", "ayse@example.org", language="fr")
    report(session, "TUR", "first_report", date(2005, 1, 10))
    for year in range(2006, 2016):
        report(session, "TUR", "additional_info", date(year, 6, 1))
    report(session, "TUR", "action_plan", date(2019, 3, 4))
    ensure_default_policies(session=session, today=NOW.date(), now=NOW)
    policy = session.exec(select(ReminderPolicy).where(
        ReminderPolicy.name == "no-submission-5-years")).one()
    message = OutboxMessage(kind="reminder", template="reminder_update", audience="TUR",
                            created_by="test", created_at=NOW, not_before=NOW)
    session.add(message)
    session.flush()
    assert policy.id is not None and message.id is not None
    session.add(ReminderCycle(policy_id=policy.id, party_id=party_id(session, "TUR"), cycle=1,
                              message_id=message.id, sent_at=NOW))
    record_reply(session=session, poc_id=poc_id, message_id=message.id,
                 answer=ReplyAnswer.SNOOZE, channel="email", now=NOW)
    session.commit()
    return poc_id


async def test_state_turkey_shows_turkiye_with_its_poc_and_history(
    api: FakeBotApi, engine: Engine, staff: None, turkiye: int
) -> None:
    async with staff_bot(api, engine):
        answers = [await write(api, STAFF, f"/state {value}")
                   for value in ("Turkey", "tur", "Türkiye", "turkiye")]
        shown = answers[0].text
    assert {answer.text for answer in answers} == {shown}
    assert answers[0].parse_mode == "HTML"
    assert shown.startswith("<b>Türkiye</b> (TUR), electoral group WEOG")
    assert "Ayşe &lt;Demir&gt; (national, fr)" in shown and "<Demir>" not in shown
    lines = shown.splitlines()
    history = [line for line in lines if line.startswith("• ") and ", 20" in line]
    assert len(history) == 10  # the latest ten, latest first
    assert history[0] == "• Action plan, 2019-03-04"
    assert history[1] == "• Additional information, 2015-06-01"
    assert "• First report, 2005-01-10" not in shown
    assert "…and 2 older" in shown
    assert "Last reminder: no-submission-5-years, 2026-11-27" in lines
    assert "Last reply: report in preparation, remind me later, 2026-11-27" in lines


async def test_state_is_found_fuzzily_or_suggested_or_unknown(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with staff_bot(api, engine):
        ivory = [await write(api, ADMIN, f"/state {value}")
                 for value in ("Cote d'Ivoire", "civ", "CÔTE D'IVOIRE")]
        near = await write(api, STAFF, "/state Cote d Ivoir")
        atlantis = await write(api, STAFF, "/state Atlantis <b>")
        iaea = await write(api, STAFF, "/state IAEA")  # an organisation, not a State
        empty = await write(api, STAFF, "/state")
    assert all(answer.text.startswith("<b>Côte d&#39;Ivoire</b> (CIV)") for answer in ivory)
    assert "Last reminder: none" in ivory[0].text and "• nothing submitted" in ivory[0].text
    assert near.text == say("unknown_state", value="Cote d Ivoir",
                            suggestion="CIV (Côte d'Ivoire)")
    assert "Did you mean CIV (Côte d&#39;Ivoire)?" in near.text
    assert atlantis.text == "No State is called \"Atlantis &lt;b&gt;\"."
    assert "Did you mean" not in atlantis.text
    assert iaea.text.startswith("No State is called")
    assert empty.text == say("state_usage")


async def test_org_iaea(api: FakeBotApi, engine: Engine, staff: None, session: Session) -> None:
    add_poc(session, "IAEA", "Dr. Focal Point", "fp@example.org")
    async with staff_bot(api, engine):
        iaea = await write(api, STAFF, "/org iaea")
        unknown = await write(api, STAFF, "/org IAEB")
        state = await write(api, STAFF, "/org TUR")
    assert iaea.text.startswith("<b>International Atomic Energy Agency</b> (IAEA), "
                                "International")
    assert "• Dr. Focal Point (national, en)" in iaea.text
    assert unknown.text == say("unknown_org", value="IAEB",
                               suggestion="IAEA (International Atomic Energy Agency)")
    assert state.text.startswith("No organisation is called")


async def test_nonreporting_lists_the_silent_ones_and_fits_in_a_message(
    api: FakeBotApi, engine: Engine, staff: None, session: Session
) -> None:
    report(session, "TUR", "first_report", date(2005, 1, 10))
    session.commit()
    async with staff_bot(api, engine):
        many = await write(api, STAFF, "/nonreporting")
        silent = {"CIV", "AFG", "ZWE"}
        for state in session.exec(select(Party).where(Party.kind == PartyKind.STATE)):
            if state.code not in silent | {"TUR"}:
                report(session, state.code, "first_report", date(2006, 1, 1))
        session.commit()
        few = await write(api, ADMIN, "/nonreporting")
    assert many.text.startswith("<b>192</b> States have not submitted a first report:")
    assert len(many.text) <= MESSAGE_LIMIT
    assert "TUR —" not in many.text
    assert len([line for line in many.text.splitlines() if " — " in line]) == 192
    assert few.text.splitlines() == [
        "<b>3</b> States have not submitted a first report:",
        "AFG — Afghanistan", "CIV — Côte d&#39;Ivoire", "ZWE — Zimbabwe"]


def test_a_long_list_is_cut_politely_to_fit_one_message() -> None:
    codes = [(f"X{number:03}", "A State with a rather long official name") for number in
             range(400)]
    text = fitted("staff", "nonreporting", codes, count=len(codes))
    assert len(text) <= MESSAGE_LIMIT
    listed = [line for line in text.splitlines() if " — " in line]
    assert 0 < len(listed) < 400 and listed[0].startswith("X000")
    assert text.endswith(f"…and {400 - len(listed)} more (see <code>outreach status</code>).")


async def test_an_admin_grants_a_newcomer_who_can_then_log_and_got_a_menu(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with staff_bot(api, engine):
        before = await write(api, NEWCOMER, "/log")
        api.my_commands.clear()
        granted = await write(api, ADMIN, f"/grant {NEWCOMER}")
        again = await write(api, ADMIN, f"/grant {NEWCOMER}")
        after = await write(api, NEWCOMER, "/log")
        bad = [await write(api, ADMIN, text) for text in (
            "/grant", "/grant @someone", "/grant 12 boss", "/grant -5", "/grant ²",
            "/revoke 1 2")]
        by_staff = await write(api, STAFF, f"/grant {STRANGER} admin")
    assert before.text == say("refused")
    assert granted.text == say("granted", user=NEWCOMER, role="staff", changed=True)
    assert again.text == say("granted", user=NEWCOMER, role="staff", changed=False)
    assert after.text != say("refused") and "<code>/log" in after.text  # the usage hint
    menus = [(c.scope, [command["command"] for command in c.commands])
             for c in api.my_commands]
    assert ({"type": "chat", "chat_id": NEWCOMER},
            [name for name, _ in commands_for(StaffRole.STAFF)]) in menus
    assert [answer.text for answer in bad] == [say("grant_usage")] * 5 + [say("revoke_usage")]
    assert by_staff.text == say("admins_only") == "This command is for admins."
    with Session(engine) as fresh:
        assert role_of(session=fresh, telegram_user_id=NEWCOMER) is StaffRole.STAFF
        assert role_of(session=fresh, telegram_user_id=STRANGER) is None


async def test_the_last_admin_cannot_revoke_themselves_but_can_revoke_staff(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with staff_bot(api, engine):
        itself = await write(api, ADMIN, f"/revoke {ADMIN}")
        demoted = await write(api, ADMIN, f"/grant {ADMIN}")
        revoked = await write(api, ADMIN, f"/revoke {STAFF}")
        nobody = await write(api, ADMIN, f"/revoke {STRANGER}")
        gone = await write(api, STAFF, "/help")
    assert itself.text == demoted.text == say("last_admin")
    assert revoked.text == say("revoked", user=STAFF, changed=True)
    assert nobody.text == say("revoked", user=STRANGER, changed=False)
    assert gone.text == say("refused")
    assert "deleteMyCommands" in api.calls
    with Session(engine) as fresh:
        assert role_of(session=fresh, telegram_user_id=ADMIN) is StaffRole.ADMIN


# -- who may type what ----------------------------------------------------------------------

# A harmless line for each registered command: it answers without changing anything.
TYPED = {"start": "/start", "help": "/help", "log": "/log", "events": "/events",
         "state": "/state CIV",
         "org": "/org IAEA", "nonreporting": "/nonreporting", "grant": "/grant",
         "revoke": "/revoke", "invite": "/invite", "mystatus": "/mystatus",
         "language": "/language", "stop": "/stop", "chair": "/chair list",
         "stats": "/stats yesterday", "report": "/report yesterday",
         "assist": "/assist KEN", "requests": "/requests", "matrix": "/matrix KEN",
         "inbox": "/inbox", "submit": "/submit", "responses": "/responses"}
USERS = {"admin": ADMIN, "staff": STAFF, "poc": POC, "unknown": STRANGER}
POC_ONLY = set(POC_COMMANDS) - set(COMMANDS)
ALLOWED: dict[str, set[str]] = {
    "admin": set(COMMANDS),
    "staff": {name for name, least in COMMANDS.items() if least is StaffRole.STAFF},
    # a State's PoC: /assist is its own guided request (bot.chat.assist), not the staff's
    "poc": set(POC_COMMANDS) | {"assist"},
    "unknown": set(),
}
EVERY_COMMAND = [*COMMANDS, *sorted(POC_ONLY)]
MATRIX = [(command, role, command in ALLOWED[role]) for command in EVERY_COMMAND
          for role in USERS]


def test_the_matrix_covers_every_registered_command() -> None:
    assert set(TYPED) == set(COMMANDS) | set(POC_COMMANDS)
    assert ALLOWED["staff"] == {"start", "help", "log", "events", "state", "org",
                                "nonreporting", "invite", "stats", "report", "chair",
                                "language", "assist", "requests", "matrix", "inbox",
                                "responses"}
    assert ALLOWED["admin"] - ALLOWED["staff"] == {"grant", "revoke"}
    assert ALLOWED["poc"] == {"start", "help", "mystatus", "submit", "language", "stop",
                              "assist"}


@pytest.fixture
def poc(session: Session) -> int:
    return add_poc(session, "CIV", "Test PoC", "poc@example.org", chat_id=POC)


@pytest.mark.parametrize(("command", "role", "allowed"), MATRIX,
                         ids=[f"{c}-{r}" for c, r, _ in MATRIX])
async def test_role_command_matrix(
    api: FakeBotApi, engine: Engine, staff: None, poc: int, command: str, role: str,
    allowed: bool
) -> None:
    async with staff_bot(api, engine):
        answer = await write(api, USERS[role], TYPED[command])
    refusals = {say("refused"), say("admins_only"), poc_say("en", "staff_only"),
                poc_say("en", "poc_only")}
    if allowed:
        assert answer.text not in refusals
    elif role == "unknown":
        assert answer.text == say("refused")
    elif role == "poc":
        assert answer.text == poc_say("en", "staff_only")
    elif command in POC_ONLY:
        assert answer.text == poc_say("en", "poc_only")
    else:
        assert answer.text == say("admins_only")
