"""When a party that owes a letter an answer may be reminded: the pure rules at their edges
(scheduler.letters, and the "unanswered_letter" target of scheduler.reminders)."""

from datetime import UTC, date, datetime

import pytest

from scheduler.letters import Answer, owed, remind_from
from scheduler.reminders import Contact, Policy, StateStatus, Target, plan

DUE = date(2020, 7, 31)


@pytest.mark.parametrize(("answer", "today", "late"), [
    (None, date(2020, 7, 30), False),
    (None, DUE, False),  # the due date itself is in time
    (None, date(2020, 8, 1), True),
    (Answer(promise=False), date(2021, 1, 1), False),  # answered: never again
    (Answer(promise=True, promised_by=date(2020, 9, 30)), date(2020, 8, 1), False),
    (Answer(promise=True, promised_by=date(2020, 9, 30)), date(2020, 9, 30), False),
    (Answer(promise=True, promised_by=date(2020, 9, 30)), date(2020, 10, 1), True),
    # a promise made for a day before the due date does not bring the reminders forward
    (Answer(promise=True, promised_by=date(2020, 7, 15)), date(2020, 7, 20), False),
    (Answer(promise=True, promised_by=date(2020, 7, 15)), date(2020, 8, 1), True),
])
def test_a_party_is_late_from_the_day_after_its_due_or_promised_date(
    answer: Answer | None, today: date, late: bool
) -> None:
    assert owed(DUE, answer, today) is late


@pytest.mark.parametrize("answer", [
    None, Answer(promise=True, promised_by=date(2020, 9, 30)),
    Answer(promise=True, promised_by=date(2020, 7, 15))])
def test_a_document_under_review_holds_the_reminders_whatever_else_holds(
    answer: Answer | None
) -> None:
    for today in (date(2020, 8, 1), date(2020, 10, 1), date(2021, 6, 1)):
        assert owed(DUE, answer, today, under_review=True) is False
    assert remind_from(DUE, answer, under_review=True) is None
    assert owed(DUE, answer, date(2021, 6, 1)) is True  # decided: the rules above again


def test_an_answered_party_has_no_first_reminder_day() -> None:
    assert remind_from(DUE, Answer(promise=False)) is None
    assert remind_from(DUE, None) == date(2020, 8, 1)


LETTER_POLICY = Policy(id=5, target=Target.UNANSWERED_LETTER, cadence_days=30,
                       first_send_on=date(2020, 8, 1), max_reminders=2, letter_id=9)
ORGANISATION = 300  # a party id
OWES = StateStatus(party_id=ORGANISATION, electoral_group=None, first_report_on=None,
                   last_submission_on=None, is_state=False,
                   letters_owed=((9, date(2020, 8, 1)),))
NEVER_REPORTED_STATE = StateStatus(party_id=10, electoral_group="AFR", first_report_on=None,
                                   last_submission_on=None)
CONTACTS = [Contact(poc_id=1, party_id=ORGANISATION, national=False),
            Contact(poc_id=2, party_id=10, national=True)]


def test_a_letter_policy_reminds_only_the_parties_that_owe_it_an_answer() -> None:
    now = datetime(2020, 8, 1, 9, 0, tzinfo=UTC)
    result = plan([LETTER_POLICY], [OWES, NEVER_REPORTED_STATE], CONTACTS, [], now)
    assert [(d.party_id, d.poc_ids) for d in result.due] == [(ORGANISATION, (1,))]
    before = plan([LETTER_POLICY], [OWES], CONTACTS, [], datetime(2020, 7, 31, 23, 0, tzinfo=UTC))
    assert before.due == []


def test_an_organisation_is_never_reminded_by_a_reporting_policy() -> None:
    reporting = Policy(id=1, target=Target.NO_FIRST_REPORT, cadence_days=90,
                       first_send_on=date(2020, 1, 1), max_reminders=8)
    now = datetime(2020, 8, 1, 9, 0, tzinfo=UTC)
    result = plan([reporting], [OWES, NEVER_REPORTED_STATE], CONTACTS, [], now)
    assert [d.party_id for d in result.due] == [10]


def test_another_letters_policy_does_not_remind_for_this_one() -> None:
    other = Policy(id=6, target=Target.UNANSWERED_LETTER, cadence_days=30,
                   first_send_on=date(2020, 8, 1), max_reminders=2, letter_id=10)
    now = datetime(2020, 9, 1, 9, 0, tzinfo=UTC)
    assert plan([other], [OWES], CONTACTS, [], now).due == []
