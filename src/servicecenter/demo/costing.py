"""The demo's costing: a 2025 ledger as a SIE 4 file, a cost model, a run, price lists and a what-if.

Published figures matched (seed 000): Tabell 3, costs per kind 2025 (mnkr): personnel 1,020.5,
premises 215.1, other operating 292.2, financial 5.1, depreciation 67.0, total 1,600.0 (exact tkr
in ``ledgers``); after allocation, administrative services 597.6 (Tabell 4) and the local state
service 1,002.3 (Tabell 5). How these split over cost centres, keys and services is
illustrative. The ledger is written as a real SIE 4 file and imported through the same importer
a user would use.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from servicecenter.apps.costing import pricing, setup
from servicecenter.apps.costing import services as costing
from servicecenter.apps.costing.models import CostModel
from servicecenter.apps.metering.models import Volume
from servicecenter.apps.registry.models import Process, Provider, Service
from servicecenter.core.money import round_ore, split_largest_remainder
from servicecenter.demo.files import import_file
from servicecenter.demo.ledgers import (
    ACCOUNTS,
    ACTIVITIES,
    ACTIVITY_COSTS,
    ADMINISTRATIVE,
    COSTS,
    TKR,
    activity_costs,
    add_revenue,
    post,
    split_matrix,
)
from servicecenter.formats.sie import Ledger, write_sie

MNKR = Decimal(1_000_000)
# Tabell 3 (2025): account, name, amount (the exact tkr are in ``ledgers.COSTS``)
COST_KINDS = [(account, ACCOUNTS[account], Decimal(tkr) * TKR) for account, tkr in COSTS[2025].items()]
# Administrative services (Tabell 4: 597.6) and the local state service (Tabell 5: 1,002.3), exact
# tkr chosen in ``ledgers`` so that Tabell 1, 4, 5, 6 and 21 all round to their printed figures.
TABELL_4_COST = (Decimal(ACTIVITY_COSTS[2025]["ADM"]) + ACTIVITY_COSTS[2025]["ADM-OVR"]) * TKR
TABELL_5_COST = sum((Decimal(ACTIVITY_COSTS[2025][a]) for a in ACTIVITY_COSTS[2025] if a not in ADMINISTRATIVE), Decimal(0)) * TKR
# cost centre: (name, pool code, pool kind, weight of each cost kind by account prefix)
CENTRES = {
    "010": ("Ledning och stab", "ledning", "support", {"4": 4, "5": 3, "8": 30, "7": 2}),
    "020": ("IT", "it", "support", {"4": 6, "5": 30, "8": 20, "7": 45}),
    "030": ("HR", "hr", "support", {"4": 3, "5": 2, "8": 0, "7": 1}),
    "040": ("Lokaler och service", "lokaler", "support", {"4": 1, "50": 100, "5": 3, "8": 10, "7": 6}),
    "050": ("Kundservice", "kundservice", "support", {"4": 4, "5": 2, "8": 0, "7": 1}),
    "110": ("Lön, produktion", "lon", "production", {"4": 14, "5": 15, "8": 15, "7": 18}),
    "120": ("Redovisning, produktion", "redovisning", "production", {"4": 9, "5": 10, "8": 10, "7": 10}),
    "130": ("E-handel, produktion", "ehandel", "production", {"4": 3, "5": 9, "8": 5, "7": 9}),
    "210": ("Servicekontor", "lss-kontor", "activity", {"4": 52, "5": 22, "8": 10, "7": 6}),
    "220": ("Lokal statlig service, stab", "lss-stab", "activity", {"4": 4, "5": 4, "8": 0, "7": 2}),
}
CENTRES_BY_POOL = {spec[1]: spec[0] for spec in CENTRES.values()}
PROCESS_OF_POOL = {"lon": ("lon", "loneadministration"), "redovisning": ("redovisning", "leverantorsreskontra"), "ehandel": ("ehandel", "inkop")}
SERVICES_OF_PROCESS = {"lon": {"lon": 90, "lon-tillagg": 10}, "redovisning": {"redovisning": 90, "kundfaktura": 10}, "ehandel": {"ehandel": 100}}  # percent
CURRENT_PRICE_FACTORS = {"lon": Decimal("1.07"), "lon-tillagg": Decimal("0.92"), "redovisning": Decimal("1.04"), "kundfaktura": Decimal("0.80"), "ehandel": Decimal("0.96")}
FEE_REVENUE = Decimal(617_380) * TKR   # Tabell 4, Intäkter, avgifter (617.4)


def _weight(weights: dict[str, int], account: str) -> int:
    return weights.get(account[:2], weights.get(account[:1], 0))


def _centre_costs(shift: Decimal) -> dict[tuple[str, str], Decimal]:
    """(account, cost centre) → the year's amount; ``shift`` kronor of salaries move from payroll
    production to the offices."""
    cells = {}
    for account, _name, amount in COST_KINDS:
        weights = {code: _weight(spec[3], account) for code, spec in CENTRES.items()}
        amounts = split_largest_remainder(amount, {c: w for c, w in weights.items() if w}, step=Decimal(1))
        if account == "4011":
            amounts["110"] -= shift
            amounts["210"] += shift
        cells.update({(account, centre): value for centre, value in amounts.items()})
    return cells


def _ledger(shift: Decimal) -> Ledger:
    """The year's ledger by account, cost centre (dimension 1) and activity (dimension 6). Each
    cost centre's costs spread over the activities so that each activity carries its full cost
    (as after the agency's period-end allocation); cost-centre totals are untouched."""
    ledger = Ledger(source="demo", company="Statens servicecenter (demo)", org_number="202100-6255",
                    year_start=date(2025, 1, 1), year_end=date(2025, 12, 31))
    ledger.accounts = dict(ACCOUNTS)
    ledger.dimensions = {"1": "Kostnadsställe", "6": "Verksamhet"}
    ledger.objects = {("1", code): name for code, (name, *_rest) in CENTRES.items()} | {("6", code): name for code, name in ACTIVITIES.items()}
    cells = split_matrix(_centre_costs(shift), activity_costs(2025, TABELL_4_COST))
    post(ledger, 2025, {(account, centre, activity): amount for ((account, centre), activity), amount in cells.items()},
         {code: spec[0] for code, spec in CENTRES.items()})
    add_revenue(ledger, 2025, {activity: "110" if activity in ADMINISTRATIVE else "210" for activity in ACTIVITIES})
    return ledger


def build_costing(ssc: Provider, progress=lambda text: None) -> None:
    rng = random.Random(2025)
    pools = {}
    for code, (name, pool, kind, _weights) in CENTRES.items():
        process = None
        if pool in PROCESS_OF_POOL:
            process = Process.objects.get(area__provider=ssc, area__code=PROCESS_OF_POOL[pool][0], code=PROCESS_OF_POOL[pool][1])
        pools[pool] = setup.save_pool(ssc, code=pool, name=name, kind=kind, process=process)
        setup.add_rule(pools[pool], account_from="4000", account_to="8999", cost_centre=code)
    services = {s.code: s for s in Service.objects.filter(provider=ssc)}

    def key(code, name, basis, weights=None, service=None, receivers="pools"):
        created = setup.save_key(ssc, code=code, name=name, basis=basis, service=service, receivers=receivers)
        if weights:
            setup.set_key_values(created, {r: Decimal(w) for r, w in weights.items()})
        return created

    everyone_but = lambda *excluded: [p for p in pools if p not in excluded]  # noqa: E731
    area = key("yta", "Yta (kvm)", "area", {f"pool:{p}": rng.randint(200, 3000) if not p.startswith("lss") else rng.randint(20000, 30000) for p in everyone_but("lokaler")})
    staff = {f"pool:{p}": rng.randint(20, 400) for p in everyone_but("lokaler", "it", "hr", "ledning")}
    staff["pool:lss-kontor"] = 650
    it_key = key("it-anvandare", "IT-användare", "employees", {**staff, "pool:hr": 40, "pool:ledning": 60})
    hr_key = key("anstallda-hr", "Anställda (HR)", "employees", {**staff, "pool:it": 80, "pool:ledning": 60})
    mgmt_key = key("anstallda-ledning", "Anställda (ledning)", "employees", {**staff, "pool:it": 80, "pool:hr": 40})
    cases = key("arenden", "Ärenden i kundservice", "cases", {"pool:lon": 52000, "pool:redovisning": 31000, "pool:ehandel": 17000})
    process_keys = {pool: key(f"tjanster-{pool}", f"Processens tjänster ({CENTRES_BY_POOL[pool]})", "fixed", {f"service:{s}": w for s, w in split.items()}, receivers="services")
                    for pool, split in SERVICES_OF_PROCESS.items()}
    volume_keys = {code: key(f"volym-{code}", f"Volym: {services[code]}", "volumes", service=services[code])
                   for split in SERVICES_OF_PROCESS.values() for code in split}

    model = setup.save_model(ssc, year=2025, kind=CostModel.Kind.ACTUAL, name="Utfall 2025")
    steps = [
        ("Lokaler efter yta", "direct", {"pool:lokaler": area}),
        ("IT, HR och ledning betjänar varandra", "reciprocal", {"pool:it": it_key, "pool:hr": hr_key, "pool:ledning": mgmt_key}),
        ("Kundservice efter ärenden", "direct", {"pool:kundservice": cases}),
        ("Process till tjänst", "direct", {f"pool:{pool}": process_keys[pool] for pool in SERVICES_OF_PROCESS}),
        ("Tjänst till kund efter volym", "direct", {f"service:{code}": volume_keys[code] for code in volume_keys}),
    ]
    for name, method, sources in steps:
        step = setup.add_step(model, name=name, method=method)
        for source, spread_by in sources.items():
            setup.set_source(step, source=source, key=spread_by)

    # Calibrate: run once, then move salary cost between payroll production and the offices
    # so that the office network ends at Tabell 5's 1,002.3 mnkr (supports are keyed, so the
    # move shifts the final split krona for krona).
    progress("ledger: generating the 2025 SIE 4 file (Tabell 3) and calibrating to Tabell 4 and 5")
    from servicecenter.core.costing import run_model

    unshifted = _centre_costs(Decimal(0))
    trial = run_model({f"pool:{CENTRES[c][1]}": sum((v for (_a, centre), v in unshifted.items() if centre == c), Decimal(0)) for c in CENTRES},
                      costing.model_steps(model))
    office = trial.balances.get("pool:lss-kontor", Decimal(0)) + trial.balances.get("pool:lss-stab", Decimal(0))
    shift = TABELL_5_COST - office
    data = write_sie(_ledger(shift), date(2026, 1, 15))
    import_file("ledger", data, "ssc-huvudbok-2025.se", ssc)
    run = costing.run_cost_model(model)
    office = Decimal(run.balances.get("pool:lss-kontor", "0")) + Decimal(run.balances.get("pool:lss-stab", "0"))
    assert office == TABELL_5_COST and run.total - office == TABELL_4_COST, (office, run.total)

    progress("a what-if model version (premises by employees), and a deviation driver for the behaviour key")
    alternative = costing.copy_model(model, "Tänk om 2025: lokaler efter anställda")
    premises_by_staff = key("yta-som-anstallda", "Anställda (i stället för yta)", "employees", {f"pool:{p}": w for p, w in
                            {**{k.removeprefix("pool:"): v for k, v in staff.items()}, "it": 80, "hr": 40, "ledning": 60}.items()})
    setup.set_source(alternative.steps.get(sources__source="pool:lokaler"), source="pool:lokaler", key=premises_by_staff)
    costing.run_cost_model(alternative)
    extra = set(Volume.objects.filter(provider=ssc, service__code="lon-tillagg").values_list("customer__org_number", flat=True))
    payroll = set(Volume.objects.filter(provider=ssc, service__code="lon").values_list("customer__org_number", flat=True))
    key("avvikelse-lon", "Andel manuella löneunderlag (illustrativ)", "driver",
        {org: Decimal(rng.randint(50, 400)) / 1000 if org in extra else Decimal(rng.randint(0, 50)) / 1000 for org in sorted(payroll)}, receivers="customers")

    progress("price lists: self-cost 2025, the current list, and a what-if with more fixed, keyed prices")
    self_cost = costing.create_price_list(run, "Självkostnadspriser 2025")
    # as a controller sets them on the price-list pages: a version of the self-cost list with the
    # prices changed, published; then a version of that with a fixed part, left as a draft
    current = pricing.new_version(self_cost, "Prislista 2025")
    volumes = costing.yearly_volumes(ssc, 2025)
    planned = {e.service.code: e for e in self_cost.entries.select_related("service")}
    raw_revenue = sum((planned[c].cost_price * CURRENT_PRICE_FACTORS[c] * planned[c].planned_volume for c in planned), Decimal(0))
    scale = FEE_REVENUE / raw_revenue
    for code, entry in planned.items():
        pricing.save_entry(current, entry.service, {"unit_price": round_ore(entry.cost_price * CURRENT_PRICE_FACTORS[code] * scale)})
    pricing.publish(current)
    what_if = pricing.new_version(current, "Mer fasta, fördelade priser (what-if)")
    for entry in current.entries.select_related("service"):
        revenue = entry.unit_price * sum(volumes.get(entry.service.code, {}).values(), Decimal(0))
        pricing.save_entry(what_if, entry.service, {"fixed_pool": round_ore(revenue * Decimal("0.6")), "unit_price": round_ore(entry.unit_price * Decimal("0.4"))})

