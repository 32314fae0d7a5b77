"""Benchmark: a billing run for the national synthetic data set, one month: 300 customers ×
60 services (every customer buys every service: 18,000 invoice lines), through the functions the
billing pages and the API call: ``billing.start_run`` (rating, preview, every draft validated
against both official rule sets), ``billing.approve`` and ``billing.issue`` (rating again,
numbers, XML, every invoice validated again, writes). Target: each step a controller waits for
under 10 s. The baseline in the same run is the run without its validation time, measured by
timing the validator's calls.

Measured in a fresh process on a SQLite file (the default database).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import national_provider, run_cli, table  # noqa: E402

RUN = """
import json, time
from datetime import date
from servicecenter.apps.billing import services as billing
from servicecenter.apps.registry.models import Provider
from servicecenter.core.periods import Period
from servicecenter.formats import peppol
provider = Provider.objects.get(code='bench')
validator = billing.validator()
started = time.perf_counter()
validator.validate(b'<x/>')                      # compile the rule sets here and start the
validator.validate_all([b'<x/>'] * peppol.PARALLEL_FROM)   # workers once, as a running server has
warm = time.perf_counter() - started
spent = {'validate': 0.0, 'documents': 0}
def timed(original):
    def call(documents, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original(documents, *args, **kwargs)
        finally:
            spent['validate'] += time.perf_counter() - started
            spent['documents'] += len(documents)
    return call
validator.validate_all = timed(validator.validate_all)
validator.build_and_validate_all = timed(validator.build_and_validate_all)   # XML built in the workers
started = time.perf_counter()
run = billing.start_run(provider, Period.month(2023, 1), issue_date=date(2023, 2, 3))
previewed = time.perf_counter()
preview_validation = spent['validate']
run = billing.approve(run)
approved = time.perf_counter()
invoices = billing.issue(run)
done = time.perf_counter()
lines = sum(len(invoice['lines']) for invoice in run.preview)
print('RESULT', json.dumps({'total': done - started, 'preview': previewed - started, 'approve': approved - previewed, 'issue': done - approved,
                            'validate': spent['validate'], 'preview_validation': preview_validation, 'documents': spent['documents'],
                            'invoices': len(invoices), 'lines': lines, 'warm': warm, 'findings': len(run.findings),
                            'processes': peppol._cores()}))
"""


def main() -> int:
    from servicecenter.demo.national import generate_national

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        generate_national(data, months=1, coverage=1.0, events=0)
        database = Path(folder) / "bench.sqlite3"
        national_provider(data, database, ("customers", "catalogue", "agreements", "volumes"))
        measured = run_cli("manage", "shell", "-c", RUN, database=database)
    result = json.loads(next(line for line in measured.output.splitlines() if line.startswith("RESULT")).split(" ", 1)[1])
    assert result["invoices"] == 300 and result["lines"] > 17_500, result   # 300 × 60, less the rows whose quantity is 0
    assert result["documents"] >= 300, result   # every document validated at preview (issuing the same bytes needs no second run)
    issue_validation = result["validate"] - result["preview_validation"]
    met = result["preview"] < 10 and result["issue"] < 10
    print(table([
        ("measure (product function)", "seconds", "note"),
        ("validation workers started, rules compiled (once per server process)", f"{result['warm']:.2f}", f"{result['processes']} processes"),
        ("billing.start_run: preview, rating 18,000 lines, validating 300 drafts", f"{result['preview']:.2f}",
         f"of which XML built and validated in the workers {result['preview_validation']:.2f}; {result['findings']} findings; target < 10 s"),
        ("billing.approve", f"{result['approve']:.2f}", ""),
        ("billing.issue: rating again, numbers, the preview's validated XML, writes", f"{result['issue']:.2f}",
         f"of which validation {issue_validation:.2f}; target < 10 s"),
        ("whole run (preview + approve + issue)", f"{result['total']:.2f}", f"{result['invoices']} invoices, {result['lines']:,} lines, peak {measured.peak_mb:.0f} MB (main process)"),
        ("baseline in the same run: the run without its validation", f"{result['total'] - result['validate']:.2f}",
         f"validation {result['validate']:.2f} s for {result['documents']} documents, {1000 * result['validate'] / max(1, result['documents']):.0f} ms each wall time"),
    ]))
    print(f"RESULT preview_seconds={result['preview']:.2f} issue_seconds={result['issue']:.2f} total={result['total']:.2f} "
          f"validation={result['validate']:.2f} target_met={met}")
    return 0 if met else 1

if __name__ == "__main__":
    sys.exit(main())
