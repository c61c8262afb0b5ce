"""`outreach send` to every Member State at once: nothing the command computes from a long
list of targets may overflow a column (PostgreSQL refuses what SQLite silently keeps)."""

from pathlib import Path

from sqlmodel import Session, col, select

from storage.audit import AuditEntry
from storage.outbox import AUDIENCE_MAX, Delivery, OutboxMessage
from storage.parties import Party, PartyKind
from tests.support.cli import Invoke
from tests.support.outbox import add_poc


def one_poc_per_state(session: Session) -> list[tuple[str, str, int]]:
    """(code, name, PoC id) of each of the 193 States, each with one invented PoC."""
    states = list(session.exec(select(Party).where(Party.kind == PartyKind.STATE)
                               .order_by(col(Party.code))))
    return [(state.code, state.name,
             add_poc(session, state.code, f"Person {state.code}-Test",
                     f"poc.{state.code.lower()}@example.org"))
            for state in states]


def test_a_message_to_all_193_states_by_name_is_queued_and_sent(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    states = one_poc_per_state(session)
    assert len(states) == 193
    targets = [option for _code, name, _poc in states for option in ("--to", name)]

    result = outreach("send", *targets, "--template", "contact_check")

    assert result.exit_code == 0, result.output
    assert "193 deliveries queued (193 by e-mail, 0 by Telegram)" in result.output
    assert "Sent 193, to retry 0, failed 0, uncertain 0." in result.output
    assert len(list((tmp_path / "data").rglob("*.eml"))) == 193
    message = session.exec(select(OutboxMessage)).one()
    # A bounded summary that says how many targets it leaves out...
    assert len(message.audience) <= AUDIENCE_MAX
    assert message.audience.startswith(f"to: {states[0][1]}, ")
    assert message.audience.endswith(" more (193 targets)")
    # ...while the audit log keeps every target as typed.
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "enqueue")).one()
    assert entry.after is not None
    assert entry.after["targets"] == [name for _code, name, _poc in states]


def test_a_long_list_of_poc_ids_is_queued(outreach: Invoke, session: Session) -> None:
    states = one_poc_per_state(session)
    targets = [option for _code, _name, poc_id in states for option in ("--to", str(poc_id))]

    result = outreach("send", *targets, "--template", "contact_check", "--queue-only")

    assert result.exit_code == 0, result.output
    assert "193 deliveries queued" in result.output
    assert len(list(session.exec(select(Delivery)))) == 193
    message = session.exec(select(OutboxMessage)).one()
    assert len(message.audience) <= AUDIENCE_MAX and "more (193 targets)" in message.audience


def test_a_short_list_is_stored_whole(outreach: Invoke, session: Session) -> None:
    add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")
    add_poc(session, "KEN", "Wanjiru Otieno-Test", "wanjiru@example.org")

    result = outreach("send", "--to", "FRA", "--to", "Kenya", "--template", "contact_check",
                      "--queue-only")

    assert result.exit_code == 0, result.output
    assert session.exec(select(OutboxMessage.audience)).one() == "to: FRA, Kenya"
