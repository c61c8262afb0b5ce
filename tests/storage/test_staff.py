"""Who may do what: admins and staff, known by their Telegram user id."""

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.settings import Settings
from storage import staff
from storage.audit import AuditEntry, entries
from storage.staff import StaffRole
from tests.support.cli import Invoke

NOON = datetime(2026, 12, 11, 12, 0, tzinfo=UTC)
ADMINS_ENV = "OUTREACH_ADMIN_TELEGRAM_IDS"


def staff_audit(session: Session) -> list[AuditEntry]:
    session.expire_all()
    return entries(session=session, entity="staff_member")


def listed(outreach: Invoke, *options: str) -> list[dict[str, object]]:
    result = outreach("staff", *options, "--format", "json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return rows


def test_admins_come_from_the_setting_and_init_twice_adds_nothing(
    outreach: Invoke, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ADMINS_ENV, " 111111, 222222 ")
    assert outreach("init").exit_code == 0
    assert outreach("init").exit_code == 0
    rows = listed(outreach)
    assert [(r["telegram_user_id"], r["role"], r["granted_by"]) for r in rows] == [
        (111111, "admin", "system:settings"), (222222, "admin", "system:settings")]
    assert [(e.entity_id, e.action, e.actor) for e in staff_audit(session)] == [
        ("111111", "grant", "system:settings"), ("222222", "grant", "system:settings")]


def test_a_single_admin_id_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ADMINS_ENV, "123456789")
    assert Settings().admin_ids == [123456789]
    monkeypatch.delenv(ADMINS_ENV)
    assert Settings().admin_ids == []


@pytest.mark.parametrize("value", ["12345,abc", "0", "12, -5", "1.5", "@someone"])
def test_a_bad_admin_id_is_a_clear_configuration_error(
    outreach: Invoke, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(ADMINS_ENV, value)
    with pytest.raises(ValidationError, match="OUTREACH_ADMIN_TELEGRAM_IDS takes Telegram"):
        Settings()
    result = outreach("init")
    assert result.exit_code == 1
    assert "Invalid configuration" in result.stderr
    assert "positive whole numbers" in result.stderr


def test_bootstrap_never_revokes_and_reactivates_a_revoked_listed_admin(
    session: Session,
) -> None:
    assert staff.bootstrap_admins(session=session, ids=[1, 2], now=NOON) == 2
    staff.revoke(session=session, telegram_user_id=2, actor="cli:someone", now=NOON)
    assert staff.bootstrap_admins(session=session, ids=[1], now=NOON) == 0
    assert staff.role_of(session=session, telegram_user_id=2) is None  # removed, not revoked
    assert staff.bootstrap_admins(session=session, ids=[1, 2, 2], now=NOON) == 1
    assert staff.role_of(session=session, telegram_user_id=2) is StaffRole.ADMIN


def test_grant_and_revoke_are_audited_before_and_after(session: Session) -> None:
    assert staff.grant(session=session, telegram_user_id=42, role=StaffRole.STAFF,
                       actor="cli:alice", now=NOON, display_name="Bob at the desk")
    assert not staff.grant(session=session, telegram_user_id=42, role=StaffRole.STAFF,
                           actor="cli:alice", now=NOON)  # nothing changes
    assert staff.grant(session=session, telegram_user_id=42, role=StaffRole.ADMIN,
                       actor="cli:alice", now=NOON)
    assert staff.grant(session=session, telegram_user_id=7, role=StaffRole.ADMIN,
                       actor="cli:alice", now=NOON)
    assert staff.revoke(session=session, telegram_user_id=42, actor="cli:carol", now=NOON)
    assert not staff.revoke(session=session, telegram_user_id=42, actor="cli:carol", now=NOON)
    session.commit()
    log = [(e.actor, e.action, e.entity_id, e.before, e.after) for e in staff_audit(session)]
    assert log == [
        ("cli:alice", "grant", "42", None, {"role": "staff", "active": True}),
        ("cli:alice", "grant", "42", {"role": "staff", "active": True},
         {"role": "admin", "active": True}),
        ("cli:alice", "grant", "7", None, {"role": "admin", "active": True}),
        ("cli:carol", "revoke", "42", {"role": "admin", "active": True},
         {"role": "admin", "active": False}),
    ]
    assert all("Bob" not in json.dumps([e.before, e.after]) for e in staff_audit(session))
    member = session.get(staff.StaffMember, 42)
    assert member is not None
    assert (member.display_name, member.revoked_by, member.revoked_at) == (
        "Bob at the desk", "cli:carol", NOON)


def test_role_of_a_revoked_or_unknown_member_is_none_and_regranting_reactivates(
    session: Session,
) -> None:
    staff.grant(session=session, telegram_user_id=1, role=StaffRole.ADMIN, actor="t", now=NOON)
    staff.grant(session=session, telegram_user_id=5, role=StaffRole.STAFF, actor="t", now=NOON)
    assert staff.role_of(session=session, telegram_user_id=5) is StaffRole.STAFF
    staff.revoke(session=session, telegram_user_id=5, actor="t", now=NOON)
    assert staff.role_of(session=session, telegram_user_id=5) is None
    assert staff.role_of(session=session, telegram_user_id=999) is None
    assert [m.telegram_user_id for m in staff.members(session=session)] == [1]
    assert [m.telegram_user_id for m in staff.members(session=session,
                                                      include_revoked=True)] == [1, 5]
    assert staff.grant(session=session, telegram_user_id=5, role=StaffRole.STAFF,
                       actor="u", now=NOON)
    member = session.get(staff.StaffMember, 5)
    assert member is not None and (member.revoked_at, member.revoked_by) == (None, None)
    assert staff.role_of(session=session, telegram_user_id=5) is StaffRole.STAFF


def test_the_last_admin_can_be_neither_revoked_nor_made_staff(session: Session) -> None:
    staff.grant(session=session, telegram_user_id=1, role=StaffRole.ADMIN, actor="t", now=NOON)
    with pytest.raises(staff.LastAdminError):
        staff.revoke(session=session, telegram_user_id=1, actor="t", now=NOON)
    with pytest.raises(staff.LastAdminError):
        staff.grant(session=session, telegram_user_id=1, role=StaffRole.STAFF, actor="t",
                    now=NOON)
    staff.grant(session=session, telegram_user_id=2, role=StaffRole.ADMIN, actor="t", now=NOON)
    assert staff.revoke(session=session, telegram_user_id=1, actor="t", now=NOON)
    assert staff.role_of(session=session, telegram_user_id=2) is StaffRole.ADMIN


def test_staff_grant_list_and_revoke_from_the_command_line(
    outreach: Invoke, session: Session
) -> None:
    outreach("init")
    granted = outreach("staff", "grant", "5001", "--admin", "--name", "Desk officer A")
    assert granted.exit_code == 0 and "5001 is now admin" in granted.output
    assert outreach("staff", "grant", "5002", "--name", "Intern").exit_code == 0
    again = outreach("staff", "grant", "5002")
    assert again.exit_code == 0 and "nothing changed" in again.output
    rows = listed(outreach)
    assert [(r["telegram_user_id"], r["role"], r["display_name"], r["granted_by"])
            for r in rows] == [(5001, "admin", "Desk officer A", "cli:test-staff"),
                               (5002, "staff", "Intern", "cli:test-staff")]
    revoked = outreach("staff", "revoke", "5002")
    assert revoked.exit_code == 0 and "no longer has a role" in revoked.output
    assert [r["telegram_user_id"] for r in listed(outreach)] == [5001]
    everyone = listed(outreach, "--all")
    assert everyone[1]["revoked_at"] is not None
    assert "5002" in outreach("staff", "--all").output  # the table
    assert [e.action for e in staff_audit(session)] == ["grant", "grant", "revoke"]


def test_the_last_admin_cannot_be_revoked_from_the_command_line(
    outreach: Invoke, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ADMINS_ENV, "9001")
    outreach("init")
    refused = outreach("staff", "revoke", "9001")
    assert refused.exit_code == 1 and "last active admin" in refused.stderr
    demoted = outreach("staff", "grant", "9001")
    assert demoted.exit_code == 1 and "last active admin" in demoted.stderr
    assert staff.role_of(session=session, telegram_user_id=9001) is StaffRole.ADMIN
    outreach("staff", "grant", "9002", "--admin")
    revoked = outreach("staff", "revoke", "9001")
    assert revoked.exit_code == 0
    assert "OUTREACH_ADMIN_TELEGRAM_IDS" in revoked.output  # it would come back at init


def test_unknown_ids_and_bad_input_are_refused_clearly(outreach: Invoke) -> None:
    outreach("init")
    unknown = outreach("staff", "revoke", "31337")
    assert unknown.exit_code == 1 and "No staff member" in unknown.stderr
    negative = outreach("staff", "grant", "--", "-100123")
    assert negative.exit_code == 2 and "not a Telegram user id" in negative.stderr
    long_name = outreach("staff", "grant", "5", "--name", "x" * 121)
    assert long_name.exit_code == 2 and "--name" in long_name.stderr



def test_a_new_name_alone_is_kept_and_audited_without_the_name(session: Session) -> None:
    staff.grant(session=session, telegram_user_id=8, role=StaffRole.STAFF, actor="a", now=NOON,
                display_name="Old name")
    assert staff.grant(session=session, telegram_user_id=8, role=StaffRole.STAFF, actor="b",
                       now=NOON, display_name="New name")
    session.commit()
    member = session.get(staff.StaffMember, 8)
    assert member is not None and (member.display_name, member.granted_by) == ("New name", "a")
    assert [(e.action, e.actor, e.after) for e in staff_audit(session)][1:] == [
        ("rename", "b", {"role": "staff", "active": True})]


def test_the_database_refuses_an_unknown_role(session: Session) -> None:
    session.add(staff.StaffMember(telegram_user_id=3, role="owner", granted_by="t",
                                  granted_at=NOON))
    with pytest.raises(IntegrityError):
        session.commit()


def test_staff_language_from_the_command_line_is_listed_audited_and_checked(
    outreach: Invoke, session: Session
) -> None:
    outreach("init")
    outreach("staff", "grant", "5001", "--admin")
    assert listed(outreach)[0]["language"] == "en"
    chosen = outreach("staff", "language", "5001", "FR")
    assert chosen.exit_code == 0 and "writes to Telegram user 5001 in fr" in chosen.output
    again = outreach("staff", "language", "5001", "fr")
    assert again.exit_code == 0 and "nothing changed" in again.output
    assert listed(outreach)[0]["language"] == "fr"
    german = outreach("staff", "language", "5001", "de")
    assert german.exit_code == 2 and "'de' is not one of ar, zh, en, fr, ru, es" in german.stderr
    unknown = outreach("staff", "language", "31337", "fr")
    assert unknown.exit_code == 1 and "No staff member" in unknown.stderr
    assert listed(outreach)[0]["language"] == "fr"
    assert [(e.action, e.before, e.after) for e in staff_audit(session)][1:] == [
        ("language_changed", {"language": "en"}, {"language": "fr"})]
