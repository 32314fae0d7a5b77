"""Credit notes: a credit note (UBL 381) carries positive quantities and amounts that cancel the
lines it credits; an invoice plus its full credit note nets to zero, to the öre."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Protocol, TypeVar

from servicecenter.core.billing.vat import totals
from servicecenter.core.money import ZERO


class CreditableLine(Protocol):
    line_no: int
    amount: Decimal
    vat_category: str
    vat_rate: Decimal


L = TypeVar("L", bound=CreditableLine)


def credit_lines(lines: Sequence[L], selected: Collection[int] | None = None) -> list[L]:
    """The lines a credit note repeats: all of them (a full credit) or those whose ``line_no`` is
    selected. Selecting a line that is not on the invoice, or nothing, is an error."""
    if selected is None:
        return list(lines)
    numbers = {line.line_no for line in lines}
    unknown = sorted(set(selected) - numbers)
    if unknown:
        raise ValueError(f"line(s) {unknown} are not on the invoice (it has {sorted(numbers)})")
    if not selected:
        raise ValueError("a credit note needs at least one line")
    return [line for line in lines if line.line_no in selected]


def signed_total(documents: Sequence[tuple[bool, Sequence[CreditableLine]]]) -> Decimal:
    """The amount payable over invoices (``False``) and credit notes (``True``), credits negative."""
    total = ZERO
    for is_credit, lines in documents:
        payable = totals(lines).payable
        total += -payable if is_credit else payable
    return total
