"""`outreach assistance overdue|publish|chasing` as staff use them."""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from storage import audit
from storage.assistance import providers, requests
from storage.assistance.requests import Need, RequestFields
from storage.parties import Party
from tests.support.outbox import NOW, add_poc

Invoke = Callable[..., Any]


def party(session: Session, code: str) -> Party:
    return session.exec(select(Party).where(Party.code == code)).one()


def open_since(session: Session, state: str, day: date, consent: bool = True) -> int:
    made = requests.add(session=session, party=party(session, state), fields=RequestFields(
        received_on=day, channel="template", needs=(Need("training"),),
        consent_to_publish=consent), actor="ana", now=NOW)
    requests.advance(session=session, request=made, to="open", on=day, actor="ana", now=NOW)
    session.commit()
    return made.id or 0


def test_overdue_lists_the_longest_wait_first(outreach: Invoke, session: Session) -> None:
    kenya = open_since(session, "KEN", date(2017, 1, 1))
    peru = open_since(session, "PER", date(2016, 1, 1))
    result = outreach("assistance", "overdue", "--format", "csv")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines[0] == "id,state,step,since,days_waited,allowed_days"
    assert [line.split(",")[:3] for line in lines[1:]] == [
        [str(peru), "PER", "open"], [str(kenya), "KEN", "open"]]


def test_overdue_says_so_when_nothing_waits(outreach: Invoke) -> None:
    result = outreach("assistance", "overdue")
    assert result.exit_code == 0
    assert "No assistance request has waited longer" in result.output


def test_chasing_is_off_until_staff_turn_it_on_and_the_plan_says_what_would_go(
    outreach: Invoke, session: Session
) -> None:
    add_poc(session, "IAEA", "Ida Test", "ida@example.org")
    open_since(session, "KEN", date(2017, 1, 1))
    providers.register(session=session, party=party(session, "IAEA"),
                       registered_on=date(2016, 1, 1), areas=["training"], actor="ana", now=NOW)
    session.commit()
    plan = outreach("assistance", "chasing", "plan")
    assert "Chasing is off" in plan.output
    assert "IAEA (1)" in plan.output
    assert "Chasing is on" in outreach("assistance", "chasing", "on").output
    assert "already on" in outreach("assistance", "chasing", "on").output
    assert [entry.actor for entry in audit.entries(session=session, entity="service_switch")] \
        == ["cli:test-staff"]


def test_publish_writes_the_six_pages(outreach: Invoke, session: Session,
                                      tmp_path: Path) -> None:
    request_id = open_since(session, "KEN", date(2024, 1, 1))
    requests.publish(session=session, request=requests.get(session=session,
                                                            request_id=request_id),
                     on=date(2024, 2, 1), actor="ana", now=NOW)
    session.commit()
    result = outreach("assistance", "publish", "--out", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    assert "(1 request)" in result.output
    assert len(list((tmp_path / "site").glob("index*.html"))) == 6
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    refused = outreach("assistance", "publish", "--out", str(not_a_folder))
    assert refused.exit_code == 1 and "is not a folder" in refused.output
