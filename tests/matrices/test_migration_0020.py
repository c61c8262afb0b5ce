"""Migration 0020 on each backend: after it, the policy and inbox checks take the new target
and purpose and still refuse unknown ones; the way back is refused while a review policy
exists, and leaves the checks as 0019 had them."""

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from storage.db import alembic_config, migrate, schema_is_current, session_scope
from tests.storage.test_assistance_conference_migration import fresh  # noqa: F401
from tests.support.outbox import NOW

POLICY = ("INSERT INTO reminder_policy (name, target, template, channels, cadence_days,"
          " first_send_on, max_reminders, escalate_to, paused, created_by, created_at)"
          " VALUES (:name, :target, 'reminder_matrix', '[]', 30, '2026-12-16', 3,"
          " 'other_pocs', true, 'test', :now)")


def _policy(engine: Engine, target: str, name: str) -> None:
    with session_scope(engine) as session:
        session.execute(text(POLICY), {"name": name, "target": target, "now": NOW})


def test_the_new_target_is_taken_after_0020_and_refused_after_its_way_back(
    fresh: Engine,  # noqa: F811
) -> None:
    migrate(fresh)
    assert schema_is_current(fresh)
    _policy(fresh, "unapproved_matrix", "review-1 (invented)")
    with pytest.raises(IntegrityError):
        _policy(fresh, "unapproved_anything", "nonsense (invented)")
    with pytest.raises(RuntimeError, match="belong to matrix reviews"):
        command.downgrade(alembic_config(fresh), "0019")
    with session_scope(fresh) as session:
        session.execute(text("DELETE FROM reminder_policy"))
    command.downgrade(alembic_config(fresh), "0019")
    with pytest.raises(IntegrityError):
        _policy(fresh, "unapproved_matrix", "review-2 (invented)")
    _policy(fresh, "unanswered_letter", "letter-1 (invented)")
    migrate(fresh)
    assert schema_is_current(fresh)
    _policy(fresh, "unapproved_matrix", "review-3 (invented)")
