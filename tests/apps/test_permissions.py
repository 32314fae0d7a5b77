"""The permission matrix: every page and every API endpoint × every role.

A customer contact asking for another customer's object gets 404, never data and never a 403
that would confirm the object exists. Provider staff see only their provider (and the
providers it coordinates). The test fails if a page or endpoint is added without a row here.
"""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, get_resolver
from openpyxl import load_workbook

from servicecenter.apps.registry.models import Agreement, Customer, Service
from servicecenter.web.api import api
from tests.apps.conftest import fetch

ANON, ADMIN, CONTROLLER, OWNER, PLANNER, READER, CONTACT, STHLM, IT = (
    None, "admin", "controller", "tjansteagare", "planerare", "lasare", "kundkontakt", "sthlm-controller", "it-samordnare")
ROLES = [ANON, ADMIN, CONTROLLER, OWNER, PLANNER, READER, CONTACT, STHLM, IT]
SSC_STAFF = {CONTROLLER, OWNER, PLANNER, READER}
EVERYONE = {ADMIN, *SSC_STAFF, CONTACT, STHLM, IT}


def expect(allowed: set, denied: int = 404, anonymous: int = 302, ok: int = 200):
    """``ok``: 202 for an API call that starts a background job."""
    return {role: (ok if role in allowed else (anonymous if role is None else denied)) for role in ROLES}


@pytest.fixture
def objects(db, contact_customer, other_customer):
    from servicecenter.apps.billing.models import BillingRun, Invoice
    from servicecenter.apps.costing.models import (
        AllocationKey,
        AllocationRun,
        CostModel,
        CostPool,
        PriceList,
    )
    from servicecenter.apps.followup.models import IndicatorDefinition
    from servicecenter.apps.network.models import Scenario

    sthlm_customer = Customer.objects.filter(provider__code="stockholm").first()
    published = PriceList.objects.get(provider__code="ssc", status="published")
    draft = PriceList.objects.filter(provider__code="ssc", status="draft").exclude(name__startswith="Mer").first()
    alternative = PriceList.objects.get(provider__code="ssc", name__startswith="Mer")
    return {
        "run": AllocationRun.objects.get(model__provider__code="ssc", model__kind="actual").pk,
        "cost_model": CostModel.objects.get(provider__code="ssc", kind="actual").pk,
        "versions": "?a={}&b={}".format(*CostModel.objects.filter(provider__code="ssc").order_by("pk").values_list("pk", flat=True)[:2]),
        "published": published.pk,
        "draft": draft.pk,
        "draft_service": draft.entries.first().service_id,
        "what_if": f"?current={published.pk}&alternative={alternative.pk}",
        "own_customer": contact_customer.pk,
        "other_customer": other_customer.pk,
        "sthlm_customer": sthlm_customer.pk,
        "own_agreement": Agreement.objects.filter(customer=contact_customer).first().pk,
        "other_agreement": Agreement.objects.filter(customer=other_customer).first().pk,
        "ssc_service": Service.objects.get(provider__code="ssc", code="lon").pk,
        "sthlm_service": Service.objects.get(provider__code="stockholm", code="lon-bas").pk,
        "skv_service": Service.objects.get(provider__code="skv", code="vdc").pk,
        "billing_run": BillingRun.objects.filter(provider__code="ssc").first().pk,
        "own_invoice": Invoice.objects.filter(customer=contact_customer).first().pk,
        "other_invoice": Invoice.objects.filter(customer=other_customer).first().pk,
        "it_indicator": IndicatorDefinition.objects.get(provider__code="fk", code="it-6-tillganglighet").pk,
        "ssc_indicator": IndicatorDefinition.objects.get(provider__code="ssc", code="driftkostnad-per-aa").pk,
        "scenario": Scenario.objects.get(provider__code="ssc", name__startswith="Avvecklingsplan").pk,
        "ssc_pool": CostPool.objects.filter(provider__code="ssc").first().pk,
        "ssc_key": AllocationKey.objects.filter(provider__code="ssc").first().pk,
        "cases_key": AllocationKey.objects.get(provider__code="ssc", code="arenden").pk,
        "issued_run": BillingRun.objects.filter(provider__code="ssc", state="issued").first().pk,
        "issued_month": BillingRun.objects.filter(provider__code="ssc", state="issued").first().period.strftime("%Y-%m"),
        "job": _controllers_job().pk,
    }


def _controllers_job():
    """A finished export job of the controller, its file in the storage directory."""
    from servicecenter.apps.jobs.models import Job
    from servicecenter.apps.jobs.services import Outcome, _outcome_fields

    job = Job.objects.create(kind="download", key="permissions", label="Export", user=get_user_model().objects.get(username=CONTROLLER),
                             state=Job.State.DONE)
    Job.objects.filter(pk=job.pk).update(**_outcome_fields(job, Outcome(file=("kunder.csv", "text/csv", b"a;b\n"))))
    return job


def page_matrix(o):
    """(url name, url, expected status per role)."""
    return [
        ("home", "/", expect(EVERYONE)),
        ("customers", "/customers/", expect(EVERYONE)),
        ("customer", f"/customers/{o['own_customer']}/", expect({ADMIN, *SSC_STAFF, CONTACT})),
        ("customer", f"/customers/{o['other_customer']}/", expect({ADMIN, *SSC_STAFF})),
        ("customer", f"/customers/{o['sthlm_customer']}/", expect({ADMIN, STHLM})),
        ("services", "/services/", expect(EVERYONE)),
        ("service", f"/services/{o['ssc_service']}/", expect({ADMIN, *SSC_STAFF, CONTACT})),
        ("service", f"/services/{o['sthlm_service']}/", expect({ADMIN, STHLM})),
        ("service", f"/services/{o['skv_service']}/", expect({ADMIN, IT})),  # the coordinator sees its suppliers
        ("agreements", "/agreements/", expect(EVERYONE)),
        ("agreement", f"/agreements/{o['own_agreement']}/", expect({ADMIN, *SSC_STAFF, CONTACT})),
        ("agreement", f"/agreements/{o['other_agreement']}/", expect({ADMIN, *SSC_STAFF})),
        ("volumes", "/volumes/", expect(EVERYONE)),
        ("import", "/import/", expect({ADMIN, CONTROLLER, OWNER, PLANNER, STHLM, IT}, denied=403)),
        ("import-template", "/import/templates/volumes.xlsx", expect({ADMIN, CONTROLLER, OWNER, STHLM, IT}, denied=403)),
        ("audit", "/audit/", expect({ADMIN, CONTROLLER, STHLM, IT}, denied=403)),
        ("login", "/login/", {role: (200 if role is None else 302) for role in ROLES}),
        ("health", "/health/", {role: 200 for role in ROLES}),
        ("jobs", "/jobs/", expect(EVERYONE)),                         # each sees their own
        ("job", f"/jobs/{o['job']}/", expect({ADMIN, CONTROLLER})),     # the one who started it (and a superuser)
        ("job-progress", f"/jobs/{o['job']}/progress/", expect({ADMIN, CONTROLLER})),
        ("job-download", f"/jobs/{o['job']}/download/", expect({ADMIN, CONTROLLER})),
        ("job-cancel", f"/jobs/{o['job']}/cancel/", {role: (302 if role is None else 405) for role in ROLES}),   # POST only
        ("admin", "/admin/", expect({ADMIN}, denied=302)),  # superusers only (#12)
        ("costing", "/costing/", expect({ADMIN, *SSC_STAFF, STHLM, IT}, denied=403)),
        ("costing-run", f"/costing/runs/{o['run']}/", expect({ADMIN, *SSC_STAFF}, denied=404) | {CONTACT: 403}),
        ("costing-model", f"/costing/models/{o['cost_model']}/", expect({ADMIN, *SSC_STAFF}, denied=404) | {CONTACT: 403}),
        # the cost model's set-up: everyone who sees costs looks at their own organisation's
        ("costing-pools", "/costing/pools/", expect({ADMIN, *SSC_STAFF, STHLM, IT}, denied=403)),
        ("costing-pool", f"/costing/pools/{o['ssc_pool']}/", expect({ADMIN, *SSC_STAFF}) | {CONTACT: 403}),
        ("costing-keys", "/costing/keys/", expect({ADMIN, *SSC_STAFF, STHLM, IT}, denied=403)),
        ("costing-key", f"/costing/keys/{o['ssc_key']}/", expect({ADMIN, *SSC_STAFF}) | {CONTACT: 403}),
        ("costing-ledger", "/costing/ledger/", expect({ADMIN, *SSC_STAFF, STHLM, IT}, denied=403)),
        ("costing-model-new", "/costing/models/new/", expect({ADMIN, CONTROLLER, STHLM, IT}, denied=403)),
        # a customer contact sees its own organisation's trace (#17), and no other (404, as if it did not exist)
        ("costing-trace", f"/costing/trace/{o['own_customer']}/", expect({ADMIN, *SSC_STAFF, CONTACT}, denied=404)),
        ("costing-trace", f"/costing/trace/{o['other_customer']}/", expect({ADMIN, *SSC_STAFF}, denied=404)),
        ("costing-price-list", f"/costing/price-lists/{o['published']}/", expect({ADMIN, *SSC_STAFF, CONTACT})),
        ("costing-price-list", f"/costing/price-lists/{o['draft']}/", expect({ADMIN, *SSC_STAFF})),
        ("costing-price-lists", "/costing/price-lists/", expect({ADMIN, *SSC_STAFF, STHLM, IT}, denied=403)),
        # keeping price lists is the controller's (RUN_COSTING); another provider's gets 404
        ("costing-price-list-derive", f"/costing/price-lists/derive/{o['run']}/", expect({ADMIN, CONTROLLER}, denied=403) | {STHLM: 404, IT: 404}),
        ("costing-price-list-entry-new", f"/costing/price-lists/{o['draft']}/entries/new/", expect({ADMIN, CONTROLLER}, denied=403) | {STHLM: 404, IT: 404}),
        ("costing-price-list-entry", f"/costing/price-lists/{o['draft']}/entries/{o['draft_service']}/", expect({ADMIN, CONTROLLER}, denied=403) | {STHLM: 404, IT: 404}),
        ("organisation", "/organisation/", expect({ADMIN}, denied=403)),
        ("costing-what-if", f"/costing/what-if/{o['what_if']}", expect({ADMIN, *SSC_STAFF}, denied=404) | {CONTACT: 403}),
        ("costing-compare", f"/costing/compare/{o['versions']}", expect({ADMIN, *SSC_STAFF}, denied=404) | {CONTACT: 403}),
        ("costing-behaviour", f"/costing/behaviour/?run={o['run']}", expect({ADMIN, *SSC_STAFF}, denied=404) | {CONTACT: 403}),
        ("billing", "/billing/", expect({ADMIN, *SSC_STAFF, STHLM, IT}, denied=403)),
        ("billing-run", f"/billing/runs/{o['billing_run']}/", expect({ADMIN, *SSC_STAFF}) | {CONTACT: 403}),
        ("billing-run-draft", f"/billing/runs/{o['billing_run']}/drafts/1/", expect({ADMIN, *SSC_STAFF}) | {CONTACT: 403}),
        ("billing-invoices", "/billing/invoices/", expect(EVERYONE)),
        ("billing-invoice", f"/billing/invoices/{o['own_invoice']}/", expect({ADMIN, *SSC_STAFF, CONTACT})),
        ("billing-invoice", f"/billing/invoices/{o['other_invoice']}/", expect({ADMIN, *SSC_STAFF})),
        ("billing-invoice-download", f"/billing/invoices/{o['own_invoice']}/xml/", expect({ADMIN, *SSC_STAFF, CONTACT})),
        ("billing-invoice-download", f"/billing/invoices/{o['other_invoice']}/xlsx/", expect({ADMIN, *SSC_STAFF})),
        ("billing-reconciliation", "/billing/reconciliation/2025-03/", expect({ADMIN, *SSC_STAFF, STHLM, IT}, denied=403)),
        ("billing-focus", "/billing/focus.csv?period=2025-03", expect(EVERYONE)),
        ("billing-late-events", "/billing/late-events/", expect({ADMIN, *SSC_STAFF, STHLM, IT}, denied=403)),
        ("billing-usage", "/billing/usage/", expect(EVERYONE)),                    # each sees the customers it may see
        ("followup", "/followup/", expect({ADMIN, *SSC_STAFF, STHLM, IT}, denied=403)),
        # Stockholm has no indicators: an empty page of its own, nothing of another's
        ("followup-definitions", "/followup/definitions/", expect({ADMIN, *SSC_STAFF, IT, STHLM}) | {CONTACT: 403}),
        ("followup-drill", f"/followup/drill/{o['it_indicator']}/service/fk/vdc/2025/", expect({ADMIN, IT}) | {CONTACT: 403}),
        ("followup-drill", f"/followup/drill/{o['it_indicator']}/service/trv/dsp-bh/2025/", expect({ADMIN, IT}) | {CONTACT: 403}),  # restricted
        ("followup-drill", f"/followup/drill/{o['ssc_indicator']}/organisation/ssc/2025/", expect({ADMIN, *SSC_STAFF}) | {CONTACT: 403}),
        ("followup-it-report", "/followup/it-report/2025/?provider=fk", expect({ADMIN, IT}) | {CONTACT: 403}),
        ("followup-it-report", "/followup/it-report/2025/?provider=fk&annex=1", expect({ADMIN, IT}) | {CONTACT: 403}),
        # the coordinator's suppliers; another organisation gets a page saying it coordinates none
        ("followup-suppliers", "/followup/suppliers/?provider=fk", expect({ADMIN, IT}) | {CONTACT: 403}),
        ("followup-suppliers", "/followup/suppliers/", expect({ADMIN, *SSC_STAFF, IT, STHLM}) | {CONTACT: 403}),
        ("followup-fee-report", "/followup/fee-report/2025/", expect({ADMIN, *SSC_STAFF}) | {CONTACT: 403}),
        ("followup-entry", "/followup/entry/", expect({ADMIN, CONTROLLER, OWNER, IT, STHLM}, denied=403)),  # no indicators yet: a page to enter data
        # an organisation without offices gets, on every network page, what to import (nothing of another's)
        ("network", "/network/", expect({ADMIN, *SSC_STAFF, STHLM, IT}) | {CONTACT: 403}),
        ("network-offices", "/network/offices/", expect({ADMIN, *SSC_STAFF, STHLM, IT}) | {CONTACT: 403}),
        ("network-office", "/network/offices/sk001/", expect({ADMIN, *SSC_STAFF, STHLM, IT}) | {CONTACT: 403}),
        ("network-partners", "/network/partners/", expect({ADMIN, *SSC_STAFF, STHLM, IT}) | {CONTACT: 403}),
        ("network-statistics", "/network/statistics/?year=2025", expect({ADMIN, *SSC_STAFF, STHLM, IT}) | {CONTACT: 403}),
        ("network-scenarios", "/network/scenarios/", expect({ADMIN, *SSC_STAFF, STHLM, IT}) | {CONTACT: 403}),
        ("network-scenario", f"/network/scenarios/{o['scenario']}/", expect({ADMIN, *SSC_STAFF, STHLM, IT}) | {CONTACT: 403}),
        ("network-compare", "/network/compare/", expect({ADMIN, *SSC_STAFF, STHLM, IT}) | {CONTACT: 403}),
        ("network-optimise", "/network/optimise/", expect({ADMIN, *SSC_STAFF, STHLM, IT}) | {CONTACT: 403}),
        # copying a model is a POST; a GET is refused for everyone who may see the model
        ("costing-copy", f"/costing/models/{o['cost_model']}/copy/", expect(set(), denied=403) | {STHLM: 404, IT: 404}),
    ]


WRITE = expect({ADMIN, CONTROLLER}, denied=403, anonymous=401) | {STHLM: 404, IT: 404}


def api_matrix(o):
    """(method, OpenAPI path, concrete path, expected status per role)."""
    return [
        ("get", "/api/providers", "/api/providers", expect(EVERYONE, anonymous=401)),
        ("get", "/api/customers", "/api/customers", expect(EVERYONE, anonymous=401)),
        ("get", "/api/customers/{customer_id}", f"/api/customers/{o['own_customer']}", expect({ADMIN, *SSC_STAFF, CONTACT}, anonymous=401)),
        ("get", "/api/customers/{customer_id}", f"/api/customers/{o['other_customer']}", expect({ADMIN, *SSC_STAFF}, anonymous=401)),
        ("get", "/api/services", "/api/services", expect(EVERYONE, anonymous=401)),
        ("get", "/api/services/{service_id}", f"/api/services/{o['sthlm_service']}", expect({ADMIN, STHLM}, anonymous=401)),
        ("get", "/api/agreements", "/api/agreements", expect(EVERYONE, anonymous=401)),
        ("get", "/api/agreements/{agreement_id}", f"/api/agreements/{o['other_agreement']}", expect({ADMIN, *SSC_STAFF}, anonymous=401)),
        ("get", "/api/volumes", "/api/volumes", expect(EVERYONE, anonymous=401)),
        ("post", "/api/imports/{kind}", "/api/imports/customers", expect({ADMIN, CONTROLLER, STHLM, IT}, denied=403, anonymous=401, ok=202)),
        ("get", "/api/jobs/{job_id}", f"/api/jobs/{o['job']}", expect({ADMIN, CONTROLLER}, anonymous=401)),   # the one who started it
        ("get", "/api/price-lists", "/api/price-lists", expect(EVERYONE, anonymous=401)),
        ("get", "/api/invoices", "/api/invoices", expect(EVERYONE, anonymous=401)),
        ("get", "/api/invoices/{invoice_id}", f"/api/invoices/{o['own_invoice']}", expect({ADMIN, *SSC_STAFF, CONTACT}, anonymous=401)),
        ("get", "/api/invoices/{invoice_id}", f"/api/invoices/{o['other_invoice']}", expect({ADMIN, *SSC_STAFF}, anonymous=401)),
        ("get", "/api/costing/runs/{run_id}", f"/api/costing/runs/{o['run']}", expect({ADMIN, *SSC_STAFF}, anonymous=401)),
        ("get", "/api/indicators", "/api/indicators?provider=fk", expect({ADMIN, IT}, anonymous=401) | {CONTACT: 403}),
        ("get", "/api/indicators/values", "/api/indicators/values?provider=ssc&family=own", expect({ADMIN, *SSC_STAFF}, anonymous=401) | {CONTACT: 403}),
        ("get", "/api/network/offices", "/api/network/offices?provider=ssc", expect({ADMIN, *SSC_STAFF}, anonymous=401) | {CONTACT: 403}),
        ("get", "/api/network/scenarios/{scenario_id}", f"/api/network/scenarios/{o['scenario']}?provider=ssc", expect({ADMIN, *SSC_STAFF}, anonymous=401) | {CONTACT: 403}),
        ("get", "/api/costing/trace/{customer_id}", f"/api/costing/trace/{o['other_customer']}", expect({ADMIN, *SSC_STAFF}, anonymous=401) | {CONTACT: 404, STHLM: 404, IT: 404}),
        # writes of the cost model and price lists: the demo's controller changes its own; the
        # controllers of other organisations reach for them by id or code and get 404
        *[(method, template, url, WRITE, body) for method, template, url, body in [
            ("post", "/api/costing/pools", "/api/costing/pools", {"provider": "ssc", "name": "API-pool", "kind": "support", "area": "12.5"}),
            ("post", "/api/costing/pools/{pool_id}/rules", f"/api/costing/pools/{o['ssc_pool']}/rules", {"account_from": "9100", "account_to": "9199"}),
            ("post", "/api/costing/keys", "/api/costing/keys", {"provider": "ssc", "name": "API-nyckel", "basis": "employees", "computed": True}),
            ("put", "/api/costing/keys/{key_id}/weights", f"/api/costing/keys/{o['cases_key']}/weights", {"weights": {"pool:lon": "5", "pool:redovisning": "5"}}),
            ("post", "/api/costing/models", "/api/costing/models", {"provider": "ssc", "name": "API-modell", "year": 2030}),
            ("post", "/api/costing/models/{model_id}/steps", f"/api/costing/models/{o['cost_model']}/steps",
             {"name": "Extra", "method": "direct", "sources": [{"source": "pool:kundservice", "key": "arenden"}]}),
            ("post", "/api/price-lists", "/api/price-lists", {"provider": "ssc", "name": "API-lista", "year": 2030}),
            ("put", "/api/price-lists/{price_list_id}/entries/{service_code}", f"/api/price-lists/{o['draft']}/entries/lon", {"unit_price": "101.50"}),
            ("post", "/api/price-lists/{price_list_id}/publish", f"/api/price-lists/{o['draft']}/publish", None),
            ("post", "/api/indicators", "/api/indicators", {"provider": "ssc", "name_sv": "API-indikator", "numerator": "a / b", "valid_from": 2027}),
        ]],
        ("post", "/api/costing/models/{model_id}/run", f"/api/costing/models/{o['cost_model']}/run",
         {role: 202 if code == 200 else code for role, code in WRITE.items()}, None),   # a background job
        # the planner's writes: the demo's planners and controller script their own network; other
        # organisations' controllers reach for the demo's scenario and get 404
        *[(method, template, url, expect({ADMIN, CONTROLLER, PLANNER}, denied=403, anonymous=401, ok=ok) | {STHLM: 404, IT: 404}, body)
          for method, template, url, body, ok in [
            ("post", "/api/network/scenarios", "/api/network/scenarios?provider=ssc", {"name": "API-scenario", "base_date": "2027-01-01"}, 202),
            ("post", "/api/network/scenarios/{scenario_id}/changes", f"/api/network/scenarios/{o['scenario']}/changes?provider=ssc",
             {"action": "close", "office": "sk001"}, 200),
            ("post", "/api/network/optimise", "/api/network/optimise?provider=ssc", {"close": 0, "fa_rule": "none", "day": "2025-06-01"}, 202),
        ]],
        # billing runs: a month already issued and an issued run are refused (400) to those who may
        # bill, after the permission check; the others never learn of them
        *[(method, template, url, expect(set(), denied=403, anonymous=401) | {ADMIN: 400, CONTROLLER: 400, STHLM: 404, IT: 404}, body)
          for method, template, url, body in [
            ("post", "/api/billing/runs", "/api/billing/runs", {"provider": "ssc", "month": o["issued_month"]}),
            ("post", "/api/billing/runs/{run_id}/approve", f"/api/billing/runs/{o['issued_run']}/approve", None),
            ("post", "/api/billing/runs/{run_id}/issue", f"/api/billing/runs/{o['issued_run']}/issue", None),
        ]],
    ]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_pages(role, client_for, objects):
    client = client_for(role)
    for _name, url, expected in page_matrix(objects):
        response = fetch(client, url)   # a long download is made by a job: the file from it
        assert response.status_code == expected[role], f"{role} GET {url}: {response.status_code}, expected {expected[role]}"


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_api(role, client_for, objects):
    client = client_for(role)
    for method, _template, url, expected, *body in api_matrix(objects):
        if body:
            send = client.put if method == "put" else client.post
            response = send(url, json.dumps(body[0] or {}), content_type="application/json")
            assert response.status_code == expected[role], f"{role} {method.upper()} {url}: {response.status_code} {response.content[:300]!r}, expected {expected[role]}"
            continue
        if method == "post":
            upload = io.BytesIO(b"org_number,name\n")
            upload.name = "kunder.csv"
            provider = {ADMIN: "ssc", CONTROLLER: "ssc", STHLM: "stockholm", IT: "fk"}.get(role, "ssc")
            response = client.post(url, {"file": upload, "provider": provider, "dry_run": "true"})
        else:
            response = client.get(url)
        assert response.status_code == expected[role], f"{role} {method.upper()} {url}: {response.status_code}, expected {expected[role]}"


def test_every_page_and_endpoint_is_in_the_matrix(objects):
    names = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLPattern) and pattern.name and pattern.name not in ("logout", "set_language"):
            names.add(pattern.name)
    covered = {name for name, _url, _expected in page_matrix(objects)}
    assert names - covered == set(), f"pages without a row in the permission matrix: {names - covered}"
    schema = api.get_openapi_schema()
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    covered_api = {(method, template) for method, template, *_rest in api_matrix(objects)}
    assert operations - covered_api == set(), f"API operations without a row: {operations - covered_api}"


def test_customer_contact_sees_nothing_of_other_customers(client_for, contact_customer, other_customer):
    client = client_for(CONTACT)
    others = list(Customer.objects.filter(provider=contact_customer.provider).exclude(pk=contact_customer.pk).values_list("name", flat=True))
    for url in ["/", "/customers/", "/agreements/", "/volumes/", "/services/", f"/services/{Service.objects.get(provider__code='ssc', code='lon').pk}/",
                f"/customers/?q={other_customer.name}", f"/volumes/?q={other_customer.org_number}"]:
        text = client.get(url).content.decode()
        leaked = [name for name in others if f">{name}<" in text]
        assert leaked == [], f"{url} shows other customers: {leaked[:3]}"
    # Search for another customer finds nothing, and the 404 page does not echo its name.
    assert "0 rader" in client.get(f"/customers/?q={other_customer.name}").content.decode()
    assert other_customer.name not in client.get(f"/customers/{other_customer.pk}/").content.decode()
    # Exports contain only the contact's own rows.
    for url in ["/customers/?format=xlsx", "/agreements/?format=xlsx", "/volumes/?format=xlsx"]:
        book = load_workbook(io.BytesIO(fetch(client, url).content))
        names = {str(cell.value) for row in book.active.iter_rows() for cell in row}
        assert not names & set(others), url
    # The API lists only the own organisation.
    assert [c["id"] for c in client.get("/api/customers").json()["items"]] == [contact_customer.pk]
    assert {a["customer_id"] for a in client.get("/api/agreements?limit=1000").json()["items"]} == {contact_customer.pk}
    assert client.get(f"/api/agreements?customer_id={other_customer.pk}").json()["items"] == []
    assert client.get(f"/api/volumes?customer_id={other_customer.pk}").json()["items"] == []
    # Price lists: only the published one, and no self-cost columns.
    assert [p["status"] for p in client.get("/api/price-lists").json()] == ["published"]


def test_provider_staff_see_only_their_provider(client_for):
    client = client_for(STHLM)
    items = client.get("/api/customers?limit=1000").json()["items"]
    assert items and {c["provider"] for c in items} == {"stockholm"}
    coordinator = client_for(IT).get("/api/customers?limit=1000").json()["items"]
    assert {c["provider"] for c in coordinator} == {"fk", "skv", "trv"}


def test_token_authentication_follows_the_same_scope(db, contact_customer, other_customer):
    from django.test import Client

    from servicecenter.apps.accounts.models import ApiToken

    token, key = ApiToken.issue(get_user_model().objects.get(username=CONTACT), "test")
    client = Client()
    assert client.get("/api/customers", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    response = client.get("/api/customers", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and [c["id"] for c in response.json()["items"]] == [contact_customer.pk]
    assert client.get(f"/api/customers/{other_customer.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 404
    token.revoked = True
    token.save()
    assert client.get("/api/customers", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_admin_rows_follow_the_scope(client_for, other_customer):
    sthlm = client_for(STHLM)
    assert sthlm.get(f"/admin/registry/customer/{other_customer.pk}/change/").status_code in (302, 404)
    assert other_customer.name not in sthlm.get("/admin/registry/customer/").content.decode()
    # Since #12 the admin is for superusers only: a provider's controller is sent to the login page.
    assert client_for(CONTROLLER).get(f"/admin/registry/customer/{other_customer.pk}/change/").status_code == 302
    assert client_for("admin").get(f"/admin/registry/customer/{other_customer.pk}/change/").status_code == 200
