"""Follow-up of the fee-financed activity and the appropriation, as an annual report shows them
(seed 000): Tabell 6 per fee-financed activity, the path to the balance goal, the appropriation
account of Tabell 25, operating cost per FTE and the five-year summary (Tabell 21).

Amounts are Decimal kronor; rounding to tkr or mnkr happens only when a table is printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from servicecenter.core import money


class Section(StrEnum):
    """The three parts of Tabell 6, in the order the regleringsbrev lists them."""

    DISPOSED = "disposed"        # verksamhet där avgiftsintäkterna disponeras
    PENSION = "pension"          # avgifter från pensionsmedlen
    ESTIMATED = "estimated"      # beräknad budget för avgiftsbelagd verksamhet där intäkter disponeras


@dataclass(frozen=True)
class ActivityYear:
    """One row of Tabell 6 for ``year``."""

    code: str
    name: str
    section: Section
    year: int
    accumulated_before: Decimal     # +/- t.o.m. year − 2
    prior_result: Decimal           # +/- year − 1
    budget_revenue: Decimal
    revenue: Decimal
    budget_cost: Decimal
    cost: Decimal

    @property
    def budget_result(self) -> Decimal:
        return self.budget_revenue - self.budget_cost

    @property
    def result(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def closing(self) -> Decimal:
        """Ack. utgående +/-: opening + prior year + this year's result."""
        return self.accumulated_before + self.prior_result + self.result

    COLUMNS = ("accumulated_before", "prior_result", "budget_revenue", "revenue", "budget_cost", "cost", "budget_result", "result", "closing")

    def figures(self) -> tuple[Decimal, ...]:
        return tuple(getattr(self, name) for name in self.COLUMNS)


@dataclass(frozen=True)
class SectionTotal:
    section: Section
    rows: tuple[ActivityYear, ...]

    def figures(self) -> tuple[Decimal, ...]:
        return tuple(sum(values, Decimal(0)) for values in zip(*(row.figures() for row in self.rows))) if self.rows else (Decimal(0),) * 9


def fee_table(rows: Iterable[ActivityYear]) -> list[SectionTotal]:
    """Rows grouped by section in Tabell 6's order, each section with its sum."""
    rows = list(rows)
    return [SectionTotal(section, tuple(r for r in rows if r.section is section)) for section in Section if any(r.section is section for r in rows)]


def accumulated(opening: Decimal, opening_year: int, results: Mapping[int, Decimal], through: int) -> Decimal:
    """The accumulated result at the end of ``through``: the balance brought in at the start of
    ``opening_year`` plus every year's result from then on. Years without a result count zero."""
    return opening + sum((results.get(year, Decimal(0)) for year in range(opening_year, through + 1)), Decimal(0))


@dataclass(frozen=True)
class PathYear:
    year: int
    required: Decimal          # the yearly result needed from here to reach zero by the goal year
    result: Decimal | None     # the actual result, when the year is closed
    closing: Decimal           # accumulated at the end of the year (actual, else on the required path)


def balance_path(closing: Decimal, last_year: int, goal_year: int, later_results: Mapping[int, Decimal] | None = None) -> list[PathYear]:
    """The road from an accumulated deficit at the end of ``last_year`` back to zero by the end of
    ``goal_year`` (seed 000: in balance by 2030). Each year's requirement is what is still missing
    spread evenly over the years left; actual results, where given, move the balance."""
    later_results = later_results or {}
    path = []
    balance = closing
    for year in range(last_year + 1, goal_year + 1):
        years_left = goal_year - year + 1
        required = max(-balance, Decimal(0)) / years_left
        actual = later_results.get(year)
        balance += actual if actual is not None else required
        path.append(PathYear(year, required, actual, balance))
    return path


@dataclass(frozen=True)
class AppropriationYear:
    """Tabell 25 for one appropriation item (kronor)."""

    code: str
    name: str
    year: int
    opening: Decimal           # ingående överföringsbelopp
    allocation: Decimal        # årets tilldelning enligt regleringsbrev
    withdrawal: Decimal        # indragning (a positive number is withdrawn)
    expenditure: Decimal       # utgifter
    credit_rate: Decimal = Decimal("0.03")

    @property
    def available(self) -> Decimal:
        return self.opening + self.allocation - self.withdrawal

    @property
    def closing(self) -> Decimal:
        return self.available - self.expenditure

    @property
    def credit(self) -> Decimal:
        """The appropriation credit, a share of the allocation, in whole kronor."""
        return money.round_places(self.allocation * self.credit_rate, 0)

    @property
    def credit_used(self) -> Decimal:
        return max(-self.closing, Decimal(0))

    @property
    def within_credit(self) -> bool:
        return self.credit_used <= self.credit


# Cost kinds of Tabell 3 and revenue kinds of Tabell 2, by account range (inclusive prefixes).
# The state's chart of accounts as the product reads it (the ranges the demo's ledger follows):
# class 4 personnel, 50 premises, 51–69 other operating costs; BAS below. A provider chooses.
COST_KINDS: Sequence[tuple[str, str, str]] = (
    ("personnel", "4000", "4999"), ("premises", "5000", "5099"), ("other_operating", "5100", "6999"),
    ("depreciation", "7000", "7999"), ("financial", "8000", "8999"),
)
REVENUE_KINDS: Sequence[tuple[str, str, str]] = (
    ("fees", "3000", "3499"), ("grants", "3500", "3699"), ("appropriation", "3700", "3799"), ("financial_revenue", "3800", "3999"),
)


# BAS (kontoplanen för företag, kommuner och regioner): class 3 revenue, 4 goods and material,
# 50 premises, 51–69 other external costs, 70–76 personnel, 77–78 write-downs and depreciation,
# 80–83 financial revenue, 84 interest costs (88–89 appropriations and tax are not operating).
BAS_COST_KINDS: Sequence[tuple[str, str, str]] = (
    ("other_operating", "4000", "4999"), ("premises", "5000", "5099"), ("other_operating", "5100", "6999"),
    ("personnel", "7000", "7699"), ("depreciation", "7700", "7899"), ("financial", "8400", "8499"),
)
BAS_REVENUE_KINDS: Sequence[tuple[str, str, str]] = (
    ("fees", "3000", "3799"), ("grants", "3900", "3999"), ("financial_revenue", "8000", "8399"),
)


@dataclass(frozen=True)
class Chart:
    """A chart of accounts as ranges of cost kinds (Tabell 3) and revenue kinds (Tabell 2)."""

    code: str
    costs: Sequence[tuple[str, str, str]]
    revenues: Sequence[tuple[str, str, str]]

    def kinds(self, cells: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
        """Costs per kind and revenues (positive) per kind; every kind of either chart is present."""
        totals = {name: Decimal(0) for name, _l, _h in (*STATE_CHART_KINDS, *self.costs, *self.revenues)}
        costs, revenues = by_kind(cells, self.costs), by_kind(cells, self.revenues)
        return totals | costs | {name: -amount for name, amount in revenues.items()}

    @property
    def cost_names(self) -> list[str]:
        return list(dict.fromkeys(name for name, _l, _h in self.costs))

    @property
    def revenue_names(self) -> list[str]:
        return list(dict.fromkeys(name for name, _l, _h in self.revenues))


STATE_CHART_KINDS = (*COST_KINDS, *REVENUE_KINDS)
CHARTS = {"state": Chart("state", COST_KINDS, REVENUE_KINDS), "bas": Chart("bas", BAS_COST_KINDS, BAS_REVENUE_KINDS)}


def kind_of(account: str, kinds: Sequence[tuple[str, str, str]]) -> str | None:
    padded = account[:4].ljust(4, "0")
    return next((name for name, low, high in kinds if low <= padded <= high), None)


def by_kind(cells: Iterable[tuple[str, Decimal]], kinds: Sequence[tuple[str, str, str]]) -> dict[str, Decimal]:
    """Ledger amounts (account, amount) summed per kind; accounts outside every range are left out."""
    totals = {name: Decimal(0) for name, _low, _high in kinds}
    for account, amount in cells:
        name = kind_of(account, kinds)
        if name is not None:
            totals[name] += amount
    return totals


def operating_cost_per_fte(personnel: Decimal, premises: Decimal, other_operating: Decimal, fte: Decimal) -> Decimal | None:
    """Driftkostnad per årsarbetskraft: (personnel + premises + other operating cost) / FTE."""
    if not fte:
        return None
    return (personnel + premises + other_operating) / fte


@dataclass(frozen=True)
class SummaryYear:
    """One column of the five-year summary (Tabell 21, the parts computed from our data)."""

    year: int
    fee_revenue_estimate: Decimal | None = None
    fee_revenue: Decimal | None = None
    credit_granted: Decimal | None = None
    credit_used: Decimal | None = None
    carry_over: Decimal | None = None
    fte: Decimal | None = None
    average_employees: Decimal | None = None
    operating_cost_per_fte: Decimal | None = None
    result: Decimal | None = None
    accumulated: Decimal | None = None
    extra: Mapping[str, Decimal] = field(default_factory=dict)


# Kronor to whole tkr and to mnkr, half up, as an annual report prints them (core.money).
in_thousands = money.in_thousands
in_millions = money.in_millions
