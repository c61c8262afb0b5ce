"""`outreach matrices send-for-review`: a dry run first, then the review recorded and its
message queued with --confirm; every refusal says why and writes nothing; `outreach matrices
show` and `outreach reminders plan --include-paused` show the review. Both backends."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from storage.matrices.review_model import MatrixReview
from storage.outbox import OutboxMessage
from storage.reminders import ReminderPolicy
from tests.matrices.support import version
from tests.support.cli import Invoke
from tests.support.documents import HTML_AS_PDF, PDF
from tests.support.outbox import add_poc

FAR = "2099-12-31"  # an answer date no run of the suite reaches


def _state(session: Session) -> None:
    add_poc(session, "KEN", "Person KEN-Mail-Test", "ken@example.org")
    add_poc(session, "KEN", "Person KEN-Chat-Test", chat_id=515151)
    version(session, "KEN", 1, sent=date(2019, 3, 1), approved=date(2019, 6, 1))
    version(session, "KEN", 2, sent=date(2026, 1, 5))
    session.commit()


def _file(tmp_path: Path, content: bytes = PDF, name: str = "KEN-v2.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_a_dry_run_says_what_would_go_and_writes_nothing(
        outreach: Invoke, session: Session, tmp_path: Path) -> None:
    _state(session)
    result = outreach("matrices", "send-for-review", "Kenya", "--version", "2",
                      "--file", _file(tmp_path), "--respond-by", FAR)
    assert result.exit_code == 0, result.output
    assert "Would send version 2 of the matrix of KEN for review (KEN-v2.pdf, PDF" in (
        result.output)
    assert "2 active Points of Contact: 1 by e-mail, 1 by Telegram" in result.output
    assert "--confirm" in result.output
    assert session.exec(select(MatrixReview)).all() == []
    assert session.exec(select(OutboxMessage)).all() == []
    assert not (tmp_path / "data" / "matrices").exists()


def test_confirmed_the_review_is_recorded_queued_and_shown(
        outreach: Invoke, session: Session, tmp_path: Path) -> None:
    _state(session)
    result = outreach("matrices", "send-for-review", "KEN", "--version", "2",
                      "--file", _file(tmp_path), "--respond-by", FAR, "--confirm")
    assert result.exit_code == 0, result.output
    [review] = session.exec(select(MatrixReview)).all()
    assert f"Review {review.id}: version 2 of the matrix of KEN queued for review" in (
        result.output)
    assert f"outreach reminders resume --policy {review.policy_id}" in result.output
    assert (tmp_path / "data" / "matrices" / review.stored_name).read_bytes() == PDF
    policy = session.get(ReminderPolicy, review.policy_id)
    assert policy is not None and policy.paused
    shown = outreach("matrices", "show", "KEN")
    assert shown.exit_code == 0, shown.output
    assert (f"Review {review.id} of version 2: sent " in shown.output
            and f"answer asked by {FAR}; awaiting the State's answer." in shown.output)


def test_every_refusal_says_why_and_writes_nothing(
        outreach: Invoke, session: Session, tmp_path: Path) -> None:
    _state(session)
    pdf = _file(tmp_path)
    cases = [
        (("Narnia", "--version", "2", "--file", pdf), "Narnia"),
        (("KEN", "--version", "7", "--file", pdf), "KEN has no version 7"),
        (("KEN", "--version", "1", "--file", pdf), "already approved on 2019-06-01"),
        (("KEN", "--version", "2", "--file", _file(tmp_path, HTML_AS_PDF, "fake.pdf")),
         "not a PDF, DOCX, ODT or XLSX document by its content"),
        (("KEN", "--version", "2", "--file", str(tmp_path / "absent.pdf")), "cannot be read"),
        (("KEN", "--version", "2", "--file", pdf, "--respond-by", "2020-01-01"),
         "in the past"),
        (("MAR", "--version", "1", "--file", pdf), "MAR has no version 1"),
    ]
    for args, words in cases:
        result = outreach("matrices", "send-for-review", *args, "--confirm")
        assert result.exit_code != 0, args
        assert words in result.output, (args, result.output)
    version(session, "MAR", 1, sent=date(2026, 1, 5))
    session.commit()
    no_poc = outreach("matrices", "send-for-review", "MAR", "--version", "1", "--file", pdf,
                      "--confirm")
    assert no_poc.exit_code == 1 and "no active Point of Contact" in no_poc.output
    assert session.exec(select(MatrixReview)).all() == []
    assert session.exec(select(OutboxMessage)).all() == []


def test_the_reminder_plan_shows_the_state_once_the_answer_is_late(
        outreach: Invoke, session: Session, tmp_path: Path) -> None:
    _state(session)
    # relative to the day the suite runs: the command reads the clock, as staff's would
    due = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    sent = outreach("matrices", "send-for-review", "KEN", "--version", "2",
                    "--file", _file(tmp_path), "--respond-by", due, "--confirm")
    assert sent.exit_code == 0, sent.output
    [review] = session.exec(select(MatrixReview)).all()
    paused = json.loads(outreach("reminders", "plan", "--days", "10", "--format", "json").output)
    planned = json.loads(outreach("reminders", "plan", "--days", "10", "--include-paused",
                                  "--format", "json").output)
    assert paused == []
    policy = f"matrix-review-{review.id}: KEN v2"
    assert [(row["policy"], row["state"], row["cycle"]) for row in planned] == [
        (policy, "KEN", 1)]
    assert planned[0]["date"] > due


def test_a_review_policy_cannot_be_added_alone(outreach: Invoke, session: Session) -> None:
    result = outreach("reminders", "add", "orphan", "--target", "unapproved_matrix",
                      "--template", "reminder_matrix", "--every", "30")
    assert result.exit_code == 2 and "send-for-review" in result.output
    assert session.exec(select(ReminderPolicy)).all() == []


def test_a_draft_over_15_mib_is_refused_whatever_the_upload_cap(
        outreach: Invoke, session: Session, tmp_path: Path) -> None:
    _state(session)
    big = _file(tmp_path, PDF + b"0" * (15 * 1024 * 1024), "big.pdf")
    result = outreach("matrices", "send-for-review", "KEN", "--version", "2", "--file", big,
                      "--respond-by", FAR, "--confirm")
    assert result.exit_code == 1 and "larger than 15728640 bytes" in result.output
    assert session.exec(select(MatrixReview)).all() == []
