"""`outreach import events` then `outreach report` in a process of its own, in the machine's
time zone as the TZ environment variable sets it (tests/e2e/test_report_time_zones.py).

    TZ=Pacific/Kiritimati python tests/support/report_tz_child.py EVENTS_CSV FROM:TO [FROM:TO ...]

The database is OUTREACH_DATABASE_URL. Runs the real CLI (one interpreter for every command,
so the spec stays quick), then prints one JSON line: {"FROM:TO": outreach events, ...,
"utc_offset_hours": the local offset the process ran with}.
"""

import json
import sys
import time
from pathlib import Path

# The repository root in place of this script's folder, which Python put first: the
# helpers beside it must never shadow a module of the standard library.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from typer.testing import CliRunner

from bot.cli import app


def main(events_file: str, periods: list[str]) -> None:
    time.tzset()  # the TZ of the environment, as any process on this machine would use it
    runner = CliRunner()
    imported = runner.invoke(app, ["import", "events", events_file], catch_exceptions=False)
    if imported.exit_code != 0:
        raise SystemExit(imported.output)
    counts: dict[str, float] = {"utc_offset_hours": time.localtime().tm_gmtoff / 3600}
    for period in periods:
        start, end = period.split(":")
        result = runner.invoke(app, ["report", "--from", start, "--to", end, "--format",
                                     "json"], catch_exceptions=False)
        if result.exit_code != 0:
            raise SystemExit(result.output)
        counts[period] = int(json.loads(result.output)["outreach"]["events"])
    sys.stdout.write(json.dumps(counts) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
