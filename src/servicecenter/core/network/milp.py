"""A thin, typed door to HiGHS (highspy) for the location models.

The models are built as a sparse constraint matrix with numpy/scipy and handed to HiGHS in one
call; HiGHS's own modelling layer would create a Python object per variable, which is what makes
modelling layers slow on 200,000 variables (see docs/decisions/0007-network.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class MilpSolution:
    status: str  # "optimal", "time_limit", "infeasible", "other"
    x: np.ndarray | None
    objective: float
    bound: float


def solve(
    cost: np.ndarray,
    matrix: sparse.spmatrix,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    integer: np.ndarray,
    *,
    time_limit: float | None = None,
    start: np.ndarray | None = None,
    relative_gap: float = 1e-9,
) -> MilpSolution:
    """Minimise ``cost @ x`` subject to ``row_lower <= A x <= row_upper`` and the bounds."""
    import highspy

    a = sparse.csc_matrix(matrix)
    a.sort_indices()
    num_col, num_row = a.shape[1], a.shape[0]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", relative_gap)
    h.setOptionValue("threads", 1)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(max(time_limit, 0.01)))
    inf = highspy.kHighsInf
    status = h.passModel(
        num_col, num_row, int(a.nnz), 1, 1, 0.0,
        np.asarray(cost, dtype=np.float64),
        np.asarray(col_lower, dtype=np.float64),
        np.asarray(col_upper, dtype=np.float64),
        np.where(np.isfinite(row_lower), row_lower, -inf).astype(np.float64),
        np.where(np.isfinite(row_upper), row_upper, inf).astype(np.float64),
        a.indptr.astype(np.int32), a.indices.astype(np.int32), a.data.astype(np.float64),
        np.asarray(integer, dtype=np.int32),
    )
    if status == highspy.HighsStatus.kError:  # pragma: no cover - a bug in the model builder
        raise RuntimeError("HiGHS refused the model")
    if start is not None:
        h.setSolution(num_col, np.arange(num_col, dtype=np.int32), np.asarray(start, dtype=np.float64))
    h.run()
    model_status = h.getModelStatus()
    name = {
        highspy.HighsModelStatus.kOptimal: "optimal",
        highspy.HighsModelStatus.kTimeLimit: "time_limit",
        highspy.HighsModelStatus.kInfeasible: "infeasible",
    }.get(model_status, "other")
    info = h.getInfo()
    solution = h.getSolution()
    has_value = info.primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.array(solution.col_value) if has_value else None
    objective = float(info.objective_function_value) if has_value else math.inf
    bound = float(info.mip_dual_bound) if integer.any() else objective
    if name == "optimal" and not math.isfinite(bound):
        bound = objective
    return MilpSolution(name, x, objective, bound)
