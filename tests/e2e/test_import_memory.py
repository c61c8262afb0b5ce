"""Reading a hostile XLSX file costs memory for what it holds, not for what it claims.

The 1.5 KB sheet claiming `A1:XFD1048576` used to take an import past 3 GiB, and the
shared-string bomb never finished. Each case runs `outreach import pocs --dry-run` in a fresh
interpreter that reports its own peak resident set (VmHWM; `ru_maxrss` would carry over
pytest's, the image `exec` replaced). The bound is generous, four times what such an import
takes (about 100 MiB, mostly the libraries), and an address-space limit stops a regression
long before it could trouble the machine. Nothing is timed: bench/import_memory.py measures
a 100,000-row import.
"""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.hostile_xlsx import claims_the_whole_grid, shared_string_bomb

BOUND_MIB = 400

CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))
from bot.cli import app
code = 0
try:
    app(sys.argv[1:], prog_name="outreach")
except SystemExit as stop:
    code = stop.code or 0
except MemoryError:
    code = "MemoryError"
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
sys.stderr.write("\\n" + json.dumps({"code": code, "peak_kib": peak}))
"""


def import_in_a_child(database_url: str, data_dir: Path, path: Path) -> tuple[object, float]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("OUTREACH_")}
    env |= {"OUTREACH_DATABASE_URL": database_url, "OUTREACH_DATA_DIR": str(data_dir),
            "OUTREACH_ACTOR": "cli:test-memory"}
    done = subprocess.run([sys.executable, "-c", CHILD, "import", "pocs", "--dry-run", str(path)],
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    report = json.loads(done.stderr.rstrip().rsplit("\n", 1)[-1])
    return report["code"], report["peak_kib"] / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
@pytest.mark.parametrize(("make", "exit_code"), [
    (claims_the_whole_grid, 0), (shared_string_bomb, 1)], ids=["whole grid", "string bomb"])
def test_a_hostile_workbook_is_read_within_bounded_memory(
    database_url: str, tmp_path: Path, make: Callable[[Path], Path], exit_code: int
) -> None:
    path = make(tmp_path / "hostile.xlsx")
    code, peak_mib = import_in_a_child(database_url, tmp_path / "data", path)
    assert code == exit_code
    assert peak_mib < BOUND_MIB
