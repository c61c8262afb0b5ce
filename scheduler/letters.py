"""When a party that was written to and asked for a response is owed a reminder: a pure
function of the letter's due date, the party's response or promise, and nothing else.

- No response: reminded from the day after the due date (the due date itself is in time).
- A response (substantive or not, by any road): never reminded for this letter again.
- A promise ("we will respond by DATE"): reminded from the day after the later of the due
  date and the promised date; a promise that passes without a response starts them again.
- A document the party sent as its response, while staff have not decided on it: not
  reminded (whatever else holds); confirmed, it is a response; declined, the rules above
  apply again as if it had never come.

The reminders themselves follow the letter's policy (cadence, maximum, escalation) in
scheduler/reminders.py, target "unanswered_letter".
"""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Answer:
    promise: bool  # True: "we will respond by promised_by"; False: a response
    promised_by: date | None = None


def remind_from(due_on: date, answer: Answer | None,
                under_review: bool = False) -> date | None:
    """The first day the party may be reminded; None when it answered, or while a document
    it sent as its response is `under_review`."""
    if under_review:
        return None
    if answer is None:
        return due_on + timedelta(days=1)
    if not answer.promise:
        return None
    promised = answer.promised_by or due_on
    return max(due_on, promised) + timedelta(days=1)


def owed(due_on: date, answer: Answer | None, today: date, under_review: bool = False) -> bool:
    """Whether the party is late with its answer today."""
    start = remind_from(due_on, answer, under_review)
    return start is not None and today >= start
