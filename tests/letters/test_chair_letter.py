"""A Chair's message approved with --expect-response-by is a letter: once released, the
parties in its audience are those written to, a PoC's button on its delivery answers for the
party, and `outreach reminders plan` names only those who did not answer. Both backends."""

import json
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from storage import chair, letters
from storage.chair_audience import AudienceFilter
from storage.chair_release import release
from storage.delivery_answers import AnswerOutcome
from storage.letter_answers import LetterAnswer, answer_letter
from storage.letters import Letter
from storage.outbox import Delivery
from tests.support.chair import add_poc, draft
from tests.support.cli import Invoke


def test_a_chairs_letter_collects_answers_and_the_plan_names_only_the_silent(
    outreach: Invoke, session: Session
) -> None:
    pocs = {code: add_poc(session, code, f"Person {code}-Test",
                          email=f"{code.lower()}@example.org")
            for code in ("IAEA", "OPCW", "INTERPOL", "FRA")}
    message_id = draft(session, audience=AudienceFilter(kinds=("organisation",)))
    approved = outreach("chair", "approve", str(message_id),
                        "--expect-response-by", "2020-07-31")
    assert approved.exit_code == 0, approved.output
    assert "expects a response from each party by 2020-07-31" in approved.output
    session.expire_all()
    [letter] = session.exec(select(Letter)).all()
    assert letter.chair_message_id == message_id
    assert chair.get(session=session, message_id=message_id).send_at is None  # at once
    send_at = datetime(2020, 6, 2, 14, 0, tzinfo=UTC)
    assert release(session=session, message_id=message_id, actor="test", now=send_at)
    session.commit()
    written = letters.written_to(session=session, letter=letter)
    assert {p.code for p in written} == {"IAEA", "OPCW", "INTERPOL"}  # not the State

    delivery = session.exec(select(Delivery).where(Delivery.poc_id == pocs["IAEA"])).one()
    taken = answer_letter(session=session, delivery_id=delivery.id or 0,
                          answer=LetterAnswer.RESPONDED, channel="email",
                          now=send_at + timedelta(days=1), valid_for=timedelta(days=90))
    session.commit()
    assert taken is not None and taken.outcome is AnswerOutcome.RECORDED

    rows = json.loads(outreach("reminders", "plan", "--days", "1", "--include-paused",
                               "--format", "json").output)
    named = {row["state"] for row in rows if row["policy"].startswith(f"letter-{letter.id}")}
    assert named == {"OPCW", "INTERPOL"}
    assert not [row for row in rows if row["policy"].startswith("letter-")
                and row["state"] not in named]
