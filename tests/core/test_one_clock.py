"""#13: one clock. Only ``servicecenter/clock.py`` reads the time; ``core`` reads none."""

import re
from pathlib import Path

import servicecenter

CLOCK_CALLS = re.compile(r"timezone\.now\(|timezone\.localdate\(|timezone\.localtime\(|date\.today\(|datetime\.now\(|datetime\.utcnow\(|\.astimezone\(\)|time\.time\(")


def test_only_the_clock_module_reads_the_time():
    root = Path(servicecenter.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if path == root / "clock.py" or "migrations" in path.parts or path.parts[-2] == "demo" or path.name == "cli.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if CLOCK_CALLS.search(line):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []
