"""Run make targets one after another and print how long each took: ``stages.py T1 T2 ...``.

``make test`` runs its stages through this so that the end of its output says where the time
went (CI stops at 90 minutes; the suite's budget is 30). It stops at the first stage that fails,
as make would, and prints the times of the stages run so far either way.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def main(stages: list[str]) -> int:
    make = os.environ.get("MAKE", "make")
    done: list[tuple[str, float, int]] = []
    started = time.perf_counter()
    code = 0
    for stage in stages:
        began = time.perf_counter()
        code = subprocess.call([make, "--no-print-directory", stage])
        done.append((stage, time.perf_counter() - began, code))
        if code:
            break
    total = time.perf_counter() - started
    width = max(len(stage) for stage in stages)
    print("\nmake test: time of each stage", flush=True)
    for stage, seconds, result in done:
        print(f"  {stage:<{width}}  {int(seconds // 60):3d} min {seconds % 60:4.1f} s{'   FAILED' if result else ''}")
    for stage in stages[len(done):]:
        print(f"  {stage:<{width}}  not run")
    print(f"  {'total':<{width}}  {int(total // 60):3d} min {total % 60:4.1f} s", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
