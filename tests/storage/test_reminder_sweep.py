"""The reminder sweep on a real database: queued once per cycle, in working hours."""

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from scheduler.sweep import sweep
from storage import pocs, reminders, submissions
from storage.outbox import Delivery, OutboxMessage
from storage.parties import Party
from tests.support.outbox import add_poc
from tests.support.service import reminders_active

# Friday 27 November 2026, 14:00 UTC: 09:00 in New York, 23:00 in Tokyo
NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def party_id(session: Session, code: str) -> int:
    party = session.exec(select(Party).where(Party.code == code)).one()
    assert party.id is not None
    return party.id


def report_everything_but(session: Session, silent: set[str]) -> None:
    """Every Member State has reported recently, except `silent` ones."""
    for party in session.exec(select(Party).where(Party.kind == "state")):
        if party.code not in silent and party.id is not None:
            submissions.add(session=session, party_id=party.id, kind="first_report",
                            submitted_on=date(2024, 1, 10), symbol="", note="", actor="test",
                            now=NOW)
    session.commit()


def setup_defaults(session: Session) -> None:
    """The shipped policies, resumed as staff resume them once they have read the plan."""
    reminders_active(session)


def test_the_shipped_policies_are_paused_and_queue_nothing(session: Session) -> None:
    assert reminders.ensure_default_policies(session=session, today=NOW.date(), now=NOW) == 2
    session.commit()
    report_everything_but(session, {"JPN", "USA"})
    add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org", chat_id=81)
    assert [p.paused for p in reminders.policies(session=session)] == [True, True]
    assert sweep(session=session, now=NOW).queued == []
    assert session.exec(select(Delivery)).all() == []


def test_a_due_state_is_queued_once_however_often_the_sweep_runs(session: Session) -> None:
    setup_defaults(session)
    report_everything_but(session, {"JPN", "USA"})
    tokyo = add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org", chat_id=81)
    new_york = add_poc(session, "USA", "Sam Smith-Test", "sam@example.org")
    first = sweep(session=session, now=NOW)
    assert sorted(first.queued) == [(1, party_id(session, "JPN"), 1),
                                    (1, party_id(session, "USA"), 1)]
    assert sweep(session=session, now=NOW).queued == []
    assert sweep(session=session, now=NOW + timedelta(days=30)).queued == []
    deliveries = {(d.poc_id, d.channel): d for d in session.exec(select(Delivery))}
    assert set(deliveries) == {(tokyo, "email"), (tokyo, "telegram"), (new_york, "email")}


def test_deliveries_wait_for_each_pocs_working_hours(session: Session) -> None:
    setup_defaults(session)
    report_everything_but(session, {"JPN", "USA"})
    tokyo = add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org")
    new_york = add_poc(session, "USA", "Sam Smith-Test", "sam@example.org")
    for poc_id, zone in ((tokyo, "Asia/Tokyo"), (new_york, "America/New_York")):
        poc = pocs.get(session=session, poc_id=poc_id)
        assert poc is not None
        poc.timezone = zone
        session.add(poc)
    session.commit()
    sweep(session=session, now=NOW)
    due = {d.poc_id: d.next_attempt_at for d in session.exec(select(Delivery))}
    assert due[new_york] == NOW  # 09:00 in New York: now
    assert due[tokyo] == datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # Monday 09:00 in Tokyo


def test_the_next_cycle_follows_the_cadence_and_reporting_stops_it(session: Session) -> None:
    setup_defaults(session)
    report_everything_but(session, {"JPN"})
    add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org")
    assert len(sweep(session=session, now=NOW).queued) == 1
    assert sweep(session=session, now=NOW + timedelta(days=89)).queued == []
    assert [c for _, _, c in sweep(session=session, now=NOW + timedelta(days=91)).queued] == [2]
    submissions.add(session=session, party_id=party_id(session, "JPN"), kind="first_report",
                    submitted_on=date(2026, 12, 1), symbol="", note="", actor="test",
                    now=NOW)
    session.commit()
    assert sweep(session=session, now=NOW + timedelta(days=200)).queued == []


def test_a_state_without_a_poc_is_reported_not_skipped_silently(session: Session) -> None:
    setup_defaults(session)
    report_everything_but(session, {"JPN"})
    report = sweep(session=session, now=NOW)
    assert report.queued == []
    assert report.without_poc == [(1, party_id(session, "JPN"))]


def test_a_paused_state_gets_nothing(session: Session) -> None:
    setup_defaults(session)
    report_everything_but(session, {"JPN"})
    add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org")
    session.add(reminders.ReminderPause(party_id=party_id(session, "JPN"), policy_id=None,
                                        created_by="test", created_at=NOW))
    session.commit()
    assert sweep(session=session, now=NOW).queued == []


def test_a_snooze_reply_holds_the_next_cycle_for_that_poc(session: Session) -> None:
    setup_defaults(session)
    report_everything_but(session, {"JPN"})
    poc = add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org")
    sweep(session=session, now=NOW)
    message = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).first()
    assert message is not None and message.id is not None
    reminders.record_reply(session=session, poc_id=poc, message_id=message.id,
                           answer=reminders.ReplyAnswer.SNOOZE, channel="email",
                           now=NOW + timedelta(days=80))
    session.commit()
    assert sweep(session=session, now=NOW + timedelta(days=95)).queued == []
    assert len(sweep(session=session, now=NOW + timedelta(days=111)).queued) == 1


def test_the_default_policies_ship_once(session: Session) -> None:
    setup_defaults(session)
    assert reminders.ensure_default_policies(session=session, today=NOW.date(), now=NOW) == 0
    names = [p.name for p in reminders.policies(session=session)]
    assert names == ["non-reporting", "no-submission-5-years"]
