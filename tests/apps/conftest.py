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
