"""A fresh install writes to nobody on its own.

The README's first steps (`outreach init`, `outreach import pocs`, `outreach run`) on a
registry without any reporting history: every State looks "non-reporting", so with the
shipped policies active every PoC would be reminded at start-up. They ship paused: nothing
is queued, nothing reaches the SMTP server or Telegram, and the log says no policy is active.
"""

import subprocess
import time
from pathlib import Path

from sqlmodel import Session, select

from storage.outbox import Delivery, OutboxMessage
from tests.support.fake_bot_api import FakeBotApi
from tests.support.paths import REPO
from tests.support.service import (
    outreach_command,
    running_service,
    service_env,
)
from tests.support.smtp_sink import SmtpSink

# No event says "a sweep and a dispatch ran and sent nothing": once the process leads, let it
# run several ticks (every 0.3 s here) before checking that nothing went out.
TICKS_SECONDS = 1.5


def outreach(args: list[str], env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run([*outreach_command(), *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_init_import_and_run_send_nothing_until_staff_resume_a_policy(
    tmp_path: Path, database_url: str, session: Session
) -> None:
    env = service_env(tmp_path / "data", database_url, 8080)  # no port for these commands
    outreach(["init"], env, tmp_path)
    imported = outreach(["import", "pocs", str(REPO / "examples" / "pocs.csv")], env, tmp_path)
    assert "6 created" in imported  # the example's PoCs, of States with no report recorded
    with SmtpSink() as sink, FakeBotApi() as api:
        with running_service(tmp_path / "service", database_url, {
            "OUTREACH_SMTP_URL": sink.url(),
            "OUTREACH_TELEGRAM_TOKEN": FakeBotApi.TOKEN,
            "OUTREACH_TELEGRAM_API_URL": api.base_url,
            "OUTREACH_DISPATCH_EVERY_SECONDS": "0.3",
            "OUTREACH_SWEEP_EVERY_SECONDS": "0.3",
            # any hour, any day: what is sent must not depend on when the suite runs
            "OUTREACH_WORKING_HOURS_START": "00:00",
            "OUTREACH_WORKING_HOURS_END": "23:59",
            "OUTREACH_WORKING_DAYS": "[0,1,2,3,4,5,6]",
        }) as service:
            service.wait_until_answering()
            service.wait_until_leading()
            time.sleep(TICKS_SECONDS)
            assert service.stop() == 0
            assert "No reminder policy is active" in service.stderr()
        assert sink.messages == [] and api.messages == []
    session.expire_all()
    assert session.exec(select(OutboxMessage)).all() == []
    assert session.exec(select(Delivery)).all() == []
