"""``docs/imports.md``, generated from the importer registry: each kind's columns, which are
required, and the Swedish headings accepted, exactly as the importers read them. The notes on
values and behaviour are kept here beside the generator; a test fails when the file drifts
from what this writes (regenerate with ``python scripts/imports_doc.py``)."""

from __future__ import annotations

from django.utils import translation

from servicecenter.apps.imports.base import IMPORTERS

ORDER = ("customers", "catalogue", "service_levels", "agreements", "volumes", "events", "ledger", "keys", "prices", "agency_register", "outages",
         "survey_answers", "price_index", "indicator_data", "fee_activities", "appropriations", "staff_years", "reference_figures", "restrictions",
         "offices", "partner_agencies", "office_visits", "municipality_types", "population_grid", "savings_requirements")

NOTES = {
    "customers": "A customer is an ordering unit (an agency, one of a city's administrations, a company) with its own customer number, "
                 "belonging to a legal person with one organisation number. Give `customer_number` when several customers share an "
                 "organisation number (a city's administrations); without it the organisation number is the customer number. "
                 "`legal_name` is the legal person's name on invoices (the city). Sector: statlig, kommunal, region, bolag, övrig. "
                 "A customer's rows update it; an optional column left empty keeps what is stored (a year's turnover too).",
    "catalogue": "Tier: bas, tillägg, special. Unit: lönespecifikation, timme, ärende, ... or the codes in docs/glossary.md. "
                 "Obligatory: ja/nej. The `_en` columns give English names.",
    "service_levels": "The service's version of that year must be in the catalogue. Comparison: minst (≥, the default) or högst (≤); "
                      "period: månad (the default), kvartal, år. Shown on the service's page.",
    "agreements": "The customer by customer number, or by organisation number when only one customer has it. "
                  "State: intresse, avsiktsförklaring, anslutning, produktion, avslutad; dates as ÅÅÅÅ-MM-DD.",
    "volumes": "The customer as for agreements; month as ÅÅÅÅ-MM. A volume needs an agreement in production that month; "
               "an invoiced month may be imported again unchanged, never changed.",
    "events": "CSV, Excel or Parquet. The customer as for agreements; time as local `ÅÅÅÅ-MM-DD tt:mm` or ISO 8601. Unique by source "
              "and id, so a repeated event changes nothing; an event for an invoiced month is kept as late and waits for a correction.",
    "ledger": "A SIE 4 file (`.se`, `.si`, `.sie`; PC8; dimension 1 is the cost centre, dimension 6 the activity), or CSV/Excel with "
              "these columns. A year's ledger of one kind (utfall/budget) is replaced as a whole, after confirmation.",
    "keys": "Basis: anställda, yta, timmar, omsättning, fasta andelar, ärenden, drivare. Receiver: `pool:it`, or a customer number for drivers.",
    "prices": "Fills a draft price list (created when missing; a published list is refused). Tiers as `0: 38 | 2000: 31`, packages as "
              "`A: 24000 | B: 31000`; payer: a customer number. The price list page downloads the same columns as Excel.",
    "agency_register": "Register: statskontoret or beredskap. The list for that date is replaced; the state register counts agencies "
                       "with at least one FTE and no host agency.",
    "outages": "Local times `ÅÅÅÅ-MM-DD tt:mm`. The same outage twice changes nothing; an end before the start, an unknown service or "
               "a service without agreed opening hours is an error.",
    "survey_answers": "Kind: kund, kontaktperson, användare, besökare, samverkansmyndighet; answers are whole numbers 1–10. "
                      "A survey's answers are replaced. Its population, sample size, fieldwork period and sample design (shown beside "
                      "its NKI) may be given on any row, the same wherever given; left out, the stored ones are kept.",
    "price_index": "Index: e.g. `plo`, or `input-<supplier code>` for a supplier's input prices.",
    "indicator_data": "Level: tjänst, leverantör, kontor, kund, organisation. Numbers computed from the registry cannot be overwritten.",
    "fee_activities": "Part of Tabell 6: disponeras, pension or beräknad. Activity objects: the ledger's dimension 6 codes, comma-separated; "
                      "revenue and cost are read from them. A row gives the year's budget (both amounts), the accumulated result before the "
                      "year (the first year in the ledger; once per activity), or both. An activity's name, part and objects are the same "
                      "on every row; budgets are replaced by year.",
    "appropriations": "Revenue accounts as a range (`3700-3799`): the ledger's revenue from the appropriation, the year's expenditure. "
                      "Appropriation credit as a share (`0,03`; 3 % when empty). A year of an item is replaced.",
    "staff_years": "Full-time equivalents and the average number of employees (Tabell 14) for the five-year overview and the "
                   "operating cost per FTE. A year is replaced.",
    "reference_figures": "Figure: anställda i staten (the state's employees in the year, which the payroll service's share is measured "
                         "against), myndigheter, beredskapsmyndigheter. The same figures for every organisation in the database.",
    "restrictions": "Subjects as the indicators name them (a service: `supplier code/service code`); an unknown subject or "
                    "indicator is an error. The open report leaves these out; the restricted annex shows them.",
    "offices": "Coordinates in WGS 84 (lon/lat) or SWEREF 99 TM (east/north), recognised by range; a coordinate outside Sweden, an "
               "unknown municipality code or one that does not match the coordinate is an error. Category: fullservicekontor, "
               "flexibelt med/utan personal, tillfälligt. Offices are updated by code.",
    "partner_agencies": "The agencies (or administrations) the offices serve on behalf of, e.g. the state's AF, FK, MIGR, PM and SKV. "
                        "Codes: letters, digits, hyphens and underscores. Two rows with the same code or name are an error; "
                        "partners are updated by code and none is removed.",
    "office_visits": "Partner: the code or name of a registered partner agency (import them first); an unknown one is an error naming "
                     "the registered codes. Visits in a month the office was closed are an error; a month of an office is replaced.",
    "municipality_types": "Municipality: four digits; type: 1–6 or Tillväxtanalys' names.",
    "population_grid": "Coordinates as for offices (e.g. the centres of SCB's squares). Saved as a new set of demand points named after the file.",
    "savings_requirements": "Amounts in SEK against the base year; the closure scenarios show how far each year's plan reaches them.",
}

HEAD = """# Importing your own data

<!-- Generated from the importer registry by scripts/imports_doc.py; edit
     servicecenter/apps/imports/reference.py, not this file. -->

Files in CSV (`;`, `,` or tab separated; UTF-8, or Windows-1252 as Swedish Excel writes it) or
Excel `.xlsx` (first sheet). Headings may be the English names or the Swedish ones in brackets
(case and spaces do not matter). `*` = required; `†` = give at least one of these.

A month may be written `2025-03` (or `2025-3`, `2025/03`), `202503`, `2025M03` (as Statistics
Sweden writes it), `mars 2025` / `Mar 2025`, or as a date in the month (`2025-03-01`,
`2025-03-31`, `20250331`, or an Excel date cell). Two rows of the same month and key are an
error, so a file of days is refused rather than added up. `2025.10` is not a month (Excel reads
it as the number 2025.1).

The import page offers a template of every kind, as `.xlsx` and `.csv`, with the Swedish
headings and one (invented) example row (`/import/templates/<kind>.xlsx`); a test reads each
template back through its importer.

| kind | what | columns | notes |
|---|---|---|---|
"""

TAIL = """
Order: customers and catalogue first, then agreements, then volumes (a volume needs an
agreement in production that month).

    servicecenter import customers kunder.csv --provider ssc --dry-run
    servicecenter import volumes volymer.xlsx --provider ssc --language en

or the Import page in the web UI, or `POST /api/imports/{kind}` (multipart `file`, `provider`,
`dry_run`). All three give the same report. A file with any error writes nothing; every
problem is listed with file, row and column. A code longer than its column is an error (cut
short it would name something else); a free text (a name beside its code, a description, an
address, a source) longer than its column is kept cut to it, with a warning naming the row and
column the first time the file has that text. Re-importing updates: customers by customer
number, catalogue entries by service code and year, agreements by customer and service,
volumes by customer, service and month.
"""


def _column(column) -> str:
    mark = "*" if column.required else "†" if column.either else ""
    aliases = f" ({', '.join(column.aliases)})" if column.aliases else ""
    return f"`{column.name}`{mark}{aliases}"


def imports_markdown() -> str:
    kinds = [kind for kind in ORDER if kind in IMPORTERS] + sorted(set(IMPORTERS) - set(ORDER))
    rows = []
    with translation.override("en"):
        for kind in kinds:
            importer = IMPORTERS[kind]
            cells = [f"`{kind}`", str(importer.help_text), ", ".join(_column(column) for column in importer.columns), NOTES.get(kind, "")]
            rows.append("| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |")
    return HEAD + "\n".join(rows) + "\n" + TAIL
