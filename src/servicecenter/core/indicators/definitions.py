"""What an indicator is: metadata plus a definition as numerator and denominator expressions
over named data elements (or a plain value), and how values of several subjects combine.

An expression is ordinary arithmetic (``+ - * /``, parentheses, numbers) over element names,
parsed with :mod:`ast` and checked against a short list of allowed nodes: no function calls,
no attributes, nothing that could run code. Numbers are :class:`~decimal.Decimal` throughout.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation
from enum import StrEnum
from functools import cached_property

from servicecenter.core.money import decimal_of
from servicecenter.core.problems import Problem


class Direction(StrEnum):
    UP = "up"        # higher is better
    DOWN = "down"    # lower is better
    NONE = "none"    # followed, no preferred direction


class Level(StrEnum):
    SERVICE = "service"
    SUPPLIER = "supplier"
    OFFICE = "office"
    CUSTOMER = "customer"
    ORGANISATION = "organisation"


class Aggregation(StrEnum):
    """How the values of several subjects (services, suppliers...) combine into one.

    RATIO: the sum of the numerators over the sum of the denominators, never a mean of ratios.
    SUM: the sum of the values (counts, amounts).
    WEIGHTED_MEAN: the mean of the values weighted by the ``weight`` expression.
    MEAN: the unweighted mean of the values, each subject counting once.
    NONE: the values do not combine (e.g. units that differ between services).
    """

    RATIO = "ratio"
    SUM = "sum"
    WEIGHTED_MEAN = "weighted_mean"
    MEAN = "mean"
    NONE = "none"


_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b}


class ExpressionError(ValueError):
    def __init__(self, text: str, detail: str):
        super().__init__(f"{text!r}: {detail}")
        self.text, self.detail = text, detail

    def problem(self, column: str = "") -> Problem:
        return Problem("indicator.expression", {"expression": self.text, "detail": self.detail}, column=column or None)


@dataclass(frozen=True)
class Expression:
    """Arithmetic over element names, e.g. ``opening_minutes - outage_minutes``."""

    text: str

    def __post_init__(self):
        self._tree  # noqa: B018  (parse now so a bad expression fails when it is defined)

    @cached_property
    def _tree(self) -> ast.expr:
        try:
            tree = ast.parse(self.text.strip(), mode="eval").body
        except SyntaxError as error:
            raise ExpressionError(self.text, f"syntax error at column {error.offset}") from None
        for node in ast.walk(tree):
            if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
                continue
            if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
                continue
            if isinstance(node, ast.Name) or (isinstance(node, ast.Constant) and type(node.value) in (int, float)):
                continue
            if isinstance(node, ast.operator | ast.unaryop | ast.expr_context):
                continue
            raise ExpressionError(self.text, f"{type(node).__name__} is not allowed; use + - * / and names")
        return tree

    @cached_property
    def elements(self) -> frozenset[str]:
        return frozenset(node.id for node in ast.walk(self._tree) if isinstance(node, ast.Name))

    @cached_property
    def is_linear(self) -> bool:
        """True when the expression is a linear form of its elements without a constant term
        (e.g. ``a - b``, ``9 * n``, ``(a + b) / 2``): then the sum over subjects of the expression
        equals the expression of the summed elements, which lets aggregation sum first."""
        return _linear(self._tree) == "linear"

    def evaluate(self, values: Mapping[str, Decimal]) -> Decimal | None:
        """The value, or None when an element is missing or a division by zero occurs inside."""
        try:
            return _eval(self._tree, values)
        except (KeyError, DivisionByZero, InvalidOperation, ZeroDivisionError):
            return None

    def __str__(self) -> str:
        return self.text


def _linear(node: ast.expr) -> str:
    """"const", "linear" (homogeneous in the elements) or "other"."""
    if isinstance(node, ast.Constant):
        return "const"
    if isinstance(node, ast.Name):
        return "linear"
    if isinstance(node, ast.UnaryOp):
        return _linear(node.operand)
    left, right = _linear(node.left), _linear(node.right)
    if "other" in (left, right):
        return "other"
    if isinstance(node.op, ast.Add | ast.Sub):
        if left == right:
            return left
        return "other"   # a constant added to a linear term
    if isinstance(node.op, ast.Mult):
        if left == "const" or right == "const":
            return "linear" if "linear" in (left, right) else "const"
        return "other"
    # division: only by a constant
    return left if right == "const" else "other"


def _eval(node: ast.expr, values: Mapping[str, Decimal]) -> Decimal:
    if isinstance(node, ast.Name):
        value = values[node.id]
        if value is None:
            raise KeyError(node.id)
        return Decimal(value)
    if isinstance(node, ast.Constant):
        return decimal_of(node.value)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    assert isinstance(node, ast.BinOp)
    return _BINARY[type(node.op)](_eval(node.left, values), _eval(node.right, values))


@dataclass(frozen=True)
class Band:
    """A named range of values, e.g. ``Band("good", low=Decimal("99.5"))``; bounds inclusive."""

    label: str
    low: Decimal | None = None
    high: Decimal | None = None

    def contains(self, value: Decimal) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class Indicator:
    """One indicator in one version. ``denominator`` None makes it a plain value."""

    id: str
    name_sv: str
    name_en: str
    numerator: Expression
    denominator: Expression | None = None
    version: int = 1
    valid_from: int | None = None
    description_sv: str = ""
    description_en: str = ""
    factor: Decimal = Decimal(1)
    unit: str = ""
    decimals: int = 1
    direction: Direction = Direction.NONE
    target: Decimal | None = None
    bands: tuple[Band, ...] = ()
    reference: Decimal | None = None
    levels: tuple[Level, ...] = (Level.ORGANISATION,)
    period: str = "year"
    aggregation: Aggregation = Aggregation.RATIO
    weight: Expression | None = None
    baseline: int | None = None
    sensitive: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def elements(self) -> frozenset[str]:
        names = set(self.numerator.elements)
        if self.denominator is not None:
            names |= self.denominator.elements
        if self.weight is not None:
            names |= self.weight.elements
        return frozenset(names)

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None

    def name(self, language: str = "sv") -> str:
        return self.name_sv if language.startswith("sv") else (self.name_en or self.name_sv)

    def band_of(self, value: Decimal | None) -> str | None:
        if value is None:
            return None
        return next((band.label for band in self.bands if band.contains(value)), None)

    def meets_target(self, value: Decimal | None) -> bool | None:
        if value is None or self.target is None or self.direction is Direction.NONE:
            return None
        return value >= self.target if self.direction is Direction.UP else value <= self.target
