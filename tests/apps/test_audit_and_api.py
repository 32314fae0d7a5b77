import re

import pytest

from servicecenter.apps.accounts.models import AuditEntry
from servicecenter.apps.registry.models import Customer
from tests.apps.conftest import api_done


def test_admin_change_is_audited_with_a_dotted_action(client_for, contact_customer):
    # The admin is for superusers' repairs (#12); their changes are audited like any other.
    assert client_for("controller").get(f"/admin/registry/customer/{contact_customer.pk}/change/").status_code == 302
    client = client_for("admin")
    url = f"/admin/registry/customer/{contact_customer.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data.update({"name": "Kronofogden (ändrad)", "provider": contact_customer.provider_id, "sector": "state",
                 "years-TOTAL_FORMS": 0, "years-INITIAL_FORMS": 0, "years-MIN_NUM_FORMS": 0, "years-MAX_NUM_FORMS": 1000})
    for key in ("host", "preparedness_from", "preparedness_until"):
        data[key] = data.get(key) or ""
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Customer.objects.get(pk=contact_customer.pk).name == "Kronofogden (ändrad)"
    entry = AuditEntry.objects.filter(action="registry.customer.updated", object_id=str(contact_customer.pk)).first()
    assert entry is not None and entry.username == "admin" and "name" in entry.data["fields"]
    assert "registry.customer.updated" in client.get("/audit/").content.decode()


def test_audit_log_is_scoped(client_for):
    AuditEntry.objects.create(action="registry.customer.updated", username="x", object_repr="Stockholmsposten",
                              provider_id=Customer.objects.filter(provider__code="stockholm").first().provider_id)
    assert "Stockholmsposten" in client_for("sthlm-controller").get("/audit/").content.decode()
    assert "Stockholmsposten" not in client_for("controller").get("/audit/").content.decode()


def test_openapi_documents_every_endpoint(client_for):
    client = client_for(None)
    schema = client.get("/api/openapi.json").json()
    assert {"/api/customers", "/api/services", "/api/agreements", "/api/volumes", "/api/imports/{kind}"} <= set(schema["paths"])
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    # the documentation page loads only the product's own files: it works offline, and a
    # public-sector installation makes no third-party request (#17)
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.content.decode())
    assert sources and all(source.startswith("/static/") for source in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_api_import_reports_problems_with_rows(client_for):
    import io

    upload = io.BytesIO(b"org_number;name\n202100-6256;X\n")
    upload.name = "kunder.csv"
    client = client_for("controller")
    job = api_done(client, client.post("/api/imports/customers", {"file": upload, "dry_run": "false", "language": "en"}))
    body = job["result"]
    assert job["state"] == "done" and body["status"] == "rejected"
    assert body["problems"][0]["row"] == 2 and body["problems"][0]["code"] == "orgnr.checksum"


@pytest.mark.parametrize("language,word", [("sv", "Kunder"), ("en", "Customers")])
def test_language_switch(client_for, language, word):
    client = client_for("controller")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert f"<h1>{word}</h1>" in client.get("/customers/").content.decode()
