"""`outreach dispatch` (a cron deployment's only process) releases the Chair's approved
messages whose time has come, exactly once, even while another process releases them."""

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from storage import chair
from storage.chair import ChairMessage, ChairState
from storage.chair_release import release
from storage.outbox import Delivery, DeliveryState, OutboxMessage
from tests.support.chair import APPROVER, NOW, add_poc, draft
from tests.support.cli import Invoke

FAR_AHEAD = datetime(2999, 1, 4, 15, 0, tzinfo=UTC)  # later than any clock running the specs


def approved(session: Session, send_at: datetime | None = None) -> int:
    message_id = draft(session, send_at=send_at)
    chair.approve(session=session, message_id=message_id, actor=APPROVER, now=NOW)
    session.commit()
    return message_id


def state_of(engine: Engine, message_id: int) -> str:
    with Session(engine) as fresh:
        message = fresh.get(ChairMessage, message_id)
        assert message is not None
        return message.state


def written_mail(tmp_path: Path) -> list[Path]:
    return list((tmp_path / "data").rglob("*.eml"))


def test_dispatch_releases_a_due_message_sends_it_and_marks_it_sent(
    outreach: Invoke, session: Session, engine: Engine, tmp_path: Path
) -> None:
    add_poc(session, "FRA", "Claire Invented", email="claire@example.org")
    add_poc(session, "KEN", "Wanjiru Invented", email="wanjiru@example.org")
    due = approved(session)
    scheduled = approved(session, send_at=FAR_AHEAD)
    still_draft = draft(session)

    result = outreach("dispatch")

    assert result.exit_code == 0, result.output
    assert f"Chair's message {due} released: 2 deliveries queued." in result.output
    assert "Sent 2, to retry 0, failed 0, uncertain 0." in result.output
    assert f"Chair's message {due}: every delivery has finished." in result.output
    assert len(written_mail(tmp_path)) == 2
    assert state_of(engine, due) == ChairState.SENT
    assert state_of(engine, scheduled) == ChairState.APPROVED
    assert state_of(engine, still_draft) == ChairState.DRAFT


def test_a_second_dispatch_releases_nothing_again(outreach: Invoke, session: Session,
                                                  tmp_path: Path) -> None:
    add_poc(session, "FRA", "Claire Invented", email="claire@example.org")
    due = approved(session)
    assert outreach("dispatch").exit_code == 0

    again = outreach("dispatch")

    assert again.exit_code == 0, again.output
    assert "released" not in again.output
    assert "Sent 0, to retry 0, failed 0, uncertain 0." in again.output
    assert len(written_mail(tmp_path)) == 1
    assert len(session.exec(select(OutboxMessage)).all()) == 1
    assert state_of(session.get_bind(), due) == ChairState.SENT  # type: ignore[arg-type]


def test_a_message_without_any_reachable_poc_is_reported(outreach: Invoke,
                                                         session: Session) -> None:
    add_poc(session, "FRA", "Claire Invented", email="claire@example.org")
    add_poc(session, "KEN", "Wanjiru Invented")  # no address, no chat: no channel
    due = approved(session)

    result = outreach("dispatch")

    assert (f"Chair's message {due} released: 1 delivery queued; 1 PoC without any channel "
            f"(see `outreach chair status {due}`).") in result.output


@pytest.fixture
def chair_updates_started() -> Iterator[threading.Event]:
    """Set when any engine (the CLI's own too) is about to change a Chair's message state."""
    started = threading.Event()

    def spot(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE CHAIR_MESSAGE"):
            started.set()

    event.listen(Engine, "before_cursor_execute", spot)
    yield started
    event.remove(Engine, "before_cursor_execute", spot)


def test_while_another_process_releases_the_message_dispatch_sends_it_once(
    outreach: Invoke, session: Session, engine: Engine, tmp_path: Path,
    chair_updates_started: threading.Event,
) -> None:
    add_poc(session, "FRA", "Claire Invented", email="claire@example.org")
    due = approved(session)
    outputs: list[str] = []
    # `outreach run`'s tick, in another connection, has claimed the message and not committed
    with Session(engine) as other:
        assert release(session=other, message_id=due, actor="system:chair-release",
                       now=NOW) is not None
        chair_updates_started.clear()
        cron = threading.Thread(target=lambda: outputs.append(outreach("dispatch").output))
        cron.start()
        # the dispatch reached the conditional update and waits for the other transaction
        assert chair_updates_started.wait(timeout=60)
        other.commit()
    cron.join(timeout=120)

    assert not cron.is_alive()
    [output] = outputs
    assert "released" not in output.split("Sent")[0]  # the other process released it
    assert "Sent 1, to retry 0, failed 0, uncertain 0." in output
    assert len(written_mail(tmp_path)) == 1
    assert [d.state for d in session.exec(select(Delivery))] == [DeliveryState.SENT]
    assert len(session.exec(select(OutboxMessage)).all()) == 1
