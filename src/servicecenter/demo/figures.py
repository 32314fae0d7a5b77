"""Published figures the demo reproduces, each with its source. Nothing else in the demo is real."""

from __future__ import annotations

# Statens servicecenter, annual report 2025 (seed 000).
SSC_YEAR = 2025
# Tabell 8: customers by size class: count and share of employees (shares printed to 0.1 %).
SSC_SIZE_CLASSES = {">2000": (13, "0.634"), "501-2000": (32, "0.218"), "151-500": (49, "0.108"), "<150": (77, "0.041")}
# Service packages at the end of 2025 (text before Tabell 8).
SSC_PACKAGES = {
    ("payroll",): 45,
    ("payroll", "ecommerce"): 23,
    ("payroll", "ecommerce", "accounting"): 78,
    ("ecommerce",): 22,
    ("ecommerce", "accounting"): 3,
}
# Tabell 9 (customers) and Tabell 10 (employees) for 2023–2025.
SSC_CUSTOMERS = {2023: {"payroll": 143, "ecommerce_accounting": 125, "total": 167},
                 2024: {"payroll": 145, "ecommerce_accounting": 126, "total": 170},
                 2025: {"payroll": 146, "ecommerce_accounting": 126, "total": 171}}
SSC_EMPLOYEES = {2023: {"payroll": 111_507, "ecommerce_accounting": 47_831, "total": 117_793},
                 2024: {"payroll": 110_873, "ecommerce_accounting": 48_439, "total": 117_761},
                 2025: {"payroll": 111_582, "ecommerce_accounting": 48_439, "total": 118_470}}
# Payslips handled in 2025 (text after Tabell 10).
SSC_PAYSLIPS_2025 = 1_486_533
# Customers at the end of 2012 (seed 001: "Totalt hade Statens servicecenter 100 kunder vid årets slut").
SSC_CUSTOMERS_2012 = 100
# Employees in connected customers at the end of 2012 (seed 001: 15.0 % and 15.2 % of 239,086).
SSC_EMPLOYEES_2012 = {"payroll": 35_937, "total": 36_309}
# State employees: 239,086 in 2012 (seed 001). For 2025 no count is printed; Tabell 19 gives the
# shares 45 % (payroll), 20 % (accounting and e-commerce) and 48 % (total). The demo uses a value
# consistent with all three shares, labelled illustrative.
STATE_EMPLOYEES = {2012: (239_086, "SSC årsredovisning 2012"),
                   2025: (247_000, "Illustrativ: förenlig med andelarna 45/20/48 % i SSC årsredovisning 2025, tabell 19")}
# Seed 004: denominators of indicators 1 and 2.
STATE_AGENCIES_2025 = 223
PREPAREDNESS_AGENCIES_2025 = 67
