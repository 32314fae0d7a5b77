"""The demo's follow-up: Statens servicecenter's fee-financed activities, appropriation and staff
2023–2025 (reproducing seed 000's Tabell 6, 21 and 25 from the demo ledgers), its goals and
metrics, the 2012 productivity measures (seed 001), and 2025–2026 values of the seven
indicators for the coordinated IT operations (seed 004).

Published figures are taken as printed; everything per service, customer or respondent is
invented (illustrative), built so that the totals match.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from servicecenter.apps.costing import pricing
from servicecenter.apps.costing.models import PriceList
from servicecenter.apps.followup import defining
from servicecenter.apps.followup import services as followup
from servicecenter.apps.followup.models import (
    Family,
    IndicatorDefinition,
)
from servicecenter.apps.registry.models import Customer, Provider, Service
from servicecenter.core.indicators import nki_expression
from servicecenter.core.money import from_float, round_ore, round_places
from servicecenter.core.registry import make_orgnr
from servicecenter.demo.files import import_file, import_rows
from servicecenter.demo.ledgers import TKR, history_ledger
from servicecenter.demo.names import invented_names
from servicecenter.formats.sie import write_sie

STOCKHOLM = ZoneInfo("Europe/Stockholm")
D = Decimal

# Tabell 6: (code, name, section, ledger objects, budget 2025 revenue, cost in tkr). The budget
# of administrative services is 610,960 tkr so that the budgets add up to Tabell 21's estimate
# 700,760 (printed 611.0 in Tabell 6).
ACTIVITIES = [
    ("adm", "Tillhandahållande av tjänster avseende administrativt stöd åt myndigheter", "Administrative support services to agencies", "disposed", "ADM", 610_960, 587_500),
    ("ap", "Administration av ålderspension med ersättning från AP-fonderna", "Old-age pension administration, AP funds", "pension", "AP", 45_900, 45_900),
    ("pp", "Administration av ålderspension med ersättning från premiepensionssystemet", "Old-age pension administration, premium pension", "pension", "PP", 7_200, 7_200),
    ("id", "Intäkter från Skatteverket för levererat verksamhetsstöd avseende id-kort", "Revenue from Skatteverket for identity-card support", "estimated", "ID", 29_200, 29_200),
    ("mig", "Intäkter från Migrationsverket avseende allmän service", "Revenue from Migrationsverket for general service", "estimated", "MIG", 7_500, 7_500),
]
# Illustrative budgets for 2023 and 2024 that add up to Tabell 21's estimates (637,475 and 692,383).
EARLIER_BUDGETS = {2024: {"adm": (605_000, 590_000), "ap": (44_000, 44_000), "pp": (7_000, 7_000), "id": (28_883, 28_883), "mig": (7_500, 7_500)},
                   2023: {"adm": (555_000, 560_000), "ap": (40_000, 40_000), "pp": (6_500, 6_500), "id": (28_475, 28_475), "mig": (7_500, 7_500)}}
# Accumulated result of administrative services at the start of 2023: Tabell 21's "balanserad"
# for 2022 (−125,656 tkr), so that t.o.m. 2023 is −129,347 (Tabell 6: −129.3).
OPENING_2023 = {"adm": -125_656}
# Tabell 25 (2025) and Tabell 21: (opening, allocation, withdrawal, adjustment, note). 2023 and 2024
# allocations follow from the credit of 3 % printed in Tabell 21 (27,452 and 28,362 tkr); their
# withdrawal and adjustment are illustrative, chosen to end at Tabell 21's carry-over.
APPROPRIATION = {
    2025: (67_485, 937_147, 20_140, 180, "Förändring av semesterlöneskulden till och med 2009 (årsredovisningen, anmärkning till tabell 26)"),
    2024: (22_477, 945_400, 0, -1_408, "Illustrativt: justering så att utgående överföringsbelopp blir 67 485 tkr som i tabell 21"),
    2023: (22_748, 915_067, 3_638, 0, "Illustrativt: indragning så att utgående överföringsbelopp blir 22 477 tkr som i tabell 21"),
}
STAFF = {2025: (1_300, 1_514), 2024: (1_335, 1_569), 2023: (1_437, 1_660)}   # Tabell 14 (Tabell 21 prints 1,355 for 2024)

# Seed 000's goals with their metrics: (code, name, direction, target, unit, decimals, {year: value}).
# NKI for visitors is computed from survey answers; the other values are entered. Printed values:
# NKI users 68 (67), contact persons 59 (54), partner agencies 80; the rest are illustrative.
GOALS = [
    ("sjalvklara-valet", "Vi är det självklara valet genom att balansera kostnadseffektivitet, service och kvalitet",
     "We are the obvious choice by balancing cost-effectiveness, service and quality",
     "Vi optimerar användningen av resurser och levererar kostnadseffektiva tjänster och service med hög kvalitet och nöjda kunder.", [
         ("forsta-kontakt", "Andel supportärenden lösta vid första kontakt (administrativa tjänster)", "up", 75, "%", 0, {2024: 68, 2025: 66}),
         ("ateroppnade", "Andel återöppnade supportärenden (administrativa tjänster)", "down", 3, "%", 1, {2024: D("4.1"), 2025: D("4.6")}),
         ("nki-besokare", "Nöjd kund index – kund (lokal statlig service)", "up", None, "", 0, None),
         ("nki-samverkan", "Nöjd kund index – samverkansmyndighet (lokal statlig service)", "up", None, "", 0, {2025: 80}),
         ("nki-anvandare", "Nöjd kund index – användare (administrativa tjänster)", "up", None, "", 0, {2024: 67, 2025: 68}),
         ("nki-kontakt", "Nöjd kund index – kontaktpersoner (administrativa tjänster)", "up", None, "", 0, {2024: 54, 2025: 59}),
         ("kundundersokning-samverkan", "Kundundersökning – samverkansmyndighet (lokal statlig service)", "up", None, "", 0, {2024: 71, 2025: 74}),
         ("incidenter", "Antal incidenter inom administrativa tjänster", "down", None, "", 0, {2024: 412, 2025: 371}),
         ("tillganglighet-lon", "Tillgänglighet systemstöd tjänsteleverans löntjänster", "up", D("99.5"), "%", 2, {2024: D("99.81"), 2025: D("99.74")}),
         ("tillganglighet-ekonomi", "Tillgänglighet systemstöd tjänsteleverans ekonomitjänster", "up", D("99.5"), "%", 2, {2024: D("99.62"), 2025: D("99.79")}),
         ("tillganglighet-portal", "Tjänsteleverans systemstöd Portalen", "up", D("99.5"), "%", 2, {2024: D("99.55"), 2025: D("99.71")}),
         ("forandringar", "Andel framgångsrikt genomförda förändringar i systemstöd", "up", 95, "%", 0, {2024: 93, 2025: 96}),
         ("sjuktal", "Andel sjukskrivningar – sjuktal totalt", "down", None, "%", 1, {2024: D("5.9"), 2025: D("5.6")}),
         ("sjuktal-lang", "Andel sjukskrivningar – sjuktal långtidsfrånvaro", "down", None, "%", 1, {2024: D("2.8"), 2025: D("2.5")}),
         ("frisktal", "Andel friska – frisktal", "up", None, "%", 0, {2024: 38, 2025: 41}),
         ("nmi-balans", "Nöjd medarbetarindex – balans mellan arbetsliv och privatliv", "up", None, "", 0, {2024: 71, 2025: 73}),
         ("nmi-utveckling", "Nöjd medarbetarindex – upplevelse av utvecklande arbete", "up", None, "", 0, {2024: 64, 2025: 66}),
     ]),
    ("proaktiva", "Vi är proaktiva och lyhörda i samverkan", "We are proactive and responsive in cooperation",
     "Vi är proaktiva och lyhörda genom ständiga förbättringar med en aktiv dialog som möter våra kund- och samverkansmyndigheters behov och förväntningar.", [
         ("p-nki-kontakt", "Nöjd kundindex – kontaktpersoner (administrativa tjänster)", "up", None, "", 0, {2024: 54, 2025: 59}),
         ("p-kundundersokning", "Kundundersökning – samverkansmyndighet (lokal statlig service)", "up", None, "", 0, {2024: 71, 2025: 74}),
         ("p-incidenter", "Antal incidenter inom tjänsteleverans (administrativa tjänster)", "down", None, "", 0, {2024: 412, 2025: 371}),
     ]),
    ("tillgangliga", "Vi skapar värde genom tillgängliga och säkra tjänster", "We create value through available and secure services",
     "Vår service och våra tjänster är robusta med hög tillgänglighet och säkerhet.", [
         ("t-lon", "Tillgänglighet systemstöd tjänsteleverans löntjänster", "up", D("99.5"), "%", 2, {2024: D("99.81"), 2025: D("99.74")}),
         ("t-ekonomi", "Tillgänglighet systemstöd tjänsteleverans ekonomitjänster", "up", D("99.5"), "%", 2, {2024: D("99.62"), 2025: D("99.79")}),
         ("t-portal", "Tjänsteleverans systemstöd Portalen", "up", D("99.5"), "%", 2, {2024: D("99.55"), 2025: D("99.71")}),
         ("t-oppettider", "Avvikelse från beslutade öppettider (lokal statlig service)", "down", None, "%", 2, {2024: D("0.42"), 2025: D("0.31")}),
         ("t-forandringar", "Andel framgångsrikt genomförda förändringar i systemstöd", "up", 95, "%", 0, {2024: 93, 2025: 96}),
     ]),
    ("attraktiv", "Vi är en attraktiv arbetsgivare genom att vara en utvecklande och hållbar arbetsplats",
     "We are an attractive employer by being a developing and sustainable workplace",
     "Vi behåller och rekryterar rätt kompetens. Vi har nöjda medarbetare som mår bra, trivs och vill utvecklas på jobbet.", [
         ("a-sjuktal", "Andel sjukskrivningar – sjuktal totalt", "down", None, "%", 1, {2024: D("5.9"), 2025: D("5.6")}),
         ("a-sjuktal-lang", "Andel sjukskrivningar – sjuktal långtidsfrånvaro", "down", None, "%", 1, {2024: D("2.8"), 2025: D("2.5")}),
         ("a-frisktal", "Andel friska – frisktal", "up", None, "%", 0, {2024: 38, 2025: 41}),
         ("a-nmi-balans", "Nöjd medarbetarindex – balans mellan arbetsliv och privatliv", "up", None, "", 0, {2024: 71, 2025: 73}),
         ("a-nmi-utveckling", "Nöjd medarbetarindex – upplevelse av utvecklande arbete", "up", None, "", 0, {2024: 64, 2025: 66}),
     ]),
]
# Visitors' NKI: 93 in 2024 and 94 in 2025 (seed 000), from 1,000 illustrative respondents each.
VISITOR_NKI = {2024: 93, 2025: 94}
# Seed 001 (2012): 520 payslips per FTE (Q4), 20,552 supplier invoices per FTE; inputs are
# illustrative numbers that give the published key figures. Seed 000 (Tabell 11, 12): visits and
# errands 2023–2025, whose ratio in 2025 is 1.20 errands per visit.
PRODUCTIVITY_INPUTS = {
    2012: {"payslips": 104_000, "payroll_fte": 200, "supplier_invoices": 1_027_600, "invoice_fte": 50, "calls_within_120s": 6_150, "calls": 7_500},
    2023: {"visits": 2_645_899, "errands": 3_125_459},
    2024: {"visits": 2_758_758, "errands": 3_280_775},
    2025: {"visits": 2_549_189, "errands": 3_061_244},
}
PLO = {2024: D("100.0"), 2025: D("102.4"), 2026: D("104.3")}   # illustrative index values


def build_ssc_followup(ssc: Provider, progress=lambda text: None) -> None:
    progress("follow-up: ledgers 2023–2024, fee-financed activities, appropriation, staff (Tabell 6, 21, 25)")
    for year in (2023, 2024):
        import_file("ledger", write_sie(history_ledger(year), date(year + 1, 1, 20)), f"ssc-huvudbok-{year}.se", ssc)
    # Tabell 6's activities with their budgets and opening results, Tabell 25's appropriation and
    # Tabell 14's staff: imported as the centre's controller imports them
    activities = []
    for code, name_sv, name_en, section, objects, revenue, cost in ACTIVITIES:
        activity = {"activity": code, "name": name_sv, "name_en": name_en, "section": section, "ledger_objects": objects,
                    "balance_goal_year": 2030 if code == "adm" else ""}
        activities.append({**activity, "year": 2025, "budget_revenue": D(revenue) * TKR, "budget_cost": D(cost) * TKR,
                           "source": "Regleringsbrev 2025 (Fi 2024/02559)"})
        activities += [{**activity, "year": year, "budget_revenue": D(budgets[code][0]) * TKR, "budget_cost": D(budgets[code][1]) * TKR,
                        "source": "Illustrativ fördelning av tabell 21:s beräknade belopp"} for year, budgets in EARLIER_BUDGETS.items()]
        activities.append({**activity, "year": 2023, "accumulated_before": D(OPENING_2023.get(code, 0)) * TKR,
                           "source": "Balanserad kapitalförändring 2022, tabell 21" if code in OPENING_2023 else "Ingen balanserad kapitalförändring"})
    import_rows("fee_activities", activities, "avgiftsbelagd-verksamhet.csv", ssc)
    import_rows("appropriations", [{"appropriation": "Uo 02 1:15 ap.2", "name": "Lokal statlig service (ramanslag)", "revenue_accounts": "3711-3711",
                                    "year": year, "opening": D(opening) * TKR, "allocation": D(allocation) * TKR, "withdrawal": D(withdrawal) * TKR,
                                    "adjustment": D(adjustment) * TKR, "adjustment_note": note}
                                   for year, (opening, allocation, withdrawal, adjustment, note) in APPROPRIATION.items()], "anslag.csv", ssc)
    import_rows("staff_years", [{"year": year, "fte": fte, "average_employees": employees, "source": "Årsredovisning, tabell 14"}
                                for year, (fte, employees) in STAFF.items()], "personal.csv", ssc)

    progress("follow-up: goals, metrics, visitor survey and the 2012 productivity measures")
    numerator, denominator = nki_expression(prefix="visitor_")
    metric_values = []
    for code, name_sv, name_en, statement, metrics in GOALS:
        goal = defining.define_goal(ssc, code=code, name_sv=name_sv, name_en=name_en, statement_sv=statement)
        for index, (metric, label, direction, target, unit, decimals, values) in enumerate(metrics, start=1):
            row = {"code": metric, "position": index, "name_sv": label, "name_en": "", "direction": direction, "target": target, "unit": unit, "decimals": decimals,
                   "numerator": metric.replace("-", "_"), "denominator": "", "aggregation": "none"}
            if values is None:  # from the visitor survey
                row.update(numerator=numerator, denominator=denominator, factor=100)
            followup.ensure_definitions(ssc, Family.OWN, [row], valid_from=2024, baseline=2024)
            IndicatorDefinition.objects.filter(provider=ssc, code=metric).update(goal=goal)
            metric_values += [{"element": metric.replace("-", "_"), "level": "organisation", "subject": ssc.code, "year": year, "value": D(value),
                               "source": "Demo: illustrativt värde" if "nki" not in metric else "Årsredovisning 2025 (seed 000)"}
                              for year, value in (values or {}).items()]
    import_rows("indicator_data", metric_values, "matvarden-illustrativa.csv", ssc)   # as the controller imports the year's numbers
    rng = random.Random(94)
    answers = []   # the visitor surveys' answers, imported as the survey firm's file is
    for year, target in VISITOR_NKI.items():
        design = {"population": 2_500_000, "sample_size": 1_000, "fieldwork": "oktober",
                  "sample_design": "Systematiskt urval av besökare på samtliga servicekontor under två veckor i oktober; svar på plats via surfplatta. "
                                   "1 000 svar (illustrativt)."}
        answers += [{"survey": "besokare", "year": year, "kind": "besökare", "respondent": f"{year}-{i:04d}", "overall": a, "expectations": b, "ideal": c,
                     **(design if i == 0 else {})} for i, (a, b, c) in enumerate(answers_for(target, 1000, rng))]
    import_rows("survey_answers", answers, "besokarundersokning-illustrativ.csv", ssc)
    followup.ensure_definitions(ssc, Family.PRODUCTIVITY, followup.PRODUCTIVITY_INDICATORS, valid_from=2012)
    import_rows("indicator_data", [{"element": element, "level": "organisation", "subject": ssc.code, "year": year, "value": D(value),
                                    "source": "Tabell 11 och 12, årsredovisning 2025" if element in ("visits", "errands")
                                    else "Illustrativt underlag till nyckeltalet i årsredovisning 2012 (seed 001)"}
                                   for year, inputs in PRODUCTIVITY_INPUTS.items() for element, value in inputs.items()],
                "produktivitet-underlag.csv", ssc)
    # the demo's ledger follows the state's chart; its payroll service is "lon" (as a controller
    # would choose them on the definitions page)
    defining.set_sources(ssc, "state", ssc.services.filter(code="lon"))
    followup.refresh(ssc)


def answers_for(nki: int, count: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """``count`` answers to each question whose NKI (equal weights) is exactly ``nki``: the sum per
    question must be count × (1 + 9 × nki / 100)."""
    total = count + 9 * count * nki // 100
    answers = []
    for _question in range(3):
        values = [min(10, max(1, round(rng.gauss(1 + 9 * nki / 100, 1.0)))) for _ in range(count)]
        gap = total - sum(values)
        index = 0
        while gap:
            step = 1 if gap > 0 else -1
            if 1 <= values[index % count] + step <= 10:
                values[index % count] += step
                gap -= step
            index += 1
        answers.append(values)
    return list(zip(*answers, strict=True))


# --- coordinated IT operations --------------------------------------------------------------------

def build_it_followup(coordinator: Provider, rng: random.Random, progress=lambda text: None) -> None:
    progress("follow-up: agency registers, outages, surveys, fees and costs of the IT operations 2025–2026")
    suppliers = followup.suppliers_of(coordinator)
    customers = {c.org_number: c for c in Customer.objects.filter(provider__in=suppliers)}
    names = {c.org_number: c.name for c in customers.values()}
    preparedness = {c.org_number for c in customers.values() if c.preparedness_from}
    extra = invented_names(200, set(names.values()))
    numbers = set(names)
    while len(names) < 235:
        number = make_orgnr(f"2021{rng.randrange(10**5):05d}")
        if number not in numbers:
            numbers.add(number)
            names[number] = extra[len(names) % len(extra)] if extra else f"Myndighet {len(names)}"
    ordered = sorted(names)
    # 223 counted: 12 entries have a host agency or less than one FTE (they are listed, not counted).
    excluded = [n for n in ordered if n not in customers][:12]
    # the registers, imported as the coordinator imports Statskontoret's list and the ordinance's
    # annex (each file replaces its register of that date)
    host = next(n for n in ordered if n not in excluded)   # the agency that hosts half the excluded ones (an agency of its own)
    for valid_on, drop in ((date(2025, 1, 1), 0), (date(2026, 1, 1), 2)):
        merged = [n for n in ordered if n not in customers and n not in excluded][:drop]
        rows = [{"register": "statskontoret", "valid_on": valid_on, "org_number": n, "name": names[n],
                 "fte": D(0) if i % 2 else D(rng.randint(10, 8000)), "host_org_number": host if not i % 2 else ""}
                if n in excluded else {"register": "statskontoret", "valid_on": valid_on, "org_number": n, "name": names[n], "fte": D(rng.randint(1, 8000))}
                for i, n in enumerate(x for x in ordered if x not in merged)]
        import_rows("agency_register", rows, f"statskontoret-myndighetsregister-{valid_on.isoformat()}-illustrativt-utdrag.csv", coordinator)
    others = [n for n in ordered if n not in preparedness and n not in excluded]
    listed = sorted(preparedness)[:67] + others[: max(0, 67 - len(preparedness))]
    import_rows("agency_register", [{"register": "beredskap", "valid_on": date(2025, 1, 1), "org_number": n, "name": names[n], "fte": 1} for n in listed],
                "beredskapsmyndigheter-2025-01-01-illustrativ.csv", coordinator)
    import_rows("price_index", [{"index": "plo", "year": year, "value": value, "source": "Pris- och löneomräkning (illustrativa indextal)"}
                                for year, value in PLO.items()], "plo-illustrativ.csv", coordinator)
    services = list(Service.objects.filter(provider__in=suppliers).select_related("provider").order_by("provider__code", "code"))
    for supplier in suppliers:   # each supplier's fees: a file through the price import, then both years' lists published
        fees = []
        for service in [s for s in services if s.provider_id == supplier.pk]:
            price = D(rng.randint(40, 900))
            fees += [{"year": 2025, "price_list": "Avgifter 2025", "service_code": service.code, "unit_price": price},
                     {"year": 2026, "price_list": "Avgifter 2026", "service_code": service.code,
                      "unit_price": round_ore(price * from_float(rng.uniform(0.97, 1.08)))}]
        import_rows("prices", fees, f"avgifter-{supplier.code}-illustrativa.csv", supplier)
        for price_list in PriceList.objects.filter(provider=supplier, status=PriceList.Status.DRAFT).order_by("year"):
            pricing.publish(price_list)
    costs = []   # imported after the loop, a file per kind (and provider)
    outages, surveys = {supplier.pk: [] for supplier in suppliers}, {supplier.pk: [] for supplier in suppliers}
    for service in services:
        subject = followup.subject_of(service)
        base = D(rng.randint(20, 200)) * 100_000
        grow = from_float(rng.uniform(1.01, 1.12), 3)
        content, security = round_places(base * from_float(rng.uniform(0, 0.03), 3), 0), round_places(base * from_float(rng.uniform(0, 0.06), 3), 0)
        figures = {2025: {"full_cost": base}, 2026: {"full_cost": round_places(base * grow, 0), "content_cost_change": content, "security_cost_change": security}}
        for year, values in figures.items():
            costs += [{"element": element, "level": "service", "subject": subject, "year": year, "value": value,
                       "source": f"{service.provider.name}: kostnadsredovisning per tjänst (illustrativ)"} for element, value in values.items()]
        for year in (2025, 2026):
            start = datetime(year, 1, 1, tzinfo=STOCKHOLM)
            for number in range(rng.randint(1, 6)):
                begin = start + timedelta(minutes=rng.randrange(0, 300 * 24 * 60))
                outages[service.provider_id].append({"service_code": service.code, "start": f"{begin:%Y-%m-%d %H:%M}",
                                                     "end": f"{begin + timedelta(minutes=rng.randint(10, 300)):%Y-%m-%d %H:%M}", "main_function": "ja",
                                                     "description": "Avbrott i huvudfunktionen (illustrativt)", "reference": f"INC-{year}-{service.pk}-{number}"})
            level = rng.randint(55, 80)
            surveys[service.provider_id] += [{"survey": f"nki-{service.code}", "year": year, "kind": "kund", "service_code": service.code, "respondent": i,
                                              "overall": a, "expectations": b, "ideal": c,
                                              **({"sample_design": "Totalundersökning bland anslutna myndigheters kontaktpersoner (illustrativ)."} if i == 0 else {})}
                                             for i, (a, b, c) in enumerate(answers_for(level, rng.randint(8, 30), rng))]
    import_rows("indicator_data", costs, "kostnader-per-tjanst-illustrativa.csv", coordinator)
    for supplier in suppliers:
        import_rows("outages", outages[supplier.pk], f"avbrott-{supplier.code}-illustrativa.csv", supplier)
        import_rows("survey_answers", surveys[supplier.pk], f"kundundersokning-{supplier.code}-illustrativ.csv", supplier)
    import_rows("restrictions", [{"subject": followup.subject_of(service),
                                  "reason": "Säker arbetsplats för begränsat hemlig information: uppgifterna redovisas i den skyddade bilagan."}
                                 for service in services if service.code == "dsp-bh"], "begransade-uppgifter.csv", coordinator)
    followup.refresh(coordinator, [2025, 2026])
