"""Benchmark: rows a second, CPU time and peak memory of `outreach import pocs`.

    .venv/bin/python bench/import_pocs.py [--backend sqlite|postgresql|both]
        [--rows 2000,20000] [--profile DIR]

For each backend and size, a throw-away registry (bench/_common.py) and three invented PoC
files of `--rows` rows on example.org, every column of the import used: Member States and
organisations in turn (an organisation's coordinator with a region), every fourth PoC with
a second address, some with a phone number, a Telegram handle, a date notified, the six UN
languages, the time zone given or left to the State's default. Then, each command in a child
process of its own (which times its own `main()`, wall and CPU, and reads its own `VmHWM`):

1. `new`: `--dry-run`, then the real import, into the empty registry (every row created);
2. `same`: the same file again, dry run and real (every row unchanged, nothing written);
3. `changed`: the file with every title changed, dry run and real (every row updated).

The parent checks each command's counts ("N created, ...") against what it must report and
prints rows/s (rows over the child's wall time of `main()`, reading the file included),
the CPU seconds and the peak RSS. `--profile DIR` runs cProfile in each child.

Target: >= 3,000 rows a second on the 20,000-row file, dry run and real, both backends;
peak memory flat in the file's size.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import csv
import json
import os
import re
import subprocess
import tempfile

from bench._common import (
    BACKENDS,
    PROFILE_ENV,
    REPORT_ENV,
    Backend,
    database,
    mib,
    out,
    run_cli_timed,
)

TARGET_ROWS_PER_SECOND = 3_000
COLUMNS = ("party", "role", "full_name", "title", "agency", "email", "phone", "telegram",
           "language", "timezone", "status", "date_notified", "region")
LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")
REFERENCE = Path(__file__).resolve().parents[1] / "storage" / "reference"
# (label, file, dry run, what the command must report)
Step = tuple[str, str, bool, str]


def codes(filename: str, column: str) -> list[str]:
    with (REFERENCE / filename).open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def invented_row(index: int, states: list[str], organisations: list[str],
                 title: str) -> list[str]:
    """One invented PoC: every tenth an organisation's coordinator, the rest a State's."""
    organisation = index % 10 == 9
    party = (organisations[index % len(organisations)] if organisation
             else states[index % len(states)])
    emails = f"poc{index:06d}@example.org"
    if index % 4 == 3:
        emails += f";poc{index:06d}.office@example.org"
    return [
        party, "coordinator" if organisation else "national", f"Bench Person {index:06d}",
        title if index % 3 else "", "Ministry of Invented Affairs", emails,
        f"+1 202 555 {index % 10_000:04d}" if index % 3 == 1 else "",
        f"@bench_{index:06d}" if index % 5 == 2 else "",
        LANGUAGES[index % len(LANGUAGES)], "UTC" if index % 2 else "", "active",
        "2024-05-0" + str(1 + index % 9) if index % 7 == 0 else "",
        f"Invented Region {index % 5}" if organisation else "",
    ]


def write_file(path: Path, count: int, title: str) -> None:
    states, organisations = codes("member_states.csv", "iso3"), codes("organisations.csv",
                                                                      "acronym")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for index in range(count):
            writer.writerow(invented_row(index, states, organisations, title))


def child(arguments: list[str]) -> None:
    run_cli_timed(["import", "pocs", *arguments])


def steps(count: int) -> list[Step]:
    nothing = f"0 created, 0 updated, {count} unchanged"
    titled = count - (count + 2) // 3  # rows whose index is not a multiple of 3 have a title
    changed = f"0 created, {titled} updated, {count - titled} unchanged"
    return [
        ("new", "new.csv", True, f"would create {count}, update 0 and leave 0 unchanged"),
        ("new", "new.csv", False, f"{count} created, 0 updated, 0 unchanged"),
        ("same", "new.csv", True, f"would create 0, update 0 and leave {count} unchanged"),
        ("same", "new.csv", False, nothing),
        ("changed", "changed.csv", True,
         f"would create 0, update {titled} and leave {count - titled} unchanged"),
        ("changed", "changed.csv", False, changed),
    ]


def run_step(step: Step, count: int, backend: Backend, env: dict[str, str], folder: Path,
             profile: Path | None) -> float:
    """One command; prints its line and returns its rows a second (0 when it failed)."""
    label, filename, dry_run, expected = step
    report = folder / "report.json"
    report.unlink(missing_ok=True)
    run_env = dict(env)
    if profile is not None:
        mode = "dry" if dry_run else "real"
        run_env[PROFILE_ENV] = str(profile / f"import-{backend}-{count}-{label}-{mode}.prof")
    arguments = ["--child", *(["--dry-run"] if dry_run else []), str(folder / filename)]
    done = subprocess.run([sys.executable, __file__, *arguments], env=run_env, check=False,
                          capture_output=True, text=True)
    if not report.exists():
        out(done.stdout + done.stderr)
        raise SystemExit(f"the child ended without its report (exit {done.returncode})")
    data = json.loads(report.read_text())
    said = " ".join(done.stdout.split())
    good = data["code"] == 0 and re.search(re.escape(expected), said) is not None
    rate = count / data["seconds"] if good else 0.0
    out(f"| {backend} | {count:,} | {label} | {'dry run' if dry_run else 'real'} "
        f"| {data['seconds']:.2f} | {rate:,.0f} | {data['cpu']:.2f} "
        f"| {1000 * data['cpu'] / count:.2f} | {mib(data['hwm']):.0f} MiB "
        f"| {'ok' if good else 'WRONG'} |")
    if not good:
        out(f"    expected {expected!r}; got: " + (said + " " + done.stderr)[:1500])
    return rate


def measure(backend: Backend, count: int, profile: Path | None) -> list[float]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_file(folder / "new.csv", count, "Counsellor")
        write_file(folder / "changed.csv", count, "Minister-Counsellor")
        with database(backend, folder) as url:
            env = {key: value for key, value in os.environ.items()
                   if not key.startswith("OUTREACH_")}
            env |= {"OUTREACH_DATA_DIR": str(folder / "data"), "OUTREACH_ACTOR": "bench",
                    "OUTREACH_DATABASE_URL": url, REPORT_ENV: str(folder / "report.json")}
            return [run_step(step, count, backend, env, folder, profile)
                    for step in steps(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default="both")
    parser.add_argument("--rows", default="2000,20000",
                        help="Comma-separated numbers of rows (default 2000,20000).")
    parser.add_argument("--profile", type=Path, help="Write cProfile stats of each child here.")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    backends: tuple[Backend, ...] = BACKENDS if args.backend == "both" else (args.backend,)
    sizes = [int(size) for size in args.rows.split(",")]
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
    out(f"load average before: {Path('/proc/loadavg').read_text().strip()}")
    out("| backend | rows | file | run | seconds | rows/s | CPU s | CPU ms/row | peak RSS "
        "| counts |")
    out("|---|---:|---|---|---:|---:|---:|---:|---:|---|")
    slowest = float("inf")
    for backend in backends:
        for count in sizes:
            rates = measure(backend, count, args.profile)
            if count == max(sizes):
                slowest = min(slowest, *rates)
    out(f"load average after: {Path('/proc/loadavg').read_text().strip()}")
    met = slowest >= TARGET_ROWS_PER_SECOND
    out(f"slowest run at {max(sizes):,} rows: {slowest:,.0f} rows/s; target "
        f">= {TARGET_ROWS_PER_SECOND:,}: {'met' if met else 'NOT met'}")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
