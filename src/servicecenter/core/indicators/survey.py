"""Indicator 7: customer satisfaction (NKI) from the three standard questions, each answered on
a 1–10 scale: overall satisfaction, expectations met, and distance to an ideal service.

Each question's mean is moved to 0–100 by (mean − 1) / 9 × 100 and the three are combined with
stated weights (default: equal). All answers 10 give 100, all answers 1 give 0. Because the
index is linear in the sums of the answers, pooling surveys (several services, a supplier)
is the ratio of sums: NKI = 100 × Σ wᵢ (Sᵢ − n) / (9 n) with Sᵢ the sum of answers to question i.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from servicecenter.core.problems import Problem

QUESTIONS = ("overall", "expectations", "ideal")
EQUAL_WEIGHTS = (Decimal(1), Decimal(1), Decimal(1))
SCALE = (1, 10)


@dataclass(frozen=True)
class AnswerSums:
    respondents: int
    sums: tuple[int, int, int]

    def elements(self, prefix: str = "") -> dict[str, Decimal]:
        return {f"{prefix}respondents": Decimal(self.respondents), **{f"{prefix}{name}_sum": Decimal(total) for name, total in zip(QUESTIONS, self.sums)}}


def check_answer(value: int | None, question: str) -> Problem | None:
    if value is None or not SCALE[0] <= value <= SCALE[1]:
        return Problem("survey.scale", {"question": question, "low": SCALE[0], "high": SCALE[1]}, column=question, value=str(value))
    return None


def summarise(answers: Iterable[Sequence[int]]) -> AnswerSums:
    """Respondents and the sum per question. Refuses answers outside 1–10 (check them first)."""
    n, sums = 0, [0, 0, 0]
    for answer in answers:
        if len(answer) != 3 or any(check_answer(value, name) for value, name in zip(answer, QUESTIONS)):
            raise ValueError(f"an answer outside {SCALE[0]}–{SCALE[1]}: {answer!r}")
        n += 1
        for index, value in enumerate(answer):
            sums[index] += value
    return AnswerSums(n, tuple(sums))


def normalised(weights: Sequence[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    total = sum(weights, Decimal(0))
    if len(weights) != 3 or total <= 0 or any(w < 0 for w in weights):
        raise ValueError("three non-negative weights with a positive sum are needed")
    return tuple(Decimal(w) / total for w in weights)


def nki(summary: AnswerSums, weights: Sequence[Decimal] = EQUAL_WEIGHTS) -> Decimal | None:
    """The 0–100 index, or None without respondents."""
    if summary.respondents == 0:
        return None
    w = normalised(weights)
    n = Decimal(summary.respondents)
    return 100 * sum((wi * (Decimal(s) - n) for wi, s in zip(w, summary.sums)), Decimal(0)) / (9 * n)


def nki_expression(weights: Sequence[Decimal] = EQUAL_WEIGHTS, prefix: str = "") -> tuple[str, str]:
    """Numerator and denominator of the NKI (factor 100) as exact expressions over the answer sums:
    Σ wᵢ (Sᵢ − n) / (9 · Σw · n), with the weights as given (not rounded)."""
    normalised(weights)  # validates
    numerator = " + ".join(f"{Decimal(wi)} * ({prefix}{name}_sum - {prefix}respondents)" for wi, name in zip(weights, QUESTIONS))
    return numerator, f"{9 * sum((Decimal(w) for w in weights), Decimal(0))} * {prefix}respondents"
