"""Benchmark: the full cost model of the national synthetic data set, the way a controller runs
it: `costing.services.run_cost_model` (what the model page's "Run" starts as a job: the year's
ledger summed into pools by the pool rules, the steps read with their keys, the allocation, the
run stored) and then `create_price_list` (self-cost ÷ the year's volumes per service, stored).
Target: both under 3 s.

The organisation is built as a user builds it, through the same services the setup pages call
(`costing.setup`): 41 support pools and 60 process pools, each with a ledger account; the 2023
ledger imported with `servicecenter import ledger`; customers, catalogue, agreements and twelve
months of volumes with `servicecenter import`; 10 steps: premises by area (direct), the service
desk by cases (direct), IT, HR, management and the service desk serving each other (reciprocal),
16 further support pools step-down, 4 direct steps (employees, turnover, hours, fixed shares),
each process to its service, and each service to its customers by their volumes of the year
(300 customers × 60 services: 18,000 charges).

Baseline in the same run: `pool_balances`, summing the stored ledger into the pools (the least
any run must do).
"""

from __future__ import annotations

import csv
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import national_billing_database, run_cli, table  # noqa: E402

YEAR = 2023
SUPPORTS, PROCESSES = 40, 60


def write_ledger(path: Path, seed: int = 11) -> None:
    """One account per pool (supports 5000–5039, the service desk 5099, processes 6000–6059),
    twelve months each."""
    rng = random.Random(seed)
    accounts = [str(5000 + i) for i in range(SUPPORTS)] + ["5099"] + [str(6000 + i) for i in range(PROCESSES)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["account", "account_name", "month", "amount"])
        for account in accounts:
            yearly = rng.randint(10**6, 5 * 10**8) / 100
            for month in range(1, 13):
                writer.writerow([account, f"Konto {account}", f"{YEAR}-{month:02d}", f"{yearly / 12:.2f}"])


SETUP = """
import random
from decimal import Decimal
from servicecenter.apps.costing import setup
from servicecenter.apps.costing.models import AllocationKey, CostModel, CostPool
from servicecenter.apps.registry.models import Provider, Service

provider = Provider.objects.get(code='bench')
rng = random.Random(11)
supports = [setup.save_pool(provider, name=f'Stöd {i:02d}', code=f'stod{i:02d}', kind=CostPool.Kind.SUPPORT) for i in range(SUPPORTS)]
desk = setup.save_pool(provider, name='Servicedesk', code='servicedesk', kind=CostPool.Kind.SUPPORT)
processes = [setup.save_pool(provider, name=f'Process {i:02d}', code=f'p{i:02d}', kind=CostPool.Kind.PRODUCTION) for i in range(PROCESSES)]
for i, pool in enumerate(supports):
    setup.add_rule(pool, account_from=str(5000 + i), account_to=str(5000 + i))
setup.add_rule(desk, account_from='5099', account_to='5099')
for i, pool in enumerate(processes):
    setup.add_rule(pool, account_from=str(6000 + i), account_to=str(6000 + i))
services = list(Service.objects.filter(provider=provider).order_by('code'))[:PROCESSES]

def key_to(name, receivers):
    key = setup.save_key(provider, name=name, basis=AllocationKey.Basis.DRIVER)
    setup.set_key_values(key, {pool.object_name: Decimal(rng.randint(1, 1000)) for pool in receivers})
    return key

model = setup.save_model(provider, name='Självkostnadsmodell', year=YEAR, kind=CostModel.Kind.PLAN)

def step(name, method, sources):
    made = setup.add_step(model, name=name, method=method)
    for pool, key in sources:
        setup.set_source(made, source=pool.object_name, key=key)

step('Lokaler per yta', 'direct', [(supports[0], key_to('Yta', supports[1:] + processes + [desk]))])
step('Servicedesk efter ärenden', 'direct', [(desk, key_to('Ärenden', processes))])
mutual = supports[1:5]
step('IT, HR, ledning och servicedesk', 'reciprocal',
     [(s, key_to(f'Ömsesidig {s.code}', [m for m in mutual if m != s] + supports[5:21] + processes)) for s in mutual])
down = supports[5:21]
step('Stegvis fördelning', 'step_down', [(s, key_to(f'Stegvis {s.code}', down[i + 1:] + supports[21:] + processes)) for i, s in enumerate(down)])
for index, label in enumerate(('anställda', 'omsättning', 'timmar', 'fasta andelar')):
    group, later = supports[21 + index * 5: 26 + index * 5], supports[26 + index * 5:]
    step(f'Fördelning efter {label}', 'direct', [(s, key_to(f'{label} {s.code}', later + processes)) for s in group])
to_service = []
for pool, service in zip(processes, services):
    key = setup.save_key(provider, name=f'Till {service.code}', basis=AllocationKey.Basis.DRIVER, receivers=AllocationKey.Receivers.SERVICES)
    setup.set_key_values(key, {f'service:{service.code}': Decimal(1)})
    to_service.append((pool, key))
step('Process till tjänst', 'direct', to_service)
volumes = setup.save_key(provider, name='Volym av tjänsten', basis=AllocationKey.Basis.VOLUMES)
made = setup.add_step(model, name='Tjänst till kund efter volym', method='direct')
for service in services:
    setup.set_source(made, source=f'service:{service.code}', key=volumes)
print('MODEL', model.pk)
"""

RUN = """
import json, time
from servicecenter.apps.costing import services as costing
from servicecenter.apps.costing.models import CostModel
from servicecenter.core.money import ZERO
model = CostModel.objects.get(pk=MODEL)
started = time.perf_counter()
pools = costing.pool_balances(model.provider, model.year, model.ledger_kind)
baseline = time.perf_counter() - started
started = time.perf_counter()
run = costing.run_cost_model(model)
ran = time.perf_counter() - started
started = time.perf_counter()
price_list = costing.create_price_list(run, 'Prislista från modellen', cap=None)
priced = time.perf_counter() - started
charges = sum(1 for name in run.balances if name.startswith('charge:'))
print('RESULT', json.dumps({'baseline': baseline, 'run': ran, 'price_list': priced, 'steps': model.steps.count(), 'charges': charges,
                           'entries': price_list.entries.count(), 'total': str(run.total), 'stored': str(sum(pools.balances.values(), ZERO)),
                           'unmapped': str(pools.unmapped)}))
"""


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        data, database = national_billing_database(Path(folder), months=12)
        write_ledger(data / "ledger.csv")
        run_cli("import", "ledger", str(data / "ledger.csv"), "--provider", "bench", database=database)
        constants = f"SUPPORTS, PROCESSES, YEAR = {SUPPORTS}, {PROCESSES}, {YEAR}\n"
        built = run_cli("manage", "shell", "-c", constants + SETUP, database=database).output
        model = int(next(line.split()[1] for line in built.splitlines() if line.startswith("MODEL")))
        measured = run_cli("manage", "shell", "-c", RUN.replace("pk=MODEL", f"pk={model}"), database=database)
    result = json.loads(next(line for line in measured.output.splitlines() if line.startswith("RESULT")).split(" ", 1)[1])
    assert result["total"] == result["stored"] and result["unmapped"] == "0", result   # every krona of the ledger reached the model
    seconds = result["run"] + result["price_list"]
    print(table([
        ("measure", "steps", "charges", "seconds", "ratio to baseline", "target"),
        ("baseline: pool_balances (the ledger summed into pools)", "", "", f"{result['baseline']:.3f}", "1", ""),
        ("costing.services.run_cost_model", result["steps"], f"{result['charges']:,}", f"{result['run']:.2f}",
         f"{result['run'] / result['baseline']:,.0f}", ""),
        ("costing.services.create_price_list", "", f"{result['entries']} services", f"{result['price_list']:.2f}",
         f"{result['price_list'] / result['baseline']:,.0f}", ""),
        ("both: what a controller waits for", "", "", f"{seconds:.2f}", f"{seconds / result['baseline']:,.0f}", "< 3 s"),
    ]))
    print(f"RESULT cost_model_seconds={seconds:.2f} target_met={seconds < 3}")
    return 0 if seconds < 3 else 1


if __name__ == "__main__":
    sys.exit(main())
