"""Benchmark: how long `outreach` takes to start, against importing its two base libraries.

    .venv/bin/python bench/startup.py [--runs 15]

The reference is `python -c "import sqlmodel, typer"`, the least any command of a Typer CLI
over SQLModel can cost. Each command is timed as a whole process, as a person or a cron job
starts it, with this script's interpreter (the project's virtual environment):

- `outreach --help`;
- `outreach status` and `outreach states`, on a fresh SQLite registry made by `outreach init`
  in a temporary folder (OUTREACH_DATA_DIR points there; every other OUTREACH_* variable is
  removed, so the machine's own settings play no part).

Runs are paired, to cancel the machine's load as far as possible: `--runs` rounds, each
running, for every command, the reference and the command back to back (in alternating
order from one round to the next). After one warm-up run of each, it prints per command the
median wall time, the median of its paired reference runs, the ratio of the two medians, the
median of the per-pair ratios and the spread of those, and the same ratio in CPU time (user
and system, which a busy machine disturbs less than the wall clock); then the modules each
process imports (`python -X importtime`) and which of the heavy libraries are among them,
and the size of `sys.modules` after `import bot.cli`.

The children may write bytecode (`__pycache__`) even where PYTHONDONTWRITEBYTECODE is set
for this shell: an installed package has it from pip, and a developer's checkout from its
first run, so that timing them recompiling the project's sources on every start would
measure a cost nobody pays.

Target: every `outreach` command within 1.5 x the reference (ratio of medians).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

from bench._common import out

TARGET_RATIO = 1.5
BASELINE = ("-c", "import sqlmodel, typer")
COMMANDS = (("outreach --help", ("--help",)), ("outreach status", ("status",)),
            ("outreach states", ("states",)))
# What a command should load only when it uses it (top-level package names).
HEAVY = ("matplotlib", "numpy", "PIL", "openpyxl", "telegram", "tornado", "apscheduler",
         "aiosmtplib", "markdown_it", "babel", "phonenumbers", "email_validator", "rich",
         "alembic")
MODULE_COUNT = "import sys; import bot.cli; print(len(sys.modules))"


@dataclass
class Pairs:
    command: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    command_cpu: list[float] = field(default_factory=list)
    baseline_cpu: list[float] = field(default_factory=list)

    def ratios(self) -> list[float]:
        return [c / b for c, b in zip(self.command, self.baseline, strict=True)]

    def add(self, command: "Timing", baseline: "Timing") -> None:
        self.command.append(command.wall)
        self.baseline.append(baseline.wall)
        self.command_cpu.append(command.cpu)
        self.baseline_cpu.append(baseline.cpu)

    def cpu_ratio(self) -> float:
        return statistics.median(self.command_cpu) / statistics.median(self.baseline_cpu)


def outreach_script() -> Path:
    """The `outreach` console script of this interpreter's environment."""
    script = Path(sys.executable).parent / "outreach"
    if not script.is_file():
        raise SystemExit(f"no {script}: run with the project's venv (pip install -e .)")
    return script


def child_env(data_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("OUTREACH_") and name != "PYTHONDONTWRITEBYTECODE"}
    return env | {"OUTREACH_DATA_DIR": str(data_dir)}


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # user + system of the process


def run(argv: list[str], env: dict[str, str], cwd: Path) -> Timing:
    """Wall and CPU time of one process, start to exit; it must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: "
                         f"{done.stderr.decode(errors='replace')[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall=seconds, cpu=cpu)


def imported(argv: list[str], env: dict[str, str], cwd: Path) -> list[str]:
    """Every module the process imports, from `-X importtime` (each is listed once)."""
    done = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], env=env, cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          check=True)
    return [line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
            if line.startswith("import time:") and "self [us]" not in line]


def heavy_in(modules: list[str]) -> str:
    found = sorted({name.split(".")[0] for name in modules} & set(HEAVY))
    return ", ".join(found) or "none"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    python, script = sys.executable, str(outreach_script())
    load = os.getloadavg()
    out(f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"Python {sys.version.split()[0]}; {args.runs} paired runs per command")

    with tempfile.TemporaryDirectory(prefix="outreach-startup-") as folder:
        workdir = Path(folder)
        env = child_env(workdir / "data")
        baseline = [python, *BASELINE]
        commands = {name: [python, script, *argv] for name, argv in COMMANDS}
        run([python, script, "init"], env, workdir)
        for argv in (baseline, *commands.values()):  # warm-up: bytecode, page cache
            run(argv, env, workdir)

        pairs = {name: Pairs() for name in commands}
        for round_number in range(args.runs):
            for name, argv in commands.items():
                if round_number % 2 == 0:
                    reference = run(baseline, env, workdir)
                    seconds = run(argv, env, workdir)
                else:
                    seconds = run(argv, env, workdir)
                    reference = run(baseline, env, workdir)
                pairs[name].add(seconds, reference)

        out()
        out(f"  {'command':<24} {'median':>8} {'reference':>10} {'ratio':>6} "
            f"{'pair ratios: median (min-max)':>30} {'cpu ratio':>10}  target <= {TARGET_RATIO}")
        met = True
        for name, measured in pairs.items():
            command_s = statistics.median(measured.command)
            baseline_s = statistics.median(measured.baseline)
            ratio = command_s / baseline_s
            ratios = measured.ratios()
            verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
            if name.startswith("outreach"):
                met = met and ratio <= TARGET_RATIO
            else:
                verdict = "(reference)"
            out(f"  {name:<24} {command_s:7.3f}s {baseline_s:9.3f}s {ratio:6.2f} "
                f"{statistics.median(ratios):16.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
                f" {measured.cpu_ratio():10.2f}  {verdict}")
        every_baseline = [s for measured in pairs.values() for s in measured.baseline]
        out(f"  reference `python -c \"import sqlmodel, typer\"`: median "
            f"{statistics.median(every_baseline):.3f}s over {len(every_baseline)} runs")

        out()
        out("  modules imported by the process (-X importtime), and the heavy ones among them:")
        for name, argv in (("import sqlmodel, typer", baseline), *commands.items()):
            modules = imported(argv, env, workdir)
            out(f"  {name:<24} {len(modules):5d}  heavy: {heavy_in(modules)}")
        counted = subprocess.run([python, "-c", MODULE_COUNT], env=env, cwd=workdir,
                                 capture_output=True, text=True, check=True)
        out(f"  len(sys.modules) after `import bot.cli`: {counted.stdout.strip()}")
    load = os.getloadavg()
    out(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"targets {'met' if met else 'missed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
