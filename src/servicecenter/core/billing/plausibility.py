"""Plausibility of a billing month: each customer's lines against its own previous months, and the
month's total against the previous month's.

A typing error in a volume file (12 720 instead of 1 272), a service billed for the first time, a
customer that silently stopped being billed: each is a line a controller should look at before the
invoices go out. The rules are deliberately few and explainable in one sentence each:

* ``spike``: a quantity or an amount above ``SPIKE`` times its median over the months the
  customer was billed for it (at least one such month);
* ``new_service``: a service the customer was not billed for in the compared months, although it
  was billed for others in the last of them;
* ``new_customer``: a customer billed for nothing in the compared months;
* ``drop``: nothing this month for a service billed in each of the last ``DROP_MONTHS`` months;
* ``total``: the month's net more than ``TOTAL`` times (or less than its inverse) the previous month's;
* ``no_agreement``: usage billed to a customer that had no agreement for the service in production
  during the month (the volume import refuses such a row, but an agreement's dates may have been
  corrected since, or the usage came another way).

A month with no issued month before it has nothing to be compared with and raises none of the
first five; ``no_agreement`` needs no history.
Pure: the caller reads the history; the flags hold numbers, not sentences (the page words them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median

SPIKE = Decimal(3)
DROP_MONTHS = 3
TOTAL = Decimal("1.5")

#: (customer, service, line category): what is compared month by month.
Key = tuple[str, str, str]


@dataclass(frozen=True)
class Amounts:
    quantity: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Flag:
    kind: str                      # spike, new_service, new_customer, drop, total, no_agreement
    customer: str = ""
    service: str = ""
    category: str = ""
    quantity: Decimal | None = None
    amount: Decimal | None = None
    usual_quantity: Decimal | None = None   # the median it is compared with (spike)
    usual_amount: Decimal | None = None
    months: int = 0                         # how many months were compared


def check(current: Mapping[Key, Amounts], history: Mapping[date, Mapping[Key, Amounts]], current_total: Decimal,
          previous_total: Decimal | None) -> list[Flag]:
    """The flags of a month ``current`` given the issued months before it (``history``, by month;
    the most recent twelve are used) and the totals of this month and the previous one."""
    months = sorted(history, reverse=True)[:12]
    if not months:
        return []
    flags: list[Flag] = []
    seen_customers = {key[0] for month in months for key in history[month]}
    last_customers = {key[0] for key in history[months[0]]}
    new_customers: set[str] = set()
    for key in sorted(current):
        now = current[key]
        billed = [history[month][key] for month in months if key in history[month]]
        customer, service, category = key
        if customer not in seen_customers:
            if customer not in new_customers:
                new_customers.add(customer)
                flags.append(Flag("new_customer", customer, months=len(months)))
            continue
        if not billed:
            if customer in last_customers:
                flags.append(Flag("new_service", customer, service, category, now.quantity, now.amount, months=len(months)))
            continue
        usual_quantity = median([b.quantity for b in billed])
        usual_amount = median([b.amount for b in billed])
        if _above(now.quantity, usual_quantity) or _above(now.amount, usual_amount):
            flags.append(Flag("spike", customer, service, category, now.quantity, now.amount, usual_quantity, usual_amount, len(billed)))
    recent = months[:DROP_MONTHS]
    if len(recent) == DROP_MONTHS:
        steady = set.intersection(*({key for key, value in history[month].items() if value.amount} for month in recent))
        for key in sorted(steady - {key for key, value in current.items() if value.amount}):
            customer, service, category = key
            flags.append(Flag("drop", customer, service, category, Decimal(0), Decimal(0), months=DROP_MONTHS))
    if previous_total and previous_total > 0 and (current_total > previous_total * TOTAL or current_total * TOTAL < previous_total):
        flags.append(Flag("total", amount=current_total, usual_amount=previous_total, months=1))
    return flags


#: The line categories that bill usage (what a volume or an event says), not an agreement's fee.
USAGE_CATEGORIES = frozenset({"usage", "pass_through"})


def outside_agreements(current: Mapping[Key, Amounts], covered: set[tuple[str, str]]) -> list[Flag]:
    """``no_agreement`` for each usage line of ``current`` whose (customer, service) is not in
    ``covered``: the pairs with an agreement in production during the month."""
    return [Flag("no_agreement", customer, service, category, amounts.quantity, amounts.amount)
            for (customer, service, category), amounts in sorted(current.items())
            if category in USAGE_CATEGORIES and (customer, service) not in covered]


def _above(value: Decimal, usual: Decimal) -> bool:
    return usual > 0 and value > usual * SPIKE


def totals_by_key(rows: Sequence[tuple[str, str, str, Decimal, Decimal]]) -> dict[Key, Amounts]:
    """``(customer, service, category, quantity, amount)`` rows summed per key."""
    out: dict[Key, Amounts] = {}
    for customer, service, category, quantity, amount in rows:
        key = (customer, service, category)
        before = out.get(key, Amounts(Decimal(0), Decimal(0)))
        out[key] = Amounts(before.quantity + quantity, before.amount + amount)
    return out
