"""The paper's boundary days stay inside whatever the machine's time zone, far east or far
west of UTC: `outreach import events` then `outreach report` in a process of its own with TZ
set (tests/support/report_tz_child.py). The figures themselves are in
tests/cli/test_paper_outputs.py.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.demo.dataset import write_csv
from bot.demo.events import EVENT_COLUMNS, build_paper_events
from storage.parties import Party, PartyKind
from tests.support.paper_data import PAPER_FROM, PAPER_TO
from tests.support.paths import SUPPORT

# UTC+14 and UTC-11: a date read through a local clock would move by a day.
FAR_EAST, FAR_WEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"
CHILD = SUPPORT / "report_tz_child.py"


@pytest.mark.parametrize(("time_zone", "offset"), [(FAR_EAST, 14), (FAR_WEST, -11)])
def test_boundary_days_stay_inside_in_any_time_zone(
    session: Session, database_url: str, tmp_path: Path, time_zone: str, offset: int
) -> None:
    parties = list(session.exec(select(Party)))
    states = sorted(p.code for p in parties if p.kind == PartyKind.STATE)
    organisations = sorted(p.code for p in parties if p.kind == PartyKind.ORGANISATION)
    events = tmp_path / "events.csv"
    write_csv(build_paper_events(states, organisations), EVENT_COLUMNS, events)
    whole, first, last = (f"{PAPER_FROM}:{PAPER_TO}", f"{PAPER_FROM}:{PAPER_FROM}",
                          f"{PAPER_TO}:{PAPER_TO}")
    env = {**os.environ, "TZ": time_zone, "OUTREACH_DATABASE_URL": database_url,
           "OUTREACH_DATA_DIR": str(tmp_path), "OUTREACH_ACTOR": "cli:test-staff"}
    done = subprocess.run([sys.executable, str(CHILD), str(events), whole, first, last],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr + done.stdout
    counts = json.loads(done.stdout.splitlines()[-1])
    assert counts["utc_offset_hours"] == offset  # the process did run in that zone
    assert counts[whole] == 249
    assert counts[first] == 1  # the first day's event, and not the one the day before
    assert counts[last] == 1  # the last day's event, and not the one the day after
