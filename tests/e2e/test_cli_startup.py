"""`outreach` starts without the libraries only some commands use.

`outreach --help`, `status` and `states` are what people and cron jobs run most; they used to
import matplotlib, numpy, openpyxl and more at start and took seconds (20 s on a busy
machine). Each case runs the CLI in a fresh interpreter, the only place that shows what an
import brings, and reads back which of these libraries were loaded. Nothing is timed:
bench/startup.py measures the time.
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# Charts, XLSX, the Telegram bot and the service, SMTP: never for the everyday commands.
NOT_EVERYDAY = frozenset({"matplotlib", "numpy", "PIL", "openpyxl", "telegram", "tornado",
                          "apscheduler", "aiosmtplib"})
# Contacts' validation, dates in words, Markdown, migrations: loaded by the commands using them.
NOT_ON_IMPORT = NOT_EVERYDAY | {"phonenumbers", "email_validator", "babel", "markdown_it",
                                "alembic"}

# Imports the CLI, notes the watched libraries, runs the command as the console script does,
# and reports on stderr's last line (the command's own output stays on stdout).
CHILD = f"""
import json, sys
watched = {sorted(NOT_ON_IMPORT)!r}
def loaded():
    return sorted(name for name in watched if name in sys.modules)
from bot.cli import app
on_import = loaded()
code = 0
try:
    app(sys.argv[1:], prog_name="outreach")
except SystemExit as stop:
    code = stop.code or 0
sys.stderr.write("\\n" + json.dumps({{"on_import": on_import, "after": loaded(), "code": code}}))
"""


@dataclass(frozen=True)
class Run:
    output: str
    on_import: list[str]  # watched libraries loaded by `import bot.cli`
    after: list[str]  # ... and once the command has finished


def run_cli(database_url: str, data_dir: Path, *args: str) -> Run:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("OUTREACH_")}
    env |= {"OUTREACH_DATABASE_URL": database_url, "OUTREACH_DATA_DIR": str(data_dir),
            "OUTREACH_ACTOR": "cli:test-startup"}
    done = subprocess.run([sys.executable, "-c", CHILD, *args], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    try:
        report = json.loads(done.stderr.rstrip().rsplit("\n", 1)[-1])
    except json.JSONDecodeError:
        pytest.fail(f"outreach {' '.join(args)} did not finish:\n{done.stderr[-2000:]}")
    assert report["code"] == 0, done.stderr
    return Run(done.stdout, [str(n) for n in report["on_import"]],
               [str(n) for n in report["after"]])


@pytest.mark.parametrize(("args", "expected", "not_loaded"), [
    (("--help",), "Outreach coordination", NOT_EVERYDAY | {"alembic"}),
    (("status",), "Reporting status (193 Member States)", NOT_EVERYDAY),
    (("states",), "AFG", NOT_EVERYDAY),
    (("report", "--format", "json"), '"outreach"', NOT_EVERYDAY),
], ids=["help", "status", "states", "report-json"])
def test_everyday_commands_run_without_charts_spreadsheets_or_the_bot(
    database_url: str, tmp_path: Path, args: tuple[str, ...], expected: str,
    not_loaded: frozenset[str],
) -> None:
    run = run_cli(database_url, tmp_path / "data", *args)
    assert expected in run.output
    assert run.on_import == []
    assert not_loaded.isdisjoint(run.after), f"outreach {' '.join(args)} loaded {run.after}"


def test_the_html_report_loads_what_its_page_needs(database_url: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    run = run_cli(database_url, tmp_path / "data", "report", "--format", "html",
                  "--out", str(page))
    assert "<!DOCTYPE html>" in page.read_text(encoding="utf-8")
    assert "matplotlib" in run.after
