"""App tests run against the demo organisation, built once per session into the test database
(SQLite in memory, or the PostgreSQL of DATABASE_URL). Each test runs in a transaction that is
rolled back, so tests may change anything."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from servicecenter.apps.registry.models import Agreement, Customer, Provider


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language: a request of an earlier test activates its own
    (LocaleMiddleware leaves it active in the thread), which must not decide a later test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from servicecenter.demo.build import build_demo

    with django_db_blocker.unblock():
        build_demo()
    yield


@pytest.fixture
def client_for(db):
    def make(username: str | None) -> Client:
        client = Client()
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        return client
    return make


@pytest.fixture
def ssc(db):
    return Provider.objects.get(code="ssc")


@pytest.fixture
def contact_customer(db):
    return get_user_model().objects.get(username="kundkontakt").profile.customer


@pytest.fixture
def other_customer(db, contact_customer):
    """A customer of the same provider that the customer contact must never see."""
    return Customer.objects.filter(provider=contact_customer.provider).exclude(pk=contact_customer.pk).order_by("name").first()


@pytest.fixture
def other_agreement(db, other_customer):
    return Agreement.objects.filter(customer=other_customer).first()


def through_job(client, response, **extra):
    """What a page that started a background job leads to: the job's page, which (the job done:
    the test settings run jobs at once) sends the browser on to the result."""
    assert response.status_code == 302 and response["Location"].startswith("/jobs/"), (response.status_code, response.get("Location"))
    return client.get(response["Location"], **extra)


def fetch(client, url, **extra):
    """GET a download as a person would: at once, or (a long one) through the background job that
    makes it, taking the file from the job. Any other answer is returned as it is."""
    from django.http import HttpResponse

    response = client.get(url, **extra)
    if response.status_code != 302 or not response["Location"].startswith("/jobs/"):
        return response
    page = client.get(response["Location"], **extra)
    assert page.status_code == 200 and "/download/" in page.content.decode(), page.content.decode()[-2000:]
    download = client.get(response["Location"] + "download/", **extra)
    assert download.status_code == 200
    copy = HttpResponse(b"".join(download.streaming_content), content_type=download["Content-Type"])
    for header in ("Content-Disposition", "Cache-Control"):
        if header in download:
            copy[header] = download[header]
    return copy


def api_done(client, response, **extra) -> dict:
    """The job an API call started (202), as its poll URL shows it afterwards (the test settings
    run jobs at once); its ``result`` is what the call answers."""
    assert response.status_code == 202, (response.status_code, response.content[:500])
    return client.get(response.json()["poll"], **extra).json()


def new_organisation(code: str, name: str, org_number: str) -> Provider:
    """An organisation of its own beside the demo's, made as `servicecenter init` makes one (its
    administrator included): for tests that must not lean on the demo's data."""
    from django.utils import translation

    from servicecenter.apps.registry import organisation

    with translation.override("en"):
        provider, _admin = organisation.create_organisation(code=code, name=name, org_number=org_number, kind=Provider.Kind.IT_SUPPLIER,
                                                            admin_username=f"{code}-admin", admin_password="Ett-rätt-långt-lösenord-9")
    return provider
