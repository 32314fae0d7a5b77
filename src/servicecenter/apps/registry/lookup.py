"""Finding the customer a row of a file names: by customer number, or by organisation number
when exactly one of the provider's customers has it (the usual case for agencies and companies;
a city's administrations share one and must be named by customer number)."""

from __future__ import annotations

from collections import defaultdict

from servicecenter.apps.registry.models import Customer, Provider
from servicecenter.core import registry as rules
from servicecenter.core.problems import Problem
from servicecenter.formats.tabular import Column

NUMBER_COLUMN = Column("customer_number", False, ("kundnummer", "kundnr", "kund nr"), either="customer")
ORG_COLUMN = Column("org_number", False, ("organisationsnummer", "orgnr", "org_nr", "customer"), either="customer")


class CustomerLookup:
    """``find(row)`` → (customer id or None, the column a problem belongs to, the problem).
    Results are cached per text, so a file of a million rows looks up each customer once."""

    def __init__(self, provider: Provider) -> None:
        self.by_number: dict[str, int] = {}
        self.by_org: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for pk, number, org_number in Customer.objects.filter(provider=provider).values_list("id", "number", "org_number"):
            self.by_number[number] = pk
            self.by_org[org_number].append((number, pk))
        self.cache: dict[tuple[str, str], tuple[int | None, str, Problem | None]] = {}

    def find(self, row: dict) -> tuple[int | None, str, Problem | None]:
        key = ((row.get("customer_number") or "").strip(), (row.get("org_number") or "").strip())
        if key not in self.cache:
            self.cache[key] = self._find(*key)
        return self.cache[key]

    def _find(self, number: str, org_text: str) -> tuple[int | None, str, Problem | None]:
        if number:
            pk = self.by_number.get(number)
            return (pk, "customer_number", None) if pk is not None else (None, "customer_number", Problem("customer.unknown_number", {"number": number}, value=number))
        if not org_text:
            return None, "org_number", Problem("customer.identify")
        problems = rules.check_orgnr(org_text)
        if problems:
            return None, "org_number", Problem(problems[0].code, problems[0].params, value=org_text)
        org_number = rules.normalise_orgnr(org_text)
        found = self.by_org.get(org_number, [])
        if not found:
            return None, "org_number", Problem("customer.unknown", {"orgnr": org_number}, value=org_text)
        if len(found) > 1:
            numbers = ", ".join(sorted(n for n, _pk in found)[:5]) + (" …" if len(found) > 5 else "")
            return None, "org_number", Problem("customer.ambiguous", {"orgnr": org_number, "numbers": numbers}, value=org_text)
        return found[0][1], "org_number", None
