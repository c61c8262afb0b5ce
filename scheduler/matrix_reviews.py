"""When a State that was sent its draft matrix for review is owed a reminder: a pure function
of the day it was asked to answer by and where its answer stands, and nothing else.

- No answer ("pending"): reminded from the day after the date it was asked to answer by.
- "Approved": never reminded for this review again (the version is approved).
- "Comments attached": not reminded while the secretariat studies the comments; a revised
  draft is sent as a new review, with reminders of its own.

The reminders themselves follow the review's policy (cadence, maximum, escalation) in
scheduler/reminders.py, target "unapproved_matrix".
"""

from datetime import date, timedelta
from enum import StrEnum


class Stand(StrEnum):
    """Where a State's answer to its draft stands (storage.matrices.review_model.ReviewState)."""

    PENDING = "pending"
    COMMENTS = "comments"
    APPROVED = "approved"


def remind_from(due_on: date, stand: Stand) -> date | None:
    """The first day the State may be reminded; None while it is not to be."""
    if stand is Stand.PENDING:
        return due_on + timedelta(days=1)
    return None


def owed(due_on: date, stand: Stand, today: date) -> bool:
    """Whether the State is late with its answer today."""
    start = remind_from(due_on, stand)
    return start is not None and today >= start
