"""Benchmark: a billing run for the national synthetic data set, one month: 300 customers ×
60 services (every customer buys every service: 18,000 invoice lines), preview, approval and
issue, with the Peppol XML of every invoice (target: under 10 s), and the time to validate all of
those documents against both official rule sets, which issuing also does before it commits.

Measured in a fresh process on a SQLite file (the default database): ``start_run`` (rating,
preview) + ``approve`` + ``issue`` (rating again, numbers, XML, validation, writes). The
validation time is measured inside the same run by timing the validator's calls.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import run_cli, table  # noqa: E402

SETUP = """
from decimal import Decimal
from servicecenter.apps.registry.models import Provider, Service
from servicecenter.apps.costing.models import PriceList, PriceListEntry
provider = Provider.objects.get(code='bench')
provider.street, provider.postal_code, provider.city, provider.bankgiro = 'Box 1', '80101', 'Gävle', '1234566'
provider.save()
price_list = PriceList.objects.create(provider=provider, year=2023, name='Prislista', status='published')
for index, service in enumerate(Service.objects.filter(provider=provider).order_by('code')):
    PriceListEntry.objects.create(price_list=price_list, service=service, unit_price=Decimal('10.25') + index, vat_category='O', vat_rate=0)
"""

RUN = """
import json, time
from datetime import date
from servicecenter.apps.billing import services as billing
from servicecenter.apps.registry.models import Provider
from servicecenter.core.periods import Period
provider = Provider.objects.get(code='bench')
validator = billing.validator()
validator.validate(b'<x/>')                      # compile the rule sets once, as a running server has
spent = {'validate': 0.0, 'documents': 0}
original = validator.validate
def timed(xml):
    started = time.perf_counter()
    try:
        return original(xml)
    finally:
        spent['validate'] += time.perf_counter() - started
        spent['documents'] += 1
validator.validate = timed
started = time.perf_counter()
run = billing.start_run(provider, Period.month(2023, 1), issue_date=date(2023, 2, 3), validate=False)
previewed = time.perf_counter()
invoices = billing.issue(billing.approve(run))
done = time.perf_counter()
lines = sum(len(invoice['lines']) for invoice in run.preview)
print('RESULT', json.dumps({'total': done - started, 'preview': previewed - started, 'issue': done - previewed, 'validate': spent['validate'],
                            'documents': spent['documents'], 'invoices': len(invoices), 'lines': lines}))
"""


def main() -> int:
    from servicecenter.demo.national import generate_national

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        generate_national(data, months=1, coverage=1.0, events=0)
        database = Path(folder) / "bench.sqlite3"
        run_cli("manage", "migrate", "-v", "0", database=database)
        run_cli("manage", "shell", "-c", "from servicecenter.apps.registry.models import Provider; Provider.objects.get_or_create(code='bench', defaults={'name': 'Bench', 'org_number': '202100-6255', 'kind': 'state_service_centre'})", database=database)
        for kind in ("customers", "catalogue", "agreements", "volumes"):
            run_cli("import", kind, str(data / f"{kind}.csv"), "--provider", "bench", database=database)
        run_cli("manage", "shell", "-c", SETUP, database=database)
        measured = run_cli("manage", "shell", "-c", RUN, database=database)
    result = json.loads(next(line for line in measured.output.splitlines() if line.startswith("RESULT")).split(" ", 1)[1])
    assert result["invoices"] == 300 and result["lines"] > 17_500, result   # 300 × 60, less the rows whose quantity is 0
    without = result["total"] - result["validate"]
    print(table([
        ("measure", "seconds", "note"),
        ("preview (rating 18,000 lines, preview data)", f"{result['preview']:.2f}", ""),
        ("approve + issue (rating again, numbers, XML, validation, writes)", f"{result['issue']:.2f}", ""),
        ("whole run", f"{result['total']:.2f}", f"{result['invoices']} invoices, {result['lines']:,} lines, peak {measured.peak_mb:.0f} MB"),
        ("of which Peppol validation (EN 16931 + Peppol rules)", f"{result['validate']:.2f}", f"{result['documents']} documents, "
         f"{1000 * result['validate'] / max(1, result['documents']):.0f} ms each"),
        ("whole run without validation", f"{without:.2f}", "target < 10 s"),
    ]))
    print(f"RESULT billing_run_seconds={result['total']:.2f} without_validation={without:.2f} validation={result['validate']:.2f} "
          f"target_met={without < 10}")
    return 0 if without < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
