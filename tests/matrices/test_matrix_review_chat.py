"""Staff's /matrix STATE says where the newest draft sent through the bot stands: awaiting
the State's answer, comments received, or approved (and then the figures count it)."""

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from bot.chat.matrices import state_matrix
from storage.matrices.review_answers import ReviewAnswer, answer_review
from tests.matrices.review_support import delivery_of, later, send


def _press(session: Session, delivery: int, answer: ReviewAnswer, days: int) -> None:
    answer_review(session=session, delivery_id=delivery, answer=answer, channel="telegram",
                  now=later(days), valid_for=timedelta(days=90), telegram_chat_id=515151)
    session.commit()


def test_matrix_names_the_review_and_the_states_answer(
        engine: Engine, session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    today = later(30).date()
    waiting = state_matrix(engine, "KEN", today)
    delivery = delivery_of(session, sent.pocs["telegram"])
    _press(session, delivery, ReviewAnswer.COMMENTS, 3)
    commented = state_matrix(engine, "Kenya", today)
    _press(session, delivery, ReviewAnswer.APPROVED, 10)
    approved = state_matrix(engine, "KEN", today)
    assert waiting.endswith("Version 2, sent for review through the bot on 2 November 2026: "
                            "awaiting the State's answer (asked by 15 December 2026).")
    assert commented.endswith("comments received on 5 November 2026, under review.")
    assert approved.endswith("approved by the State on 12 November 2026.")
    assert "The figures count version 1" in waiting and "The figures count" not in approved
