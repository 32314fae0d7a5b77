"""Benchmark: `servicecenter demo --no-serve` on an empty ./var, against the baseline of
migrating an empty database in the same run. Target: under 30 s (#15)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import run_cli, table  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        baseline = run_cli("manage", "migrate", "-v", "0", database=Path(folder) / "empty.sqlite3")
        demo = run_cli("demo", "--no-serve", "--db", str(Path(folder) / "demo.sqlite3"))
    print(table([
        ("measure", "seconds", "peak MB", "ratio to baseline", "target"),
        ("baseline: migrate an empty database", f"{baseline.seconds:.2f}", f"{baseline.peak_mb:.0f}", "1.0", ""),
        ("servicecenter demo --no-serve", f"{demo.seconds:.2f}", f"{demo.peak_mb:.0f}", f"{demo.seconds / baseline.seconds:.1f}", "< 30 s"),
    ]))
    print(f"RESULT demo_build_seconds={demo.seconds:.2f} target_met={demo.seconds < 30}")


if __name__ == "__main__":
    main()
