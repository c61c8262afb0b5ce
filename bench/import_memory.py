"""Benchmark: peak memory of `outreach import pocs --dry-run` on a 100,000-row file.

    .venv/bin/python bench/import_memory.py [--rows 100000] [--format csv|xlsx|both]

Writes an invented PoC file (`--rows` rows, every Member State in turn, one address each on
example.org, the import's columns) as CSV and as XLSX in a temporary folder, makes a SQLite
registry there with `outreach init`, then runs, each in a child process of its own:

- `read_table` alone (what storage/imports/tabular.py keeps of the file);
- the whole `outreach import pocs --dry-run FILE` (reading, validating every row, the
  all-or-nothing pass, rolled back).

It prints each child's own peak resident set (`VmHWM`, read by the child at its end; the
parent's `ru_maxrss` would carry over the image `exec` replaced) and its exit code. Nothing
is timed.

Target: the whole dry run under 200 MiB for 100,000 rows, CSV and XLSX.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import csv
import json
import os
import subprocess
import tempfile

from bench._common import mib, out, vm_hwm_kib

TARGET_MIB = 200
COLUMNS = ("party", "role", "full_name", "title", "agency", "email", "phone", "telegram",
           "language", "timezone", "status")
LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")
REPORT_ENV = "OUTREACH_BENCH_REPORT"


def state_codes() -> list[str]:
    path = Path(__file__).resolve().parents[1] / "storage" / "reference" / "member_states.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["iso3"] for row in csv.DictReader(handle)]


def invented_rows(count: int) -> list[list[str]]:
    codes = state_codes()
    return [
        [codes[index % len(codes)], "national", f"Bench Person {index:06d}",
         "Counsellor" if index % 3 else "", "Ministry of Invented Affairs",
         f"poc{index:06d}@example.org", "", "", LANGUAGES[index % len(LANGUAGES)], "UTC",
         "active"]
        for index in range(count)
    ]


def write_files(folder: Path, count: int) -> dict[str, Path]:
    from openpyxl import Workbook

    rows = invented_rows(count)
    csv_path = folder / "pocs.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    xlsx_path = folder / "pocs.xlsx"
    workbook.save(xlsx_path)
    return {"csv": csv_path, "xlsx": xlsx_path}


def child(mode: str, path: str) -> None:
    """Runs in the child process: one read or one dry run, then report VmHWM."""
    code = 0
    try:
        if mode == "table":
            from storage.imports.tabular import read_table

            table = read_table(Path(path))
            code = 0 if table.columns else 1
        else:
            from bot.cli import main

            sys.argv = ["outreach", "import", "pocs", "--dry-run", path]
            try:
                main()
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
    finally:
        Path(os.environ[REPORT_ENV]).write_text(json.dumps({"hwm": vm_hwm_kib(), "code": code}))


def measure(mode: str, path: Path, env: dict[str, str], report: Path) -> tuple[float, int]:
    subprocess.run([sys.executable, __file__, "--child", mode, str(path)], env=env,
                   check=False, stdout=subprocess.DEVNULL)
    data = json.loads(report.read_text())
    return mib(data["hwm"]), int(data["code"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "xlsx", "both"), default="both")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    formats = ("csv", "xlsx") if args.format == "both" else (args.format,)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        files = write_files(folder, args.rows)
        report = folder / "report.json"
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("OUTREACH_")}
        env |= {"OUTREACH_DATA_DIR": str(folder / "data"), "OUTREACH_ACTOR": "bench",
                REPORT_ENV: str(report)}
        subprocess.run([sys.executable, "-c", "from bot.cli import main; main()", "init"],
                       env=env, check=True, stdout=subprocess.DEVNULL,
                       cwd=Path(__file__).resolve().parents[1])
        out(f"{args.rows} rows; peak RSS of each child (VmHWM); target: dry run < {TARGET_MIB} MiB")
        out("| file | size | read_table alone | import pocs --dry-run | exit code |")
        out("|---|---:|---:|---:|---:|")
        failed = False
        for fmt in formats:
            path = files[fmt]
            table_mib, _ = measure("table", path, env, report)
            whole_mib, code = measure("import", path, env, report)
            failed |= code != 0 or whole_mib >= TARGET_MIB
            out(f"| {fmt} | {mib(path.stat().st_size / 1024):.1f} MiB | {table_mib:.0f} MiB "
                f"| {whole_mib:.0f} MiB | {code} |")
        sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
