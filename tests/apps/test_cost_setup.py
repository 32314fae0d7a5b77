"""#14: a controller builds the cost model of an organisation that is not the demo through the
pages, with no admin: pools and their ledger rules, keys whose weights come from the register,
a model with a reciprocal step, a run; a fixed price keyed by another key than employees; the
ledger as imported. Clock at 2031, municipality fixture of ``test_own_data``."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from servicecenter import clock
from servicecenter.apps.billing import services as billing
from servicecenter.apps.costing import services as costing
from servicecenter.apps.costing import setup
from servicecenter.apps.costing.models import (
    AllocationKey,
    AllocationRun,
    CostModel,
    CostPool,
    KeyValue,
    ModelStep,
    PoolRule,
    PriceList,
    StepSource,
)
from servicecenter.apps.costing.pricing import new_price_list, publish, save_entry
from servicecenter.apps.imports.base import run_import
from servicecenter.apps.registry.models import Process, Service
from servicecenter.core.costing import AllocationError
from servicecenter.core.periods import Period
from tests.apps.conftest import api_done, through_job
from tests.apps.test_own_data import YEAR, _client, municipality  # noqa: F401  (the fixture)

# A SIE 4 export as an accounting program writes one: CRLF, PC8, cost centres in dimension 1,
# costs on three cost centres and revenue that the model leaves out.
SIE = """#FLAGGA 0
#PROGRAM "Ekonomisystemet" 8.1
#FORMAT PC8
#GEN 20320115
#SIETYP 4
#FNAMN "Väsby kommun, serviceförvaltningen"
#ORGNR 212000-0142
#RAR 0 {y}0101 {y}1231
#KONTO 1930 "Bank"
#KONTO 3010 "Intäkter tjänster"
#KONTO 5010 "Lokalhyra"
#KONTO 6540 "IT-tjänster"
#KONTO 7010 "Löner"
#DIM 1 "Ansvar"
#OBJEKT 1 "20" "Lokaler"
#OBJEKT 1 "30" "IT-enheten"
#OBJEKT 1 "40" "Ekonomi, produktion"
#OBJEKT 1 "50" "Lön, produktion"
#VER A 1 {y}0131 "Januari"
{{
   #TRANS 5010 {{1 "20"}} 120000.00
   #TRANS 6540 {{1 "30"}} 80000.00
   #TRANS 7010 {{1 "30"}} 40000.00
   #TRANS 7010 {{1 "40"}} 300000.00
   #TRANS 7010 {{1 "50"}} 200000.00
   #TRANS 1930 {{}} -740000.00
}}
#VER A 2 {y}0228 "Februari"
{{
   #TRANS 5010 {{1 "20"}} 120000.00
   #TRANS 7010 {{1 "40"}} 100000.00
   #TRANS 3010 {{}} -50000.00
   #TRANS 1930 {{}} -170000.00
}}
"""
COST = Decimal(740000 + 220000)


def _sie() -> bytes:
    return SIE.format(y=YEAR).replace("\n", "\r\n").encode("cp437")


@pytest.fixture
def ledger(municipality):  # noqa: F811
    with translation.override("en"):
        report = run_import("ledger", _sie(), f"huvudbok-{YEAR}.se", provider=municipality)
    assert report.ok, report.lines("en")
    return municipality


def _pool(client, provider, name, kind, **extra):
    response = client.post("/costing/pools/", {"name": name, "kind": kind, **extra})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return CostPool.objects.get(provider=provider, name=name)


def _key(client, provider, name, basis, computed=True, **extra):
    values = {"name": name, "basis": basis, "receivers": "pools", **extra}
    if computed:
        values["computed"] = "on"
    response = client.post("/costing/keys/", values)
    assert response.status_code == 302, response.context["form"].errors
    return AllocationKey.objects.get(provider=provider, name=name)


def _build(client, provider) -> CostModel:
    """Pools, rules, keys and a three-step model, all through the pages."""
    processes = {p.code: p for p in Process.objects.filter(area__provider=provider)}
    premises = _pool(client, provider, "Lokaler", "support", area="0", staff="1")
    it = _pool(client, provider, "IT-enheten", "support", area="100", staff="4")
    finance = _pool(client, provider, "Ekonomi", "production", process=processes["lev"].pk, area="300", staff="12")
    payroll = _pool(client, provider, "Lön", "production", process=processes["lon"].pk, area="200", staff="8")
    for pool, centre in ((premises, "20"), (it, "30"), (finance, "40"), (payroll, "50")):
        response = client.post(f"/costing/pools/{pool.pk}/", {"action": "add-rule", "account_from": "4000", "account_to": "8999", "cost_centre": centre})
        assert response.status_code == 302
    area = _key(client, provider, "Yta", "area")
    staff = _key(client, provider, "Personal", "staff")
    volumes = _key(client, provider, "Volym", "volumes")
    to_services = {}
    for pool, service in ((finance, "levfakt"), (payroll, "lonespec")):
        key = _key(client, provider, f"{pool.name} till tjänst", "fixed", computed=False, receivers="services")
        choices = dict((receiver, number) for number, (receiver, _label) in enumerate(setup.receiver_choices(key)))
        response = client.post(f"/costing/keys/{key.pk}/", {"action": "weights", f"w{choices[f'service:{service}']}": "100"})
        assert response.status_code == 302
        to_services[pool] = key
    response = client.post("/costing/models/new/", {"name": f"Utfall {YEAR}", "year": YEAR, "kind": "actual", "ledger_kind": "actual"})
    model = CostModel.objects.get(provider=provider, name=f"Utfall {YEAR}")
    assert response.status_code == 302
    url = f"/costing/models/{model.pk}/"
    for name, method in (("Stöd betjänar varandra", "reciprocal"), ("Process till tjänst", "direct"), ("Tjänst till kund", "direct")):
        assert client.post(url, {"action": "add-step", "new-name": name, "new-method": method}).status_code == 302
    first, second, third = model.steps.order_by("position")

    def spread(step, source, key):
        response = client.post(url, {"action": "set-source", "step": step.pk, f"src{step.pk}-source": source, f"src{step.pk}-key": key.pk})
        assert response.status_code == 302, response.context and [f.errors for f in response.context.get("per_step", {}).get(step.pk, ())]

    spread(first, premises.object_name, area)
    spread(first, it.object_name, staff)
    spread(second, finance.object_name, to_services[finance])
    spread(second, payroll.object_name, to_services[payroll])
    spread(third, "service:levfakt", volumes)
    spread(third, "service:lonespec", volumes)
    return model


def test_a_controller_builds_and_runs_a_cost_model_through_the_pages(ledger):
    controller = _client("vasby-controller")
    with clock.frozen(datetime(YEAR, 3, 5, 9)):
        model = _build(controller, ledger)
        page = controller.get(f"/costing/models/{model.pk}/")
        text = page.content.decode()
        assert page.status_code == 200 and "Lokaler" in text and "pool:" not in text.split("<main", 1)[1].split("</main>")[0].replace('value="pool:', "")
        response = through_job(controller, controller.post(f"/costing/models/{model.pk}/", {"action": "run"}))
    assert response.status_code == 302 and "/costing/runs/" in response["Location"]
    run = AllocationRun.objects.get(model=model)
    assert run.total == COST  # revenue and the bank stay out; every cost krona is in
    charges = {name: Decimal(v) for name, v in run.balances.items() if name.startswith("charge:")}
    assert sum(charges.values()) == COST and set(run.balances) == set(charges)  # nothing stays on a pool
    # the volume key came from the register: January's supplier invoices 1,200 : 15,000 : 300
    finance = {name.split("|")[0].removeprefix("charge:"): amount for name, amount in charges.items() if name.endswith("|levfakt")}
    assert finance["556000-0019"] / finance["556000-0001"] == pytest.approx(Decimal(15000) / 1200, rel=Decimal("1e-6"))
    # the reciprocal step: premises (by area) and IT (by staff) serve each other and end on the
    # two production pools; solve the 2×2 system independently
    premises, it = Decimal(240000), Decimal(120000)
    area = {"it": Decimal(100), "ekonomi": Decimal(300), "lon": Decimal(200)}
    staff = {"lokaler": Decimal(1), "ekonomi": Decimal(12), "lon": Decimal(8)}
    share_it_from_premises = area["it"] / sum(area.values())
    share_premises_from_it = staff["lokaler"] / sum(staff.values())
    total_premises = (premises + it * share_premises_from_it) / (1 - share_it_from_premises * share_premises_from_it)
    total_it = it + total_premises * share_it_from_premises
    to_finance = total_premises * area["ekonomi"] / sum(area.values()) + total_it * staff["ekonomi"] / sum(staff.values())
    levfakt = sum(finance.values())
    assert abs(levfakt - (Decimal(400000) + to_finance)) <= Decimal("0.05")


def test_a_fixed_price_can_be_keyed_by_any_key_not_only_employees(ledger):
    """it-drift's fixed pool shared by the customers' supplier-invoice volumes instead of their
    employees: 15,000 : 300 between the two IT customers."""
    with clock.frozen(datetime(YEAR, 2, 1, 9)), translation.override("en"):
        key = setup.save_key(ledger, name="Leverantörsfakturor", basis="volumes", service=Service.objects.get(provider=ledger, code="levfakt"))
        price_list = new_price_list(ledger, YEAR, "Priser")
        save_entry(price_list, Service.objects.get(provider=ledger, code="it-drift"), {"fixed_pool": Decimal(120000), "key": key})
        for code in ("levfakt", "lonespec"):
            save_entry(price_list, Service.objects.get(provider=ledger, code=code), {"unit_price": Decimal(10)})
        publish(price_list)
        run = billing.start_run(ledger, Period.month(YEAR, 1), issue_date=date(YEAR, 2, 1))
        invoices = billing.issue(billing.approve(run))
    shares = {inv.buyer_org_number: sum(line.amount for line in inv.lines.filter(service__code="it-drift")) for inv in invoices}
    assert sum(shares.values()) == Decimal(10000)
    assert shares["556000-0019"] / shares["556000-0027"] == pytest.approx(Decimal(15000) / 300, rel=Decimal("1e-3"))
    # a key of pools cannot share a price among customers
    with pytest.raises(Exception, match="Key of the fixed pool"), translation.override("en"):
        pools = setup.save_key(ledger, name="Yta", basis="area", computed=True)
        draft = new_price_list(ledger, YEAR, "Utkast")
        save_entry(draft, Service.objects.get(provider=ledger, code="it-drift"), {"fixed_pool": Decimal(1), "key": pools})


def test_the_ledger_page_shows_the_year_per_account_month_and_cost_centre(ledger):
    page = _client("vasby-controller").get(f"/costing/ledger/?year={YEAR}")
    assert page.status_code == 200
    rows = {account: (amounts, total) for account, _name, amounts, total in page.context["rows"]}
    assert rows["7010"][0][0] == Decimal(540000) and rows["7010"][0][1] == Decimal(100000) and rows["7010"][1] == Decimal(640000)
    assert rows["3010"][1] == Decimal(-50000)
    centres = {code: amount for code, _name, amount in page.context["by_centre"]}
    assert centres["20"] == Decimal(240000) and centres["30"] == Decimal(120000)
    only = _client("vasby-controller").get(f"/costing/ledger/?year={YEAR}&centre=40")
    assert {account for account, *_rest in only.context["rows"]} == {"7010"}


def test_a_key_for_customers_on_a_pool_names_the_missing_service(ledger):
    with translation.override("en"):
        model = setup.save_model(ledger, name="Fel", year=YEAR, kind="plan")
        pool = setup.save_pool(ledger, name="IT", kind="support")
        employees = setup.save_key(ledger, name="Anställda", basis="employees", computed=True)
        step = setup.add_step(model, name="IT till kunder", method="direct")
        setup.set_source(step, source=pool.object_name, key=employees)
        with pytest.raises(AllocationError) as refused:
            costing.run_cost_model(model)
    problems = {p.code: p for p in refused.value.problems}
    assert "costing.key_needs_service" in problems
    message = problems["costing.key_needs_service"].message("en")
    assert "IT" in message and "Anställda" in message and "pool:" not in message


@pytest.mark.parametrize("url,values,field", [
    ("/costing/pools/", {"name": "", "kind": "support"}, "name"),
    ("/costing/pools/", {"name": "X", "kind": "okänd"}, "kind"),
    ("/costing/pools/", {"name": "X", "kind": "support", "area": "-4"}, "area"),
    ("/costing/pools/", {"name": "X", "kind": "support", "staff": "många"}, "staff"),
    ("/costing/pools/", {"name": "X", "kind": "support", "code": "Stora Bokstäver"}, "code"),
    ("/costing/keys/", {"name": "", "basis": "area", "receivers": "pools"}, "name"),
    ("/costing/keys/", {"name": "X", "basis": "cases", "computed": "on", "receivers": "pools"}, "computed"),
    ("/costing/keys/", {"name": "X", "basis": "okänd", "receivers": "pools"}, "basis"),
    ("/costing/models/new/", {"name": "X", "year": "1800", "kind": "actual", "ledger_kind": "actual"}, "year"),
    ("/costing/models/new/", {"name": "", "year": YEAR, "kind": "actual", "ledger_kind": "actual"}, "name"),
    ("/costing/models/new/", {"name": "X", "year": YEAR, "kind": "annan", "ledger_kind": "actual"}, "kind"),
])
def test_bad_input_on_the_set_up_pages_names_the_field_and_writes_nothing(ledger, url, values, field):
    counts = (CostPool.objects.count(), AllocationKey.objects.count(), CostModel.objects.count())
    with translation.override("en"):
        response = _client("vasby-controller").post(url, values)
    assert response.status_code == 400 and field in response.context["form"].errors, response.context["form"].errors
    assert (CostPool.objects.count(), AllocationKey.objects.count(), CostModel.objects.count()) == counts


def test_bad_rules_weights_and_sources_are_refused_by_name(ledger):
    controller = _client("vasby-controller")
    with translation.override("en"):
        pool = setup.save_pool(ledger, name="IT", kind="support")
        for values, field in [({"account_from": "abc"}, "account_from"), ({"account_from": "5000", "account_to": "4000"}, "account_to"),
                              ({"account_from": "5000", "account_to": "59999"}, "account_to")]:
            response = controller.post(f"/costing/pools/{pool.pk}/", {"action": "add-rule", **values})
            assert response.status_code == 400 and field in response.context["rule_form"].errors, values
        assert not PoolRule.objects.filter(pool=pool).exists()
        key = setup.save_key(ledger, name="Andelar", basis="fixed", receivers="pools")
        setup.save_pool(ledger, name="Ekonomi", kind="production")
        response = controller.post(f"/costing/keys/{key.pk}/", {"action": "weights", "w0": "60", "w1": "30"})
        assert response.status_code == 400 and "summerar till 100" in str(response.context["weights_form"].errors)  # Swedish by default
        response = controller.post(f"/costing/keys/{key.pk}/", {"action": "weights", "w0": "-1"})
        assert response.status_code == 400
        assert not KeyValue.objects.filter(key=key).exists()
        model = setup.save_model(ledger, name="M", year=YEAR, kind="actual")
        step = setup.add_step(model, name="S", method="direct")
        url = f"/costing/models/{model.pk}/"
        response = controller.post(url, {"action": "set-source", "step": step.pk, f"src{step.pk}-source": "pool:finns-inte", f"src{step.pk}-key": key.pk})
        assert response.status_code == 400
        response = controller.post(url, {"action": "add-step", "new-name": "", "new-method": "direct"})
        assert response.status_code == 400 and ModelStep.objects.filter(model=model).count() == 1
        assert not StepSource.objects.filter(step=step).exists()
        # a pool a step uses cannot be deleted; the message names the step
        setup.set_source(step, source=pool.object_name, key=key)
        response = controller.post(f"/costing/pools/{pool.pk}/", {"action": "delete"}, follow=True)
        assert CostPool.objects.filter(pk=pool.pk).exists() and "M: S" in response.content.decode()


def test_another_providers_controller_cannot_reach_the_pools_keys_and_models(ledger, ssc):
    with translation.override("en"):
        pool = setup.save_pool(ledger, name="IT", kind="support")
        key = setup.save_key(ledger, name="Yta", basis="area", computed=True)
        model = setup.save_model(ledger, name="M", year=YEAR, kind="actual")
    stockholm = _client("sthlm-controller")
    for url in (f"/costing/pools/{pool.pk}/", f"/costing/keys/{key.pk}/", f"/costing/models/{model.pk}/"):
        assert stockholm.get(url).status_code == 404, url
        assert stockholm.post(url, {"action": "delete"}).status_code == 404, url
    assert CostPool.objects.filter(pk=pool.pk).exists() and AllocationKey.objects.filter(pk=key.pk).exists()
    # the lists show only the person's own organisation
    assert pool not in list(stockholm.get("/costing/pools/").context["pools"])
    # the demo's controller cannot use its own key in the municipality's model, nor the reverse
    demo_key = AllocationKey.objects.filter(provider=ssc).first()
    step = setup.add_step(model, name="S", method="direct")
    response = _client("vasby-controller").post(f"/costing/models/{model.pk}/", {"action": "set-source", "step": step.pk,
                                                                                 f"src{step.pk}-source": pool.object_name, f"src{step.pk}-key": demo_key.pk})
    assert response.status_code == 400 and not StepSource.objects.filter(step=step).exists()
    # a reader sees the pages but cannot change them
    reader = _client("lasare")
    assert reader.post("/costing/pools/", {"name": "X", "kind": "support"}).status_code == 403
    assert not PriceList.objects.filter(provider=ledger).exists()


def test_the_api_scripts_the_same_model_and_refuses_bad_input_by_field(ledger):
    """Pools, rules, keys, weights, a model with steps, a run and a price list through the JSON
    API, with the same checks as the pages."""
    import json

    client = _client("vasby-controller")

    def send(method, url, body=None):
        response = getattr(client, method)(url, json.dumps(body or {}), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
        return response.status_code, response.json()

    status, pool = send("post", "/api/costing/pools", {"name": "IT", "kind": "support", "staff": "3"})
    assert status == 200 and pool["code"] == "it"
    status, finance = send("post", "/api/costing/pools", {"name": "Ekonomi", "kind": "production", "process": "lev", "staff": "9"})
    assert status == 200
    for pool_id, centre in ((pool["id"], "30"), (finance["id"], "40")):
        assert send("post", f"/api/costing/pools/{pool_id}/rules", {"account_from": "4000", "account_to": "8999", "cost_centre": centre})[0] == 200
    assert send("post", "/api/costing/keys", {"name": "Personal", "basis": "staff", "computed": True})[0] == 200
    status, services = send("post", "/api/costing/keys", {"name": "Till tjänst", "basis": "fixed", "receivers": "services", "code": "till-tjanst"})
    assert send("put", f"/api/costing/keys/{services['id']}/weights", {"weights": {"service:levfakt": "100"}})[0] == 200
    assert send("post", "/api/costing/keys", {"name": "Volym", "basis": "volumes"})[0] == 200
    status, model = send("post", "/api/costing/models", {"name": "API", "year": YEAR})
    steps = [("Stöd", "direct", [("pool:it", "personal")]), ("Process", "direct", [("pool:ekonomi", "till-tjanst")]),
             ("Kund", "direct", [("service:levfakt", "volym")])]
    for name, method, sources in steps:
        status, _step = send("post", f"/api/costing/models/{model['id']}/steps", {"name": name, "method": method,
                                                                               "sources": [{"source": s, "key": k} for s, k in sources]})
        assert status == 200, _step
    job = api_done(client, client.post(f"/api/costing/models/{model['id']}/run", "{}", content_type="application/json"))
    run = job["result"]
    # the rules take cost centres 30 and 40; premises (20) and payroll (50) stay unmapped, visibly
    assert job["state"] == "done" and Decimal(run["total"]) == COST
    # bad input: named, nothing written
    before = (CostPool.objects.count(), PoolRule.objects.count(), AllocationKey.objects.count(), ModelStep.objects.count())
    for method, url, body, needle in [
        ("post", "/api/costing/pools", {"name": "X", "kind": "okänd"}, "Kind"),
        ("post", "/api/costing/pools", {"name": "X", "kind": "support", "area": "-1"}, "area"),
        ("post", "/api/costing/pools", {"name": "X", "kind": "support", "code": "it"}, "Code"),
        ("post", f"/api/costing/pools/{pool['id']}/rules", {"account_from": "9x"}, "Account from"),
        ("post", "/api/costing/keys", {"name": "X", "basis": "cases", "computed": True}, "register"),
        ("put", f"/api/costing/keys/{services['id']}/weights", {"weights": {"service:levfakt": "60"}}, "100"),
        ("put", f"/api/costing/keys/{services['id']}/weights", {"weights": {"service:finns-inte": "100"}}, "finns-inte"),
        ("post", f"/api/costing/models/{model['id']}/steps", {"name": "Y", "method": "direct", "sources": [{"source": "pool:it", "key": "saknas"}]}, "saknas"),
        ("post", f"/api/costing/models/{model['id']}/steps", {"name": "Y", "method": "sidled"}, "Method"),
        ("post", "/api/costing/models", {"name": "Z", "year": 1200}, "year"),
    ]:
        status, answer = send(method, url, body)
        assert status in (400, 422) and needle in json.dumps(answer, ensure_ascii=False), (url, body, answer)
    assert (CostPool.objects.count(), PoolRule.objects.count(), AllocationKey.objects.count(), ModelStep.objects.count()) == before
    # a model that cannot run: 400 with every problem
    status, broken = send("post", "/api/costing/models", {"name": "Tom", "year": YEAR + 5})
    failed = api_done(client, client.post(f"/api/costing/models/{broken['id']}/run", "{}", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"))
    assert failed["state"] == "failed" and failed["result"] == {}
    assert "ledger" in failed["error"] and "step" in failed["error"], failed["error"]   # no ledger for the year, no steps: both named


def test_the_api_prices_and_bills_a_month(ledger):
    """A price list through the API (create, an entry, publish) and January billed through the
    API: preview, approve, issue."""
    import json

    client = _client("vasby-controller")

    def send(url, body=None, method="post"):
        response = getattr(client, method)(url, json.dumps(body or {}), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
        return response.status_code, response.json()

    with clock.frozen(datetime(YEAR, 2, 1, 9)):
        status, price_list = send("/api/price-lists", {"name": "API-priser", "year": YEAR})
        assert status == 200
        for code, body in (("levfakt", {"tiers": [["0", "38"], ["2000", "31"]]}), ("lonespec", {"unit_price": "53.50"})):
            status, answer = send(f"/api/price-lists/{price_list['id']}/entries/{code}", body, method="put")
            assert status == 200, answer
        status, answer = send(f"/api/price-lists/{price_list['id']}/entries/lonespec", {"unit_price": "-1"}, method="put")
        assert status == 422
        # the page's rules hold in the API too: tiers from 0, a VAT rate that fits the category
        for body, field in (({"tiers": [["5", "38"]]}, "tiers"), ({"unit_price": "10", "vat_category": "O", "vat_rate": "25"}, "vat_rate"),
                            ({"unit_price": "10", "discount_share": "1"}, "discount")):
            status, answer = send(f"/api/price-lists/{price_list['id']}/entries/lonespec", body, method="put")
            assert status == 400 and answer["field"] == field, answer
        assert send(f"/api/price-lists/{price_list['id']}/publish")[0] == 200
        started = client.post("/api/billing/runs", json.dumps({"provider": "vasby-service", "month": f"{YEAR}-01"}), content_type="application/json")
        run = api_done(client, started)["result"]
        assert run["state"] == "preview" and run["invoices"] == 3, run
        assert send(f"/api/billing/runs/{run['id']}/issue")[0] == 400  # not approved yet
        status, refused = send(f"/api/billing/runs/{run['id']}/approve")
        assert status == 400 and "four eyes" in str(refused), refused   # the preparer does not approve
        client = _client("vasby-attestant")
        assert send(f"/api/billing/runs/{run['id']}/approve")[1]["state"] == "approved"
        issued = api_done(client, client.post(f"/api/billing/runs/{run['id']}/issue", "{}", content_type="application/json"))["result"]
    assert issued["state"] == "issued"
    from servicecenter.apps.billing.models import Invoice

    assert Invoice.objects.filter(provider=ledger).count() == 3
    assert send("/api/billing/runs", {"provider": "vasby-service", "month": f"{YEAR}-01"})[0] == 400  # the month is issued
