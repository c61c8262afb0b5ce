"""Benchmark: time and peak memory of `outreach reminders plan --days 120`, 2,000 and 20,000 PoCs.

    .venv/bin/python bench/reminders_plan.py [--backend sqlite|postgresql|both]
        [--pocs 2000,20000] [--days 120] [--profile DIR]

For each backend and each size, a throw-away registry (bench/_common.py) with `--pocs`
invented active PoCs spread over the Member States (national PoCs, the six UN languages,
example.org addresses), the two default policies (`non-reporting`, `no-submission-5-years`)
created as `outreach init` creates them and then resumed, and an invented reporting history:
three States in five have a first report (2005-2014), half of those an update since 2023, so
that both policies have States to remind. Then `outreach reminders plan --days 120` (the
default table) runs in a child process of its own, which times its own `main()` (wall and
CPU time of the process) and reads its own peak resident set (`VmHWM`) at the end; the
parent counts the lines it printed (the plan's rows, the table's header). `--profile DIR`
runs cProfile in the child.

Target: time and memory printed for 2,000 and 20,000 PoCs, growth no worse than linear.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import json
import os
import subprocess
import tempfile
from datetime import UTC, date, datetime

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from bench._common import (
    BACKENDS,
    PROFILE_ENV,
    REPORT_ENV,
    Backend,
    create_pocs,
    database,
    mib,
    out,
    run_cli_timed,
)
from storage.db import make_engine
from storage.parties import Party, PartyKind
from storage.reminders import ReminderPolicy, ensure_default_policies
from storage.submissions import Submission, SubmissionKind


def prepare(url: str, count: int) -> None:
    """The PoCs, the resumed default policies and the reporting history."""
    engine = make_engine(url)
    try:
        create_pocs(engine, count, with_email=True)
        now = datetime.now(UTC)
        with Session(engine) as session:
            ensure_default_policies(session=session, today=now.date(), now=now)
            session.exec(update(ReminderPolicy).values(paused=False))
            states = list(session.exec(select(col(Party.id)).where(
                Party.kind == PartyKind.STATE).order_by(col(Party.code))))
            rows = []
            for index, party_id in enumerate(states):
                if index % 5 >= 3:
                    continue  # two in five never reported
                rows.append({"party_id": party_id, "kind": SubmissionKind.FIRST_REPORT.value,
                             "submitted_on": date(2005 + index % 10, 4, 28), "symbol": "",
                             "note": "", "created_at": now})
                if index % 2:
                    rows.append({"party_id": party_id,
                                 "kind": SubmissionKind.ADDITIONAL_INFO.value,
                                 "submitted_on": date(2023 + index % 3, 6, 1), "symbol": "",
                                 "note": "", "created_at": now})
            session.exec(insert(Submission), params=rows)
            session.commit()
    finally:
        engine.dispose()


def child(arguments: list[str]) -> None:
    run_cli_timed(["reminders", "plan", *arguments])


def measure(backend: Backend, count: int, days: int, folder: Path,
            profile: Path | None) -> tuple[float, float]:
    """One plan over `count` PoCs; its wall and CPU seconds."""
    with database(backend, folder) as url:
        prepare(url, count)
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("OUTREACH_")}
        env |= {"OUTREACH_DATA_DIR": str(folder / "data"), "OUTREACH_ACTOR": "bench",
                "OUTREACH_DATABASE_URL": url, REPORT_ENV: str(folder / "report.json")}
        if profile is not None:
            env[PROFILE_ENV] = str(profile / f"plan-{backend}-{count}.prof")
        done = subprocess.run(
            [sys.executable, __file__, "--child", "--days", str(days)],
            env=env, check=False, capture_output=True, text=True)
        report = folder / "report.json"
        if not report.exists():
            out(done.stdout + done.stderr)
            raise SystemExit(f"the child ended without its report (exit {done.returncode})")
        data = json.loads(report.read_text())
    rows = len(done.stdout.splitlines())
    out(f"| {backend} | {count:,} | {days} | {rows:,} | {data['seconds']:.2f} "
        f"| {data['cpu']:.2f} | {mib(data['hwm']):.0f} MiB | {data['code']} |")
    if data["code"] != 0:
        out("    " + (done.stdout + done.stderr).strip()[:2000])
    return data["seconds"], data["cpu"]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default="both")
    parser.add_argument("--pocs", default="2000,20000",
                        help="Comma-separated numbers of PoCs (default 2000,20000).")
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--profile", type=Path, help="Write cProfile stats of each child here.")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    backends: tuple[Backend, ...] = BACKENDS if args.backend == "both" else (args.backend,)
    sizes = [int(size) for size in args.pocs.split(",")]
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
    out("| backend | PoCs | days | output lines | seconds | CPU s | peak RSS | exit |")
    out("|---|---:|---:|---:|---:|---:|---:|---:|")
    for backend in backends:
        figures = []
        for count in sizes:
            with tempfile.TemporaryDirectory() as name:
                figures.append((count, *measure(backend, count, args.days, Path(name),
                                                args.profile)))
        if len(figures) > 1:
            (small, small_wall, small_cpu), (large, large_wall, large_cpu) = figures[0], figures[-1]
            out(f"{backend}: {large / small:.0f}x the PoCs took {large_wall / small_wall:.1f}x "
                f"the wall time and {large_cpu / small_cpu:.1f}x the CPU time")


if __name__ == "__main__":
    main()
