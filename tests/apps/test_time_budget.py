"""#16: no page does long work inside its request. Every URL of the site is named below: the
ones that take a form (POST) or answer a file are called, on the demo organisation (a national
provider and Stockholm at their full size), with input that makes them do their real work; each
must answer within BUDGET seconds or hand the work to a background job (an answer that sends the
browser to /jobs/). The queue is the database's and no worker runs, so a job's work is not
counted. A URL added to the site and not named here fails the test: decide what it is first."""

import io
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import get_resolver

from servicecenter.apps.billing import services as billing
from servicecenter.apps.billing.models import Invoice
from servicecenter.apps.costing.models import AllocationRun, CostModel, PriceList
from servicecenter.apps.network.models import Scenario
from servicecenter.apps.registry.models import Customer, Provider
from servicecenter.core.periods import Period

#: "more than about a second" (#16); the machine running the tests is shared, hence no less
BUDGET = 1.0

#: URLs that only show a page (GET, HTML, nothing to download): not walked here
PAGES = {"home", "customer", "service", "agreement", "costing", "costing-run", "costing-trace", "costing-compare", "costing-behaviour",
         "followup", "followup-drill", "network", "network-offices", "network-office", "network-partners", "network-compare", "jobs", "job", "job-progress", "billing-run-draft",
         "health"}
#: not ours to walk: Django's admin, the API (tests/apps/test_audit_and_api.py and the note on #16), static
OUTSIDE = {"admin", "api"}


def _client(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def walk(db):
    """Objects the cases need, made through the services (not timed)."""
    stockholm = Provider.objects.get(code="stockholm")
    preparer = get_user_model().objects.get(username="sthlm-controller")
    attestant = get_user_model().objects.get(username="sthlm-attestant")
    run = billing.start_run(stockholm, Period.month(2020, 12), preparer)
    billing.approve(run, attestant, acknowledge_flags=True)
    run.refresh_from_db()
    invoice = Invoice.objects.filter(provider__code="ssc", document_type="380").order_by("-pk").first()
    model = CostModel.objects.filter(provider__code="ssc").first()
    cost_run = AllocationRun.objects.filter(model__provider__code="ssc").order_by("-pk").first()
    price_list = PriceList.objects.filter(provider__code="ssc", status="published").order_by("-year").first()
    other_list = PriceList.objects.filter(provider=price_list.provider, year=price_list.year).exclude(pk=price_list.pk).first() or price_list
    scenario = Scenario.objects.filter(provider__code="ssc").first()
    return {"run": run, "invoice": invoice, "model": model, "cost_run": cost_run, "price_list": price_list, "other_list": other_list,
            "scenario": scenario, "stockholm": stockholm, "customer": Customer.objects.filter(provider__code="ssc").first()}


def _cases(w):
    """(URL name, user, method, path, data, note) for every form and download of the site."""
    run, invoice, scenario = w["run"], w["invoice"], w["scenario"]
    token = f"issue:{run.pk}:{run.state}:{run.preview_hash}"
    sie = b'#FLAGGA 0\r\n#SIETYP 4\r\n#RAR 0 20300101 20301231\r\n#KONTO 5010 "Lokalhyra"\r\n'
    return [
        ("billing", "sthlm-controller", "post", "/billing/", {"provider": w["stockholm"].pk, "month": "2021-01"}, "a month's preview"),
        ("billing-run", "sthlm-attestant", "post", f"/billing/runs/{run.pk}/", {"action": "issue", "confirm": token}, "issue a month"),
        ("billing-run", "sthlm-controller", "post", f"/billing/runs/{run.pk}/", {"action": "refresh"}, "make the preview again"),
        ("billing-run", "sthlm-attestant", "post", f"/billing/runs/{run.pk}/", {"action": "discard"}, "asks first"),
        ("billing-invoices", "controller", "get", "/billing/invoices/?format=xlsx", None, "every invoice"),
        ("billing-invoice", "controller", "post", f"/billing/invoices/{invoice.pk}/", {"full": "1", "reason": "fel"}, "asks first"),
        ("billing-invoice-download", "controller", "get", f"/billing/invoices/{invoice.pk}/pdf/", None, "PDF"),
        ("billing-invoice-download", "controller", "get", f"/billing/invoices/{invoice.pk}/xml/", None, "stored XML"),
        ("billing-invoice-download", "controller", "get", f"/billing/invoices/{invoice.pk}/xlsx/", None, "Excel"),
        ("billing-reconciliation", "controller", "get", f"/billing/reconciliation/{invoice.period_start:%Y-%m}/?format=xlsx", None, ""),
        ("billing-focus", "controller", "get", "/billing/focus.csv", None, "every invoice line"),
        ("billing-late-events", "controller", "get", "/billing/late-events/?format=xlsx", None, ""),
        ("billing-usage", "controller", "get", "/billing/usage/?format=xlsx", None, "the stored usage totals"),
        ("customers", "controller", "get", "/customers/?format=xlsx", None, ""),
        ("services", "controller", "get", "/services/?format=xlsx", None, ""),
        ("agreements", "controller", "get", "/agreements/?format=xlsx", None, ""),
        ("volumes", "controller", "get", "/volumes/?format=xlsx", None, "5 000 rows and more"),
        ("audit", "admin", "get", "/audit/?format=xlsx", None, ""),
        ("import", "controller", "post", "/import/", {"kind": "ledger", "provider": "ssc", "file": ("huvudbok.se", sie), "dry_run": "on"}, ""),
        ("import-template", "controller", "get", "/import/templates/customers.xlsx", None, ""),
        ("costing-model", "controller", "post", f"/costing/models/{w['model'].pk}/", {"action": "run"}, "every allocation step"),
        ("costing-model-new", "controller", "post", "/costing/models/new/", {"name": "Ny", "year": "2030"}, "refused: a form without its fields"),
        ("costing-pools", "controller", "post", "/costing/pools/", {"year": "2030", "code": "p", "name": "P"}, "refused: a form without its fields"),
        ("costing-pool", "controller", "post", f"/costing/pools/{_first_pool(w)}/", {}, ""),
        ("costing-keys", "controller", "post", "/costing/keys/", {"year": "2030", "code": "k", "name": "K"}, "refused: a form without its fields"),
        ("costing-key", "controller", "post", f"/costing/keys/{_first_key(w)}/", {}, ""),
        ("costing-ledger", "controller", "get", "/costing/ledger/", None, "a page with its form"),
        ("costing-price-lists", "controller", "get", "/costing/price-lists/", None, "a page"),
        ("costing-price-list-derive", "controller", "post", f"/costing/price-lists/derive/{w['cost_run'].pk}/", "initial", "derive with the proposed volumes"),
        ("costing-price-list", "controller", "get", f"/costing/price-lists/{w['price_list'].pk}/?format=xlsx", None, ""),
        ("costing-price-list", "controller", "post", f"/costing/price-lists/{w['price_list'].pk}/", {"action": "copy"}, "a copy as a draft"),
        ("costing-price-list-entry-new", "controller", "post", f"/costing/price-lists/{w['price_list'].pk}/entries/new/", {}, ""),
        ("costing-price-list-entry", "controller", "post", f"/costing/price-lists/{w['price_list'].pk}/entries/{_first_service(w)}/", {}, ""),
        ("costing-what-if", "controller", "get", f"/costing/what-if/?current={w['price_list'].pk}&alternative={w['other_list'].pk}&format=xlsx", None, ""),
        ("costing-copy", "controller", "post", f"/costing/models/{w['model'].pk}/copy/", {}, ""),
        ("followup-definitions", "controller", "post", "/followup/definitions/", {}, "refused: an empty form"),
        ("followup-entry", "controller", "post", "/followup/entry/", {}, "refused: an empty form"),
        ("followup-suppliers", "it-samordnare", "post", "/followup/suppliers/?provider=fk", {}, "refused: an empty form"),
        ("followup-it-report", "it-samordnare", "get", "/followup/it-report/2025/?provider=fk&format=pdf", None, ""),
        ("followup-it-report", "it-samordnare", "get", "/followup/it-report/2025/?provider=fk&format=xlsx", None, ""),
        ("followup-fee-report", "controller", "get", "/followup/fee-report/2025/?format=pdf", None, ""),
        ("followup-fee-report", "controller", "get", "/followup/fee-report/2025/?format=xlsx", None, ""),
        ("network-statistics", "planerare", "get", "/network/statistics/?format=xlsx", None, ""),
        ("network-scenarios", "planerare", "post", "/network/scenarios/", {"name": "Walk", "base_date": "2025-01-01"}, "a new scenario"),
        ("network-scenario", "planerare", "get", f"/network/scenarios/{scenario.pk}/?format=pdf", None, "consequence report"),
        ("network-scenario", "planerare", "get", f"/network/scenarios/{scenario.pk}/?format=xlsx", None, ""),
        ("network-scenario", "planerare", "post", f"/network/scenarios/{scenario.pk}/", {"action": "settings", "lost_share": "0,3"}, ""),
        ("network-optimise", "planerare", "post", "/network/optimise/", {"day": "2025-01-01", "close": "35", "objective": "median", "keep_full": "on",
                                                                        "fa_rule": "hard"}, "the solver"),
        ("organisation", "admin", "post", "/organisation/", {}, ""),
        ("job-cancel", "controller", "post", "/jobs/00000000-0000-0000-0000-000000000000/cancel/", {}, "refused: no such job"),
        ("job-download", "controller", "get", "/jobs/00000000-0000-0000-0000-000000000000/download/", None, "refused: no such job"),
        ("login", None, "post", "/login/", {"username": "controller", "password": "fel"}, ""),
        ("logout", "controller", "post", "/logout/", {}, ""),
        ("set_language", "controller", "post", "/i18n/setlang/", {"language": "en", "next": "/"}, ""),
    ]


def _first_pool(w):
    from servicecenter.apps.costing.models import CostPool

    return CostPool.objects.filter(provider__code="ssc").values_list("pk", flat=True).first()


def _first_key(w):
    from servicecenter.apps.costing.models import AllocationKey

    return AllocationKey.objects.filter(provider__code="ssc").values_list("pk", flat=True).first()


def _first_service(w):
    return w["price_list"].entries.values_list("service_id", flat=True).first()


def _form_data(client, path):
    """The form of ``path`` as a person would send it without changing anything."""
    form = client.get(path).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        value = value() if callable(value) else value
        if value is not None:
            data[name] = getattr(value, "pk", value)
    return data


def _call(client, method, path, data):
    if method == "get":
        return client.get(path)
    if isinstance(data, dict) and "file" in data and isinstance(data["file"], tuple):
        name, content = data["file"]
        upload = io.BytesIO(content)
        upload.name = name
        data = {**data, "file": upload}
    return client.post(path, data)


def _api_cases(w):
    """(operation, user, method, path, JSON body or a file, note) for every API call that writes."""
    run, model, price_list = w["run"], w["model"], w["price_list"]
    draft = PriceList.objects.filter(provider__code="ssc", status="draft").first() or price_list
    pool = _first_pool(w)
    key = _first_key(w)
    return [
        ("/api/billing/runs", "sthlm-controller", "post", "/api/billing/runs", {"provider": "stockholm", "month": "2020-12"}, "a preview"),
        ("/api/billing/runs/{run_id}/approve", "sthlm-attestant", "post", f"/api/billing/runs/{run.pk}/approve", {}, "refused: approved already"),
        ("/api/billing/runs/{run_id}/issue", "sthlm-attestant", "post", f"/api/billing/runs/{run.pk}/issue", {}, "issue a month"),
        ("/api/imports/{kind}", "controller", "post", "/api/imports/customers",
         ("kunder.csv", b"org_number;name\n202100-5026;X\n"), "an import"),
        ("/api/costing/models/{model_id}/run", "controller", "post", f"/api/costing/models/{model.pk}/run", {}, "every allocation step"),
        ("/api/costing/models", "controller", "post", "/api/costing/models", {"provider": "ssc", "name": "Walk", "year": 2030}, ""),
        ("/api/costing/models/{model_id}/steps", "controller", "post", f"/api/costing/models/{model.pk}/steps", {"name": "X", "method": "direct"}, ""),
        ("/api/costing/pools", "controller", "post", "/api/costing/pools", {"provider": "ssc", "name": "Walk", "kind": "support"}, ""),
        ("/api/costing/pools/{pool_id}/rules", "controller", "post", f"/api/costing/pools/{pool}/rules", {"account_from": "9100", "account_to": "9199"}, ""),
        ("/api/costing/keys", "controller", "post", "/api/costing/keys", {"provider": "ssc", "name": "Walk", "basis": "employees", "computed": True}, ""),
        ("/api/costing/keys/{key_id}/weights", "controller", "put", f"/api/costing/keys/{key}/weights", {"weights": {}}, "refused: no weights"),
        ("/api/price-lists", "controller", "post", "/api/price-lists", {"provider": "ssc", "name": "Walk", "year": 2030}, ""),
        ("/api/price-lists/{price_list_id}/entries/{service_code}", "controller", "put", f"/api/price-lists/{draft.pk}/entries/lon", {"unit_price": "10"}, ""),
        ("/api/price-lists/{price_list_id}/publish", "controller", "post", f"/api/price-lists/{draft.pk}/publish", {}, ""),
        ("/api/indicators", "controller", "post", "/api/indicators", {"provider": "ssc", "name_sv": "Walk", "numerator": "a / b", "valid_from": 2027}, ""),
        ("/api/network/scenarios", "planerare", "post", "/api/network/scenarios?provider=ssc", {"name": "Walk", "base_date": "2025-01-01"}, "a new scenario"),
        ("/api/network/scenarios/{scenario_id}/changes", "planerare", "post", f"/api/network/scenarios/{w['scenario'].pk}/changes?provider=ssc",
         {"action": "close", "office": "sk001"}, "one change, the consequences measured again"),
        ("/api/network/optimise", "planerare", "post", "/api/network/optimise?provider=ssc", {"close": 35, "fa_rule": "hard", "day": "2025-01-01"}, "the solver"),
    ]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_every_api_call_that_writes_answers_within_a_second_or_starts_a_job(walk):
    import json

    from servicecenter.web.api import api

    schema = api.get_openapi_schema()
    writes = {path for path, item in schema["paths"].items() for method in item if method in ("post", "put", "patch", "delete")}
    cases = _api_cases(walk)
    assert writes - {case[0] for case in cases} == set(), "API calls that write and are not walked"
    slow, measured = [], []
    for _operation, user, method, path, body, note in cases:
        client = _client(user)
        started = time.perf_counter()
        if isinstance(body, tuple):
            upload = io.BytesIO(body[1])
            upload.name = body[0]
            response = client.post(path, {"file": upload, "provider": "ssc", "dry_run": "true"})
        else:
            response = getattr(client, method)(path, json.dumps(body), content_type="application/json")
        seconds = time.perf_counter() - started
        job = response.status_code == 202
        measured.append(f"{seconds:6.3f} s  {response.status_code} {'job ' if job else '    '} {method.upper():4} {path}  {note}")
        assert response.status_code < 400 or note.startswith("refused"), (path, response.status_code, response.content[:300])
        if seconds > BUDGET and not job:
            slow.append(f"{method.upper()} {path} took {seconds:.2f} s without starting a job ({note})")
    print("\n".join(measured))
    assert not slow, "\n".join(slow)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_every_form_and_download_answers_within_a_second_or_starts_a_job(walk):
    resolver = get_resolver()
    names = {pattern.name for pattern in resolver.url_patterns if getattr(pattern, "name", None)}
    cases = _cases(walk)
    walked = {case[0] for case in cases}
    unnamed = names - walked - PAGES - OUTSIDE
    assert not unnamed, f"URLs neither walked nor listed as pages: {sorted(unnamed)}"
    slow, measured = [], []
    for name, user, method, path, data, note in cases:
        client = _client(user) if user else Client()
        if data == "initial":
            data = _form_data(client, path)
        for attempt in range(2):   # a GET is tried twice: a shared machine may stall once
            started = time.perf_counter()
            response = _call(client, method, path, data)
            seconds = time.perf_counter() - started
            job = response.status_code == 302 and response["Location"].startswith("/jobs/")
            if job or seconds <= BUDGET or method == "post" or attempt:
                break
        # the case did its real work (only the ones named "refused" test a refusal)
        assert response.status_code < 400 or note.startswith("refused"), (name, path, response.status_code)
        measured.append(f"{seconds:6.3f} s  {response.status_code} {'job ' if job else '    '} {method.upper():4} {path}  {note}")
        if seconds > BUDGET and not job:
            slow.append(f"{name}: {method.upper()} {path} took {seconds:.2f} s without starting a job ({note})")
    print("\n".join(measured))
    assert not slow, "\n".join(slow)
