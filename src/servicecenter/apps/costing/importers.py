"""Import the ledger: a SIE 4 file (the export of every Swedish ledger system) or a CSV/Excel
file with one row per account, cost centre and month. Re-importing a year replaces that year's
ledger of the same kind, inside the import's one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.audit import record
from servicecenter.apps.accounts.capabilities import Capability
from servicecenter.apps.costing.models import LedgerCell, LedgerImport, LedgerKind
from servicecenter.apps.imports import bulk
from servicecenter.apps.imports.base import Importer, register
from servicecenter.core import limits
from servicecenter.core.money import decimal_of, round_ore
from servicecenter.core.problems import Problem, Severity
from servicecenter.formats.sie import Cell, read_sie
from servicecenter.formats.tabular import Column
from servicecenter.formats.values import (
    parse_bool,
    parse_choice,
    parse_decimal,
    parse_int,
    parse_month,
    parse_text,
)

KIND_ALIASES = {"utfall": "actual", "budget": "plan", "plan": "plan", "actual": "actual"}
SIE_SUFFIXES = (".se", ".si", ".sie")


class CellRow(NamedTuple):
    """One checked ledger row, from a table's row or a SIE file's cell (a named tuple: a million
    SIE transactions make half a million of them)."""

    account: str
    account_name: str
    cost_centre: str
    cost_centre_name: str
    month: date
    amount: Decimal
    kind: str
    transactions: int
    activity: str = ""
    year: int = 0                    # the fiscal year the row belongs to (its last calendar year)


@dataclass
class SieCells:
    """A SIE file's cells as the rows of an import: each is ``(key, Cell)`` as the reader summed
    it (key: account, cost centre, activity, YYYY-MM), numbered by the first #TRANS line behind it.
    Typed already: no text is made of a value only to be parsed back."""

    source: str
    cells: list[tuple[tuple[str, str, str, str], Cell]]
    problems: list[Problem]
    accounts: dict[str, str]                 # the file's #KONTO names
    objects: dict[tuple[str, str], str]      # its #OBJEKT names

    def rows(self):
        return ((cell.first_line, (key, cell)) for key, cell in self.cells)

    @staticmethod
    def heading(name: str) -> str:
        return name


def fiscal_label(end: date) -> int:
    """A fiscal year is named by the calendar year it ends in (2009-07-01–2010-06-30 is 2010), as
    the income year is; a calendar year by itself. Models and follow-up read years by this name."""
    return end.year


#: the ledger kinds' stored values (the enum computes the list each time it is asked)
LEDGER_KINDS = list(LedgerKind.values)
#: a cost centre's code fits its column whole or is refused: cut short, it would name another cost centre
COST_CENTRE_LENGTH = LedgerCell._meta.get_field("cost_centre").max_length
#: the columns a ledger import writes, in the order ``apply`` gives them: the provider, the import,
#: the year and the kind, then ``_STORED`` of each row
CELL_COLUMNS = ("provider_id", "source_id", "year", "kind", "account", "account_name", "cost_centre", "cost_centre_name", "activity", "month",
                "amount", "transactions")
_STORED = itemgetter(*(CellRow._fields.index(name) for name in CELL_COLUMNS[4:]))


@register
class LedgerImporter(Importer):
    kind = "ledger"
    replaces = True
    label = _("Ledger (SIE 4, CSV or Excel)")
    help_text = _("A SIE 4 file from the accounting system, or one row per account, cost centre and month with the amount.")
    columns = (
        Column("account", True, ("konto",)),
        Column("account_name", False, ("kontonamn", "benämning")),
        Column("cost_centre", False, ("kostnadsställe", "kst", "ansvar")),
        Column("cost_centre_name", False, ("kostnadsställets namn",)),
        Column("activity", False, ("verksamhet", "projekt")),
        Column("month", True, ("månad", "period")),
        Column("amount", True, ("belopp",)),
        Column("kind", False, ("utfall/budget", "typ")),
    )

    def open(self, data: bytes | Path, source: str):
        if not source.lower().endswith(SIE_SUFFIXES):
            return super().open(data, source)
        raw = data.read_bytes() if isinstance(data, Path) else data
        ledger, problems = read_sie(raw, source, dimensions=("1", "6"))  # cost centre and activity: the dimensions read
        if ledger is None:
            return None, problems
        self.company = ledger.company
        self.fiscal = (ledger.year_start, ledger.year_end) if ledger.year_start and ledger.year_end else None
        cells = sorted(ledger.cells("1", "6").items(), key=lambda item: item[1].first_line)
        self._sie = SieCells(source, cells, problems, ledger.accounts, ledger.objects)
        # the quick look at each distinct account, cost centre, activity and month, once: a file
        # has a few hundred of each (twelve months) behind half a million cells
        self._quick = [{text: self._part(which, text) for text in {key[which] for key, _cell in cells}} for which in range(4)]
        # a name longer than its column is kept cut, said once (the reader keeps no line of a #KONTO or #OBJEKT)
        for column, names in (("account_name", {ledger.accounts.get(text, "").strip() for text in self._quick[0]}),
                              ("cost_centre_name", {ledger.objects.get(("1", text), "").strip() for text in self._quick[1]})):
            problems += [Problem("value.cut", {"limit": 200}, source=source, column=column, value=name, severity=Severity.WARNING)
                         for name in sorted(names) if len(name) > 200]
        return self._sie, problems

    def check_row(self, number, row, heading):
        if getattr(self, "_sie", None) is not None:
            return self._check_cell(number, row, heading)
        check = self.row_check(number, heading)
        account = check.take("account", parse_text(row.get("account", ""), limit=10))
        period = check.take("month", parse_month(row.get("month", "")))
        amount = check.take("amount", parse_decimal(row.get("amount", ""), negative=True, limit=limits.AMOUNT))
        kind = check.take("kind", parse_choice(row.get("kind", "") or "actual", LEDGER_KINDS, aliases=KIND_ALIASES))
        activity = check.take("activity", parse_text(row.get("activity", ""), required=False, limit=40)) or ""
        cost_centre = check.take("cost_centre", parse_text(row.get("cost_centre", ""), required=False, limit=COST_CENTRE_LENGTH)) or ""
        account_name, cost_centre_name = check.kept("account_name", row.get("account_name"), 200), check.kept("cost_centre_name", row.get("cost_centre_name"), 200)
        if check.errors:
            return None, check.problems
        row, _problems = self._cell_row(check, account, account_name, cost_centre, cost_centre_name, activity, period, amount, kind, 1)
        return row, check.problems   # the refusal of a month outside the fiscal year, or the warnings of a kept row

    def _part(self, which: int, text: str):
        """What the quick look at a cell finds of one of its key's values (0: the account, 1: the
        cost centre, 2: the activity, 3: the month): the value as stored, or None when a cell with
        it needs the full checks."""
        sie = self._sie
        found = None
        if which == 0:     # account: 1–10 characters, it and its name without NUL
            account, name = text.strip(), sie.accounts.get(text, "")
            if 0 < len(account) <= 10 and "\x00" not in text and "\x00" not in name:
                found = (account, name.strip()[:200])
        elif which == 1:   # cost centre: up to 40 characters (a code cut short would be another cost centre), and its name
            code, name = text.strip(), sie.objects.get(("1", text), "")
            if len(code) <= COST_CENTRE_LENGTH and "\x00" not in text and "\x00" not in name:
                found = (code, name.strip()[:200])
        elif which == 2:   # activity: up to 40 characters
            activity = text.strip()
            if len(activity) <= 40 and "\x00" not in text:
                found = activity
        else:              # month, inside the file's fiscal year
            period, problem = parse_month(text)
            if problem is None and self._in_fiscal_year(period):
                fiscal = getattr(self, "fiscal", None)
                found = (period.start, fiscal_label(fiscal[1]) if fiscal is not None else period.start.year)
        return found

    def _check_cell(self, number, item: tuple[tuple[str, str, str, str], Cell], heading):
        """A cell the SIE reader summed: its values are typed already, so only what a table's row
        is checked for besides its syntax is checked here (lengths, a NUL, the amount's limits, the
        month's range and fiscal year), with the same problems. A cell whose values pass the quick
        look (nearly all of a million) is not looked at again."""
        (account_text, centre_text, activity_text, month_text), cell = item
        amount = abs(cell.amount) if cell.amount == 0 else cell.amount   # no negative zero
        accounts, centres, activities, months = self._quick
        account, centre, activity, month = accounts[account_text], centres[centre_text], activities[activity_text], months[month_text]
        if account is not None and centre is not None and activity is not None and month is not None and limits.AMOUNT.check(amount) is None:
            return CellRow._make((account[0], account[1], centre[0], centre[1], month[0], amount, "actual", cell.transactions, activity, month[1])), []
        sie = self._sie
        account_name, centre_name = sie.accounts.get(account_text, ""), sie.objects.get(("1", centre_text), "")
        check = self.row_check(number, heading)   # the problems of the cell, each named as a table row's would be
        for column, text in (("account_name", account_name), ("cost_centre_name", centre_name)):
            if "\x00" in text:
                check.add(column, Problem("value.nul"))
        account = check.take("account", parse_text(account_text, limit=10))
        period = check.take("month", parse_month(month_text))
        check.add("amount", limits.AMOUNT.check(amount))
        activity = check.take("activity", parse_text(activity_text, required=False, limit=40)) or ""
        centre = check.take("cost_centre", parse_text(centre_text, required=False, limit=COST_CENTRE_LENGTH)) or ""
        if check.problems:
            return None, check.problems
        return self._cell_row(check, account, account_name.strip(), centre, centre_name.strip(), activity, period, amount,
                              "actual", cell.transactions)

    def _in_fiscal_year(self, period) -> bool:
        fiscal = getattr(self, "fiscal", None)
        return fiscal is None or fiscal[0] <= period.start <= fiscal[1]

    def _cell_row(self, check, account, account_name, cost_centre, cost_centre_name, activity, period, amount, kind, transactions):
        fiscal = getattr(self, "fiscal", None)
        if not self._in_fiscal_year(period):
            check.add("month", Problem("ledger.outside_fiscal_year", {"month": period.label(), "start": fiscal[0].isoformat(), "end": fiscal[1].isoformat()},
                                       value=period.label()))
            return None, check.problems
        year = fiscal_label(fiscal[1]) if fiscal is not None else period.start.year
        return CellRow(account, account_name[:200], cost_centre, cost_centre_name[:200], period.start, amount, kind, transactions, activity, year), []

    def check_all(self, checked, heading):
        problems = self.duplicates(checked, lambda r: (r.account, r.cost_centre, r.activity, r.month, r.kind), self.source)
        return problems + self._replacements(checked)

    def _going(self, year: int, kind: str, rows: list[CellRow]):
        """What an import of ``year`` replaces: the rows of that fiscal year, and any row of the
        months the file covers (a year stored before under other boundaries); nothing else, so
        importing the next fiscal year never touches the one before."""
        months = [r.month for r in rows]
        return LedgerCell.objects.filter(provider=self.provider, kind=kind).filter(
            Q(year=year) | Q(month__gte=min(months), month__lte=max(months)))

    def _groups(self, checked) -> dict[tuple[int, str], list[CellRow]]:
        groups: dict[tuple[int, str], list[CellRow]] = {}
        for _number, row in checked:
            groups.setdefault((row.year, row.kind), []).append(row)
        return groups

    def _replacements(self, checked) -> list[Problem]:
        """A fiscal year already in the ledger is replaced whole: say how many rows go and come,
        and refuse until the person has confirmed (``replace``). The same file again is no change."""
        problems = []
        for (year, kind), rows in sorted(self._groups(checked).items()):
            going = self._going(year, kind, rows)
            count = going.count()
            if not count or self._same(going, rows):
                continue
            params = {"year": year, "kind": LedgerKind(kind).label, "going": count, "coming": len(rows)}
            problems.append(Problem("ledger.replaces", params, source=self.source, severity=Severity.WARNING) if self.replace
                            else Problem("ledger.replace_unconfirmed", params, source=self.source))
        return problems

    @staticmethod
    def _cell_key(account, cost_centre, activity, month, amount, year):
        return (account, cost_centre, activity, month, round_ore(decimal_of(amount)), year)

    def _same(self, going, rows: list[CellRow]) -> bool:
        """Whether the stored rows are exactly the file's (re-importing a file is idempotent)."""
        stored = sorted(self._cell_key(*values) for values in going.values_list("account", "cost_centre", "activity", "month", "amount", "year"))
        coming = sorted(self._cell_key(r.account, r.cost_centre, r.activity, r.month, r.amount, r.year) for r in rows)
        return stored == coming

    def apply(self, checked):
        groups = self._groups(checked)
        counts = {"cells": 0, "years": len(groups)}
        for (year, kind), rows in sorted(groups.items()):
            going = self._going(year, kind, rows)
            if going.exists() and self._same(going, rows):
                counts["unchanged"] = counts.get("unchanged", 0) + len(rows)
                continue
            going.delete()
            source = LedgerImport.objects.create(provider=self.provider, year=year, kind=kind, filename=self.source[:255],
                                                 company=getattr(self, "company", "")[:200],
                                                 transactions=sum(r.transactions for r in rows),
                                                 user=self.user if getattr(self.user, "is_authenticated", False) else None)
            fixed = (self.provider.pk, source.pk, year, kind)
            bulk.insert_rows(LedgerCell, CELL_COLUMNS, (fixed + _STORED(r) for r in rows))
            counts["cells"] += len(rows)
            record("costing.ledger.imported", user=self.user, obj=source, provider=self.provider,
                   data={"year": year, "kind": kind, "cells": len(rows), "from": f"{min(r.month for r in rows):%Y-%m}", "to": f"{max(r.month for r in rows):%Y-%m}"})
        return counts


@dataclass(frozen=True)
class KeyRow:
    code: str
    name: str
    basis: str
    receiver: str
    weight: Decimal


@register
class KeyImporter(Importer):
    """Allocation keys and drivers (employees, area, hours from time reports, turnover, a
    deviation share...): one row per key and receiver. A key in the file gets exactly the
    file's receivers; its old values are replaced."""

    kind = "keys"
    label = _("Allocation keys and drivers")
    help_text = _("One row per key and receiver: key code, key name, basis, receiver (a pool like pool:it, or a customer number), weight.")
    columns = (
        Column("key", True, ("nyckel", "nyckelkod")),
        Column("name", False, ("namn", "nyckelnamn")),
        Column("basis", False, ("grund",)),
        Column("receiver", True, ("mottagare",)),
        Column("weight", True, ("vikt", "värde", "andel")),
    )
    BASIS_ALIASES = {"anställda": "employees", "yta": "area", "timmar": "hours", "omsättning": "turnover", "fasta andelar": "fixed",
                     "ärenden": "cases", "drivare": "driver", "avvikelse": "driver"}

    def check_row(self, number, row, heading):
        from servicecenter.apps.costing.models import AllocationKey

        check = self.row_check(number, heading)
        code = check.take("key", parse_text(row.get("key", ""), limit=40))
        basis = check.take("basis", parse_choice(row.get("basis", "") or "driver", [b for b in AllocationKey.Basis.values if b != "volumes"], aliases=self.BASIS_ALIASES))
        receiver = check.take("receiver", parse_text(row.get("receiver", ""), limit=120))
        weight = check.take("weight", parse_decimal(row.get("weight", ""), limit=limits.WEIGHT))
        name = check.kept("name", row.get("name"), 200)
        if check.errors:
            return None, check.problems
        return KeyRow(code, name or code, basis, receiver, weight), check.problems

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: (r.code, r.receiver), self.source)

    def apply(self, checked):
        from servicecenter.apps.costing.models import AllocationKey, KeyValue

        counts = {"keys": 0, "values": 0}
        by_key: dict[str, list[KeyRow]] = {}
        for _number, row in checked:
            by_key.setdefault(row.code, []).append(row)
        for code, rows in by_key.items():
            key, _created = AllocationKey.objects.update_or_create(provider=self.provider, code=code, defaults={"name": rows[0].name, "basis": rows[0].basis})
            key.values.all().delete()
            KeyValue.objects.bulk_create([KeyValue(key=key, receiver=r.receiver, weight=r.weight) for r in rows])
            counts["keys"] += 1
            counts["values"] += len(rows)
            record("costing.key.imported", user=self.user, obj=key, provider=self.provider, data={"values": len(rows), "source": self.source})
        return counts


PRICE_FIELDS = ("unit_price", "base_fixed", "per_employee", "fixed_pool", "connection_fee")


@dataclass(frozen=True)
class PriceRow:
    year: int
    list_name: str
    service_code: str
    values: dict


def _pairs(text: str, limit_first, what: str) -> tuple[list | None, Problem | None]:
    """``0: 38 | 2000: 31`` (tiers) or ``A: 24000 | B: 31000`` (packages) as pairs."""
    pairs = []
    for part in (p.strip() for p in (text or "").split("|")):
        if not part:
            continue
        first, colon, second = part.partition(":")
        price, problem = parse_decimal(second.strip(), limit=limits.FEE)
        if not colon or problem is not None:
            return None, Problem("price.pairs", {"what": what, "part": part[:40]})
        if limit_first is None:
            key, key_problem = (first.strip(), None) if first.strip() else (None, Problem("price.pairs", {"what": what, "part": part[:40]}))
        else:
            key, key_problem = parse_decimal(first.strip(), limit=limit_first)
        if key_problem is not None:
            return None, Problem("price.pairs", {"what": what, "part": part[:40]})
        pairs.append((key, price))
    return pairs, None


@register
class PriceListImporter(Importer):
    """A year's price list in a file, one row per service: into a draft list of that name
    (created when missing); a published list is frozen and refused. Every row obeys the rules
    of the entry page. The price list page exports the same columns."""

    kind = "prices"
    capability = Capability.RUN_COSTING
    label = _("Price list (one row per service)")
    help_text = _("One row per service: year, price list name, service code and its prices. Tiers as 0: 38 | 2000: 31; packages as A: 24000 | B: 31000; percentages in percent.")
    columns = (
        Column("year", True, ("år",)),
        Column("price_list", True, ("prislista",)),
        Column("service_code", True, ("tjänst kod", "tjänstekod")),
        Column("unit_price", False, ("styckpris", "pris")),
        Column("tiers", False, ("volymtrappa",)),
        Column("graduated", False, ("graderad",)),
        Column("packages", False, ("paket",)),
        Column("base_fixed", False, ("grundavgift per år",)),
        Column("per_employee", False, ("avgift per anställd och år",)),
        Column("fixed_pool", False, ("fast pott per år",)),
        Column("pool_key", False, ("nyckel för potten",)),
        Column("payer", False, ("betalare av potten", "betalare kundnummer")),
        Column("connection_fee", False, ("anslutningsavgift",)),
        Column("connection_months", False, ("anslutningsavgift månader",)),
        Column("markup", False, ("påslag vidarefakturering (%)",)),
        Column("discount", False, ("rabatt (%)",)),
        Column("vat_category", False, ("momskategori",)),
        Column("vat_rate", False, ("momssats (%)",)),
    )

    def prepare(self):
        from servicecenter.apps.costing.models import AllocationKey
        from servicecenter.apps.registry.lookup import CustomerLookup
        from servicecenter.apps.registry.models import Customer, Service

        self.services = {s.code: s for s in Service.objects.filter(provider=self.provider)}
        self.keys = {k.code: k for k in AllocationKey.objects.filter(provider=self.provider)}
        self.customers = {c.pk: c for c in Customer.objects.filter(provider=self.provider)}
        self.lookup = CustomerLookup(self.provider)

    def check_row(self, number, row, heading):
        from servicecenter.apps.costing.pricing import PricingError, check_entry

        check = self.row_check(number, heading)
        year = check.take("year", parse_int(row.get("year", ""), limit=limits.YEAR))
        name = check.take("price_list", parse_text(row.get("price_list", ""), limit=200))
        code = check.take("service_code", parse_text(row.get("service_code", ""), limit=60))
        if code is not None and code not in self.services:
            check.add("service_code", Problem("service.unknown", {"code": code}))
        values: dict = {}
        for field in PRICE_FIELDS:
            values[field] = check.take(field, parse_decimal(row.get(field, ""), required=False, limit=limits.COST if field == "fixed_pool" else limits.FEE))
        values["tiers"] = [[str(a), str(b)] for a, b in (check.take("tiers", _pairs(row.get("tiers", ""), limits.QUANTITY, "tiers")) or [])]
        values["packages"] = {str(a): str(b) for a, b in (check.take("packages", _pairs(row.get("packages", ""), None, "packages")) or [])}
        values["graduated"] = check.take("graduated", parse_bool(row.get("graduated") or "ja"))
        key_code, payer = (row.get("pool_key") or "").strip(), (row.get("payer") or "").strip()
        values["key"] = self.keys.get(key_code) if key_code else None
        if key_code and (values["key"] is None or not values["key"].to_customers):
            check.add("pool_key", Problem("value.choice", {"choices": ", ".join(sorted(c for c, k in self.keys.items() if k.to_customers)) or "–"}, value=key_code))
        values["payer"] = None
        if payer:  # a customer number, or an organisation number only one customer has
            payer_id, _column, problem = self.lookup.find({"customer_number": payer} if payer in self.lookup.by_number else {"org_number": payer})
            values["payer"] = self.customers.get(payer_id)
            check.add("payer", problem)
        values["connection_months"] = check.take("connection_months", parse_int(row.get("connection_months", "") or "60", limit=limits.Limit("months", Decimal(1), Decimal(600), integer=True)))
        markup = check.take("markup", parse_decimal(row.get("markup", ""), required=False, limit=limits.PERCENT))
        values["markup"] = markup / 100 if markup is not None else None
        discount = check.take("discount", parse_decimal(row.get("discount", ""), required=False, limit=limits.PERCENT))
        values["discount_share"] = discount / 100 if discount is not None else None
        values["vat_category"] = check.take("vat_category", parse_choice((row.get("vat_category") or "S").upper(), ["S", "O", "E", "Z"]))
        values["vat_rate"] = check.take("vat_rate", parse_decimal(row.get("vat_rate", "") or ("25" if values["vat_category"] == "S" else "0"), limit=limits.PERCENT))
        if check.problems:
            return None, check.problems
        try:
            check_entry(values)
        except PricingError as error:
            column = error.field
            check.add(column if column in {c.name for c in self.columns} else None, Problem("price.entry", {"detail": str(error)}))
            return None, check.problems
        return PriceRow(year, name, code, values), []

    def check_all(self, checked, heading):
        from servicecenter.apps.costing.models import PriceList

        problems = self.duplicates(checked, lambda r: (r.year, r.list_name, r.service_code), self.source)
        for year, name in sorted({(r.year, r.list_name) for _n, r in checked}):
            if PriceList.objects.filter(provider=self.provider, year=year, name=name, status=PriceList.Status.PUBLISHED).exists():
                problems.append(Problem("price.list_published", {"name": name, "year": year}, source=self.source))
        return problems

    def apply(self, checked):
        from servicecenter.apps.costing import pricing
        from servicecenter.apps.costing.models import PriceList

        counts = {"lists": 0, "entries": 0}
        lists: dict[tuple[int, str], PriceList] = {}
        for _number, row in checked:
            key = (row.year, row.list_name)
            if key not in lists:
                found = PriceList.objects.filter(provider=self.provider, year=row.year, name=row.list_name, status=PriceList.Status.DRAFT).first()
                lists[key] = found or pricing.new_price_list(self.provider, row.year, row.list_name, user=self.user)
                counts["lists"] += 1
            pricing.save_entry(lists[key], self.services[row.service_code], row.values, user=self.user)
            counts["entries"] += 1
        return counts
