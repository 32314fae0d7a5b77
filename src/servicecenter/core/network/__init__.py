"""The network of service offices: geography, demand, accessibility, scenarios and location
models. Framework-free: arrays and dataclasses in, arrays and dataclasses out."""

from servicecenter.core.network.solver import (
    CostMatrixError,
    CoveringResult,
    Groups,
    LocationResult,
    solve_max_covering,
    solve_office_model,
    solve_p_median,
)

__all__ = [
    "CostMatrixError", "CoveringResult", "Groups", "LocationResult", "solve_max_covering",
    "solve_office_model", "solve_p_median",
]
