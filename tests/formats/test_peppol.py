"""Our UBL against the official EN 16931 and Peppol BIS 3.0 rules in ../shared/peppol."""

import os
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from lxml import etree

from servicecenter.core.money import round_ore
from servicecenter.formats.peppol import (
    DocumentType,
    InvoiceDocument,
    Line,
    Party,
    PeppolValidator,
    VatCategory,
    build_ubl,
    totals,
)

# The official rules are used where they are kept (../shared/peppol beside the repository, as in
# CI), or wherever SERVICECENTER_PEPPOL_RULES points; they are never copied into the repository.
RULES = Path(os.environ.get("SERVICECENTER_PEPPOL_RULES", Path(__file__).resolve().parents[2].parent / "shared" / "peppol"))


@pytest.fixture(scope="module")
def validator():
    return PeppolValidator(RULES)


SELLER = Party("Statens servicecenter", "202100-6255", "Box 47", "Gävle", "801 02", vat_number="SE202100625501", contact_email="faktura@example.se")
BUYER = Party("Kronofogdemyndigheten", "202100-2742", "Box 1050", "Sundbyberg", "172 21")


def invoice(category=VatCategory.OUTSIDE_SCOPE, rate=D(0), document_type=DocumentType.INVOICE, seller=SELLER, **changes):
    lines = [
        Line("1", "Lönetjänsten, lönespecifikationer", D(1234), "C62", D("171.42"), round_ore(D(1234) * D("171.42")), category, rate, "lon",
             date(2025, 3, 1), date(2025, 3, 31)),
        Line("2", "Tilläggshantering lön", D("7.5"), "HUR", D("2736.17"), round_ore(D("7.5") * D("2736.17")), category, rate, "lon-tillagg"),
    ]
    values = dict(number="SSC-2025-000123", issue_date=date(2025, 4, 3), due_date=date(2025, 5, 3), document_type=document_type,
                  seller=seller if category is not VatCategory.OUTSIDE_SCOPE else Party(**{**seller.__dict__, "vat_number": ""}),
                  buyer=BUYER, buyer_reference="KFM-4711", lines=lines, period_start=date(2025, 3, 1), period_end=date(2025, 3, 31),
                  bankgiro="5050-1055", payment_reference="SSC-2025-000123")
    values.update(changes)
    return InvoiceDocument(**values)


def test_the_official_examples_pass(validator):
    for example in sorted((RULES / "examples").glob("*.xml")):
        assert validator.fatal(validator.validate(example.read_bytes())) == [], example.name


@pytest.mark.parametrize("category,rate", [(VatCategory.OUTSIDE_SCOPE, D(0)), (VatCategory.STANDARD, D(25))])
def test_our_invoice_and_credit_note_pass_both_rule_sets(validator, category, rate):
    for document_type, extra in ((DocumentType.INVOICE, {}), (DocumentType.CREDIT_NOTE, {"preceding_invoice": "SSC-2025-000100", "preceding_issue_date": date(2025, 3, 3)})):
        xml = build_ubl(invoice(category, rate, document_type, **extra))
        assert validator.fatal(validator.validate(xml)) == [], (category, document_type)


def test_totals_round_vat_per_category_to_the_ore():
    summary = totals(invoice(VatCategory.STANDARD, D(25)).lines)
    assert summary.line_total == D("211532.28") + D("20521.28")  # 1,234 × 171.42 and 7.5 × 2,736.17 (20,521.275 → .28)
    assert summary.tax_total == round_ore(summary.line_total * D("0.25"))
    assert summary.payable == summary.line_total + summary.tax_total


def test_a_broken_invoice_is_caught_with_the_right_rule(validator):
    xml = build_ubl(invoice(VatCategory.STANDARD, D(25)))
    tree = etree.fromstring(xml)
    ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
          "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}
    tree.find("cac:LegalMonetaryTotal/cbc:PayableAmount", ns).text = "1.00"            # payable ≠ inclusive amount
    tree.find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", ns).getparent().remove(
        tree.find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", ns))          # no buyer endpoint
    rules = {finding.rule for finding in validator.fatal(validator.validate(etree.tostring(tree)))}
    assert "BR-CO-16" in rules
    assert "PEPPOL-EN16931-R010" in rules


def test_swedish_rules_catch_a_bad_organisation_number(validator):
    bad = Party("Fel AB", "202100-6256", city="Gävle", vat_number="SE202100625601")
    rules = {finding.rule for finding in validator.fatal(validator.validate(build_ubl(invoice(VatCategory.STANDARD, D(25), seller=bad))))}
    assert {"SE-R-013", "PEPPOL-COMMON-R049"} <= rules, rules  # Luhn check digit; organisation number format


def test_missing_rules_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="Peppol rules not found"):
        PeppolValidator(tmp_path)


def test_validating_in_worker_processes_gives_each_document_its_own_findings_in_order(validator):
    from lxml import etree as et

    good = build_ubl(invoice(VatCategory.STANDARD, D(25)))
    tree = et.fromstring(good)
    ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
          "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}
    tree.find("cac:LegalMonetaryTotal/cbc:PayableAmount", ns).text = "1.00"
    broken = et.tostring(tree)
    documents = [broken if k % 7 == 3 else good for k in range(30)]
    serial = validator.validate_all(documents, processes=1)
    parallel = validator.validate_all(documents, processes=2)
    assert parallel == serial
    assert [any(f.rule == "BR-CO-16" for f in found) for found in parallel] == [k % 7 == 3 for k in range(30)]
    failed = next(f for f in parallel[3] if f.rule == "BR-CO-16")
    assert failed.flag == "fatal" and failed.location and "Amount due for payment" in failed.message


def test_building_and_validating_in_the_workers_gives_the_bytes_built_here(validator):
    from dataclasses import replace

    good = invoice(VatCategory.STANDARD, D(25))
    bad = replace(good, seller=replace(good.seller, org_number="202100-6254"))   # check digit wrong
    documents = [replace(bad if k % 9 == 4 else good, number=f"INV{k:03d}") for k in range(30)]
    serial = validator.build_and_validate_all(documents, processes=1)
    parallel = validator.build_and_validate_all(documents, processes=2)
    assert parallel == serial
    assert [xml for xml, _found in parallel] == [build_ubl(document) for document in documents]
    assert [any(f.rule == "SE-R-013" for f in found) for _xml, found in parallel] == [k % 9 == 4 for k in range(30)]


def test_documents_may_come_as_they_are_made(validator):
    """A generator with its count: the workers take the first documents while the caller is still
    making the rest; the results are the same, in order. A count that does not match refuses."""
    from dataclasses import replace

    good = invoice(VatCategory.STANDARD, D(25))
    bad = replace(good, seller=replace(good.seller, org_number="202100-6254"))
    documents = [replace(bad if k % 5 == 2 else good, number=f"INV{k:03d}") for k in range(30)]
    made = []

    def making():
        for document in documents:
            made.append(document.number)
            yield document

    streamed = validator.build_and_validate_all(making(), processes=2, total=len(documents))
    assert made == [document.number for document in documents]
    assert streamed == validator.build_and_validate_all(documents, processes=1)
    with pytest.raises(ValueError, match="29 documents validated, 30 announced"):
        validator.build_and_validate_all(iter(documents[:29]), processes=2, total=30)
    with pytest.raises(ValueError, match="3 documents validated, 2 announced"):
        validator.validate_all(iter([b"<x/>"] * 3), processes=1, total=2)


def test_started_workers_are_the_ones_a_run_then_uses(validator, monkeypatch):
    """``start_workers`` (a server's worker calls it when it starts) starts the pool a run's
    ``validate_all`` then takes: the same processes, already past compiling the rule sets. What
    they warm up on is a valid invoice of a month's shape, so the rules' walk is the real one. On
    one core nothing is started (validation stays in the process)."""
    from servicecenter.formats import peppol

    day = date(2031, 5, 30)   # any day: the warm-up's dates are its own
    assert validator.validate(peppol._warm_up_document(day)) == []
    monkeypatch.setattr(peppol, "_cores", lambda: 1)
    assert validator.start_workers(day) == 0
    monkeypatch.setattr(peppol, "_cores", lambda: 2)
    assert validator.start_workers(day) == 2
    pool = peppol._POOLS[(validator.rules_dir, 2)]
    started = {process.pid for process in pool._processes.values()}
    assert len(started) == 2
    documents = [peppol._warm_up_document(day)] * peppol.PARALLEL_FROM
    assert validator.validate_all(documents, processes=2) == [[]] * len(documents)
    assert {process.pid for process in pool._processes.values()} == started


def test_workers_started_without_waiting_take_the_next_batch_after_their_warm_up(validator, monkeypatch):
    """``start_workers(wait=False)`` (the demo's build calls it before it migrates): the warm-up
    is queued in the pool a run then takes, and the run's documents are validated after it, with
    their own findings."""
    from servicecenter.formats import peppol

    day = date(2031, 5, 30)
    monkeypatch.setattr(peppol, "_cores", lambda: 2)
    assert validator.start_workers(day, wait=False) == 2
    pool = peppol._POOLS[(validator.rules_dir, 2)]
    started = {process.pid for process in pool._processes.values()}
    documents = [peppol._warm_up_document(day)] * (peppol.PARALLEL_FROM - 1) + [b"<x/>"]
    found = validator.validate_all(documents, processes=2)
    assert found[:-1] == [[]] * (len(documents) - 1) and validator.fatal(found[-1])
    assert {process.pid for process in pool._processes.values()} == started
