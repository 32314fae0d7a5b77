"""What a role may do: the capabilities pages and the API ask for (``Scope.require``)."""

from enum import StrEnum


class Capability(StrEnum):
    VIEW = "view"
    EDIT_REGISTRY = "edit_registry"
    IMPORT_REGISTRY = "import_registry"
    IMPORT_VOLUMES = "import_volumes"
    VIEW_AUDIT = "view_audit"
    VIEW_ALL_CUSTOMERS = "view_all_customers"
    VIEW_COSTS = "view_costs"
    RUN_COSTING = "run_costing"
    RUN_BILLING = "run_billing"
    PLAN_NETWORK = "plan_network"
    MANAGE_ORGANISATION = "manage_organisation"
