"""Problems are values: validation returns a list of them so a person sees every problem at once.

A problem names where it is (``source``: a file, ``row`` and ``column`` when known), what is
wrong (``code`` plus parameters, turned into Swedish or English text by a catalogue) and the
offending value. Core code never raises for bad user input; it returns problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    ``code`` is a stable identifier (``orgnr.checksum``); ``params`` fill its message;
    ``row`` is the 1-based line of the file as a person sees it (the header is row 1);
    ``column`` is the column's name as written in the file.
    """

    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    source: str = ""
    row: int | None = None
    column: str | None = None
    value: str | None = None
    severity: Severity = Severity.ERROR

    def located(self, source: str | None = None, row: int | None = None, column: str | None = None) -> Problem:
        """The same problem with its location filled in where it was not known."""
        return Problem(
            code=self.code,
            params=self.params,
            source=self.source or (source or ""),
            row=self.row if self.row is not None else row,
            column=self.column if self.column is not None else column,
            value=self.value,
            severity=self.severity,
        )

    def message(self, language: str = "sv") -> str:
        return render_message(self.code, self.params, language)

    def describe(self, language: str = "sv") -> str:
        """A whole sentence with the location, e.g. ``kunder.csv, rad 4, kolumn orgnr: ...``."""
        words = LOCATION_WORDS["sv" if language.startswith("sv") else "en"]
        parts = [self.source] if self.source else []
        if self.row is not None:
            parts.append(f"{words['row']} {self.row}")
        if self.column:
            parts.append(f"{words['column']} {self.column}")
        where = ", ".join(parts)
        text = self.message(language)
        if self.value not in (None, ""):
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text = f"{text} ({words['value']}: {shown!r})"
        return f"{where}: {text}" if where else text


LOCATION_WORDS = {
    "sv": {"row": "rad", "column": "kolumn", "value": "värde"},
    "en": {"row": "row", "column": "column", "value": "value"},
}

# Every problem code with its Swedish and English text. Parameters in braces.
MESSAGES: dict[str, tuple[str, str]] = {
    "file.empty": ("Filen är tom.", "The file is empty."),
    "file.encoding": (
        "Filen är inte UTF-8 och inte heller Windows-1252/Latin-1 som går att tolka.",
        "The file is neither UTF-8 nor readable as Windows-1252/Latin-1.",
    ),
    "file.encoding_fallback": (
        "Filen är inte UTF-8; den lästes som Windows-1252 (Latin-1). Kontrollera å, ä och ö.",
        "The file is not UTF-8; it was read as Windows-1252 (Latin-1). Check å, ä and ö.",
    ),
    "file.binary": ("Filen innehåller binära data och är ingen CSV- eller Excelfil.", "The file contains binary data and is not a CSV or Excel file."),
    "file.too_large": ("Filen är större än {limit} MB.", "The file is larger than {limit} MB."),
    "file.format": ("Okänt filformat {suffix}; använd .csv eller .xlsx.", "Unknown file format {suffix}; use .csv or .xlsx."),
    "file.unpacks_too_large": ("Excelfilen packas upp till mer än {limit} MB eller är orimligt hårt packad; den öppnas inte. Spara den som CSV eller dela upp den.",
                               "The Excel file unpacks to more than {limit} MB or is implausibly compressed; it is not opened. Save it as CSV or split it."),
    "file.too_many_rows": ("Filen har fler än {limit} rader; dela upp den.", "The file has more than {limit} rows; split it."),
    "file.xlsx": ("Excelfilen kan inte läsas: {detail}", "The Excel file cannot be read: {detail}"),
    "file.parquet": ("Parquet-filen kan inte läsas: {detail}", "The Parquet file cannot be read: {detail}"),
    "value.timestamp": ("Inte en giltig tidpunkt (ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DDTtt:mm[:ss]).", "Not a valid time (YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss])."),
    "event.conflict": ("Samma händelse-id som rad {first} men annat innehåll ({fields}); ingen av dem importeras.",
                       "Same event id as row {first} but different content ({fields}); neither is imported."),
    "event.conflict_stored": ("Händelse-id {id} från {source} är redan importerat med annat innehåll ({fields}); en rättelse behöver ett nytt id.",
                              "Event id {id} from {source} is already imported with different content ({fields}); a correction needs a new id."),
    "event.late": ("Avser {month}, som redan är fakturerad: händelsen sparas och listas för rättelse.",
                   "For {month}, which is already invoiced: the event is kept and listed for a correction."),
    "file.csv": ("CSV-filen kan inte läsas: {detail}", "The CSV file cannot be read: {detail}"),
    "file.no_rows": ("Filen har rubrikrad men inga datarader.", "The file has a header but no data rows."),
    "file.too_many_problems": (
        "Fler än {limit} problem; de första visas. Rätta och försök igen.",
        "More than {limit} problems; the first are shown. Fix them and try again.",
    ),
    "header.missing": ("Obligatorisk kolumn {column} saknas i rubrikraden.", "Required column {column} is missing from the header."),
    "header.unknown": ("Okänd kolumn {column}; den ignoreras.", "Unknown column {column}; it is ignored."),
    "header.duplicate": ("Kolumnen {column} förekommer två gånger.", "Column {column} appears twice."),
    "row.width": ("Raden har {found} fält, rubrikraden har {expected}.", "The row has {found} fields, the header has {expected}."),
    "row.duplicate": ("Dubblett av rad {first}.", "Duplicate of row {first}."),
    "value.required": ("Värde saknas.", "Value missing."),
    "value.integer": ("Inte ett heltal.", "Not a whole number."),
    "value.decimal": ("Inte ett tal.", "Not a number."),
    "value.negative": ("Får inte vara negativt.", "Must not be negative."),
    "value.date": ("Inte ett giltigt datum (ÅÅÅÅ-MM-DD).", "Not a valid date (YYYY-MM-DD)."),
    "value.month": ("Inte en giltig månad; skriv t.ex. 2025-03, 202503 eller mars 2025.", "Not a valid month; write e.g. 2025-03, 202503 or March 2025."),
    "value.range": ("Utanför det rimliga intervallet {low} till {high}.", "Outside the plausible range {low} to {high}."),
    "value.places": ("Högst {places} decimaler.", "At most {places} decimals."),
    "value.precision": ("För många siffror; högst {digits} värdesiffror sparas exakt.", "Too many digits; at most {digits} significant digits are kept exactly."),
    "value.date_range": ("Datumet ligger utanför {low} till {high}.", "The date lies outside {low} to {high}."),
    "volume.closed_month": ("{month} är redan fakturerad; volymen ändras inte (sparad {stored}, i filen {new}). Kreditera fakturaraden med rätt antal i stället.",
                            "{month} is already invoiced; the volume is not changed (stored {stored}, in the file {new}). Credit the invoice line with the right quantity instead."),
    "ledger.replace_unconfirmed": ("Huvudboken för {year} ({kind}) finns redan med {going} rader; filen skulle ersätta dem med {coming} rader. "
                                   "Bekräfta att året ska ersättas och importera igen. Inget sparades.",
                                   "The ledger of {year} ({kind}) already holds {going} rows; the file would replace them with {coming} rows. "
                                   "Confirm that the year is to be replaced and import again. Nothing was stored."),
    "ledger.outside_fiscal_year": ("Månaden {month} ligger utanför filens räkenskapsår {start} till {end} (#RAR 0).",
                                   "The month {month} lies outside the file's fiscal year {start} to {end} (#RAR 0)."),
    "ledger.replaces": ("Huvudboken för {year} ({kind}) ersätts: {going} rader tas bort, {coming} rader kommer in.",
                        "The ledger of {year} ({kind}) is replaced: {going} rows go, {coming} rows come."),
    "value.nul": ("Cellen innehåller ett NUL-tecken (0x00), som ingen text får innehålla.", "The cell contains a NUL character (0x00), which no text may contain."),
    "rating.period": ("En faktureringsperiod är en kalendermånad, inte {start} – {end}.", "A billing period is one calendar month, not {start} – {end}."),
    "rating.unpriced": ("Tjänsten eller tjänsterna {services} har förbrukning men inget pris i prislistan för {year}; ingen förbrukning faktureras utan pris.",
                        "There is no price for service(s) {services} in the price list of {year}, but there is usage; nothing is billed without a price."),
    "rating.package": ("Tjänsten {service}: paketet {package} har inget pris.", "Service {service}: package {package} has no price."),
    "rating.negative_price": ("Tjänsten {service}: ett negativt pris ({price}) kan inte faktureras; använd en rabatt.",
                              "Service {service}: a negative price ({price}) cannot be invoiced; use a discount."),
    "value.year": ("Orimligt år; ange ett år mellan {low} och {high}.", "Implausible year; give a year between {low} and {high}."),
    "value.choice": ("Okänt värde; tillåtna är {choices}.", "Unknown value; allowed are {choices}."),
    "value.boolean": ("Ange ja/nej (eller 1/0).", "Give yes/no (or 1/0)."),
    "value.too_long": ("Längre än {limit} tecken.", "Longer than {limit} characters."),
    "value.cut": ("Längre än de {limit} tecken fältet rymmer: de första {limit} sparas (varnas en gång per värde).",
                  "Longer than the {limit} characters the field holds: the first {limit} are kept (warned once per value)."),
    "value.cut_more": ("Fler texter är längre än sina fält och sparas avkortade; bara de första {listed} visas.",
                       "More texts are longer than their fields and are kept cut; only the first {listed} are listed."),
    "orgnr.format": ("Organisationsnumret ska ha tio siffror (NNNNNN-NNNN).", "The organisation number must have ten digits (NNNNNN-NNNN)."),
    "orgnr.checksum": ("Organisationsnumrets kontrollsiffra stämmer inte.", "The organisation number's check digit is wrong."),
    "customer.unknown": ("Okänd kund {orgnr}; importera kunden först.", "Unknown customer {orgnr}; import the customer first."),
    "customer.unknown_number": ("Okänt kundnummer {number}; importera kunden först.", "Unknown customer number {number}; import the customer first."),
    "customer.ambiguous": ("Flera kunder har organisationsnummer {orgnr} ({numbers}); ange kundnumret.",
                           "Several customers have organisation number {orgnr} ({numbers}); give the customer number."),
    "customer.identify": ("Ange kundnummer eller organisationsnummer.", "Give the customer number or the organisation number."),
    "customer.number_needed": ("Organisationsnumret {orgnr} står på flera rader med olika namn; ge varje kund ett eget kundnummer.",
                               "Organisation number {orgnr} is on several rows with different names; give each customer its own customer number."),
    "value.email": ("Ingen giltig e-postadress.", "Not a valid e-mail address."),
    "customer.host_unknown": ("Okänd värdmyndighet {orgnr}.", "Unknown host agency {orgnr}."),
    "customer.host_self": ("En kund kan inte vara sin egen värdmyndighet.", "A customer cannot be its own host agency."),
    "service.unknown": ("Okänd tjänst {code}; importera katalogen först.", "Unknown service {code}; import the catalogue first."),
    "service.not_in_year": ("Tjänsten {code} finns inte i katalogen för {year}.", "Service {code} is not in the catalogue for {year}."),
    "process.area_mismatch": ("Processen {process} hör redan till tjänsteområdet {area}.", "Process {process} already belongs to service area {area}."),
    "unit.unknown": ("Okänd enhet {unit}; tillåtna är {choices}.", "Unknown unit {unit}; allowed are {choices}."),
    "dates.order": ("{later} ({later_date}) kan inte ligga före {earlier} ({earlier_date}).", "{later} ({later_date}) cannot be before {earlier} ({earlier_date})."),
    "dates.state_requires": ("Status {state} kräver datum i kolumnen {column}.", "State {state} requires a date in column {column}."),
    "dates.future_state": ("Status {state} men datumet {date} ligger efter alla andra.", "State {state} but the date {date} is after every other."),
    "agreement.duplicate_active": ("Kunden har redan ett aktivt avtal om {service}.", "The customer already has an active agreement for {service}."),
    "volume.no_agreement": (
        "Kunden har inget avtal om tjänsten {service} som gäller {month}.",
        "The customer has no agreement for service {service} valid in {month}.",
    ),
    "import.database": ("Databasen avvisade raderna, inget skrevs: {detail}", "The database refused the rows, nothing was written: {detail}"),
    "allocation.unknown_department": ("Okänd avdelning {department} i fördelningen.", "Unknown department {department} in the allocation."),
    "allocation.shares_sum": ("Andelarna för {department} summerar till {total}, inte 1.", "The shares of {department} sum to {total}, not 1."),
    "allocation.self_share": ("{department} kan inte fördela kostnad till sig själv.", "{department} cannot allocate cost to itself."),
    "allocation.negative_share": ("{department} har en negativ andel till {receiver}.", "{department} has a negative share to {receiver}."),
    "allocation.no_production": ("Ingen producerande avdelning tar emot kostnaden.", "No production department receives the cost."),
    "allocation.closed_loop": (
        "Stödavdelningarna {departments} fördelar bara till varandra; kostnaden når aldrig produktionen.",
        "Support departments {departments} only allocate to each other; the cost never reaches production.",
    ),
    "allocation.no_convergence": ("Den iterativa metoden konvergerade inte på {iterations} varv.", "The iterative method did not converge in {iterations} iterations."),
    "allocation.cycle": (
        "Stegvis fördelning går inte: {cycle} betjänar varandra i en slinga. Använd ömsesidig (reciprok) fördelning.",
        "Step-down is impossible: {cycle} serve each other in a loop. Use reciprocal allocation.",
    ),
    "allocation.order_repeats": ("{department} står två gånger i ordningen.", "{department} appears twice in the order."),
    "allocation.order_missing": ("Ordningen saknar {departments}.", "The order lacks {departments}."),
    "allocation.order_unknown": ("Ordningen nämner okända stödavdelningar {departments}.", "The order names unknown support departments {departments}."),
    "allocation.nowhere_to_go": ("{department} har ingen mottagare efter sig i ordningen.", "{department} has no receiver after it in the order."),
    "allocation.zero_key": ("Fördelningsnyckeln för {pool} summerar till noll; {amount} kr kan inte fördelas.", "The key of {pool} sums to zero; {amount} kr cannot be allocated."),
    "allocation.negative_key": ("Fördelningsnyckeln för {pool} har negativa värden.", "The key of {pool} has negative values."),
    "sie.binary": ("Filen innehåller binära data och är ingen SIE-fil.", "The file contains binary data and is not a SIE file."),
    "sie.encoding": (
        "Filen är kodad som UTF-8; SIE 4 ska vara PC8 (teckentabell 437). Raden lyder i UTF-8 \"{as_utf8}\" men skulle sparas som \"{as_pc8}\". "
        "Exportera igen från bokföringsprogrammet med PC8.",
        "The file is encoded as UTF-8; SIE 4 must be PC8 (code page 437). The line reads \"{as_utf8}\" in UTF-8 but would be stored as \"{as_pc8}\". "
        "Export it again from the accounting system as PC8.",
    ),
    "sie.encoding_mixed": (
        "Filen blandar UTF-8 och andra teckenkoder; SIE 4 ska vara PC8. Raden lyder \"{as_utf8}\" i UTF-8 och \"{as_pc8}\" i PC8. Inget sparades.",
        "The file mixes UTF-8 and other character encodings; SIE 4 must be PC8. The line reads \"{as_utf8}\" in UTF-8 and \"{as_pc8}\" in PC8. Nothing was stored.",
    ),
    "sie.encoding_latin1": (
        "Filen är inte PC8 utan Windows-1252/Latin-1; den lästes om som sådan. Kontrollera å, ä och ö, t.ex. \"{sample}\".",
        "The file is not PC8 but Windows-1252/Latin-1 and was read as such. Check å, ä and ö, e.g. \"{sample}\".",
    ),
    "sie.quote": ("Ett citattecken avslutas aldrig på raden.", "A quotation mark is never closed on the line."),
    "sie.brace": ("Klammerparenteserna { } stämmer inte.", "The braces { } do not match."),
    "sie.amount": ("{value} är inget belopp.", "{value} is not an amount."),
    "sie.date": ("{value} är inget datum (ÅÅÅÅMMDD).", "{value} is not a date (YYYYMMDD)."),
    "sie.period": ("{value} är ingen period (ÅÅÅÅMM).", "{value} is not a period (YYYYMM)."),
    "sie.objects": ("{value} är ingen objektlista {{dimension objekt ...}}.", "{value} is not an object list {{dimension object ...}}."),
    "sie.fields": ("{label} behöver minst {count} fält.", "{label} needs at least {count} fields."),
    "sie.label": ("Raden börjar inte med en etikett (#...): {value}.", "The line does not start with a label (#...): {value}."),
    "sie.trans_outside": ("#TRANS utanför en verifikation.", "#TRANS outside a voucher."),
    "sie.voucher_unopened": ("Verifikationen saknar {{ på raden efter #VER.", "The voucher lacks {{ on the line after #VER."),
    "sie.voucher_unclosed_before": ("En ny #VER innan den förra stängts med }}.", "A new #VER before the previous one was closed with }}."),
    "sie.voucher_unclosed": ("Verifikationen som börjar här stängs aldrig med }}.", "The voucher starting here is never closed with }}."),
    "sie.unbalanced": ("Verifikation {series} {number} balanserar inte: summan är {sum}.", "Voucher {series} {number} does not balance: the sum is {sum}."),
    "sie.unknown_account": ("Kontot {account} finns inte i kontoplanen (#KONTO).", "Account {account} is not in the chart of accounts (#KONTO)."),
    "sie.unknown_object": ("Objekt {object} i dimension {dimension} är inte deklarerat (#OBJEKT).", "Object {object} of dimension {dimension} is not declared (#OBJEKT)."),
    "sie.ksumma": ("Kontrollsumman stämmer inte: filen anger {value}, innehållet ger {computed}. Filen har ändrats efter att den skrevs; "
                   "exportera den igen från bokföringen.",
                   "The checksum does not match: the file says {value}, its content gives {computed}. The file was changed after it was "
                   "written; export it again from the accounts."),
    "sie.ksumma_unclosed": ("Kontrollsumman som börjar här (#KSUMMA) avslutas aldrig: filen kan vara avklippt.",
                            "The checksum opened here (#KSUMMA) is never closed: the file may be cut short."),
    "sie.ksumma_order": ("#KSUMMA på fel ställe (en andra början, eller en summa utan början); den kontrolleras inte.",
                         "#KSUMMA out of place (a second opening, or a sum without an opening); it is not verified."),
    "sie.no_flag": ("#FLAGGA saknas; är detta en SIE-fil?", "#FLAGGA is missing; is this a SIE file?"),
    "sie.format": ("Teckenformatet {value} stöds inte; SIE 4 använder PC8.", "Character format {value} is not supported; SIE 4 uses PC8."),
    "sie.type": ("SIE-typ {value}; endast typ 4 (med verifikationer) läses.", "SIE type {value}; only type 4 (with vouchers) is read."),
    "price.no_volume": ("Processen {process} har ingen planerad volym; styckpris kan inte räknas fram.", "Process {process} has no planned volume; no unit price can be derived."),
    "allocation.not_conserved": ("Steget {step} bevarar inte totalen: {before} före, {after} efter.", "Step {step} does not conserve the total: {before} before, {after} after."),
    "price.pairs": ("{what}: {part} går inte att läsa; skriv t.ex. 0: 38 | 2000: 31 (trappa) eller A: 24000 | B: 31000 (paket).",
                    "{what}: {part} cannot be read; write e.g. 0: 38 | 2000: 31 (tiers) or A: 24000 | B: 31000 (packages)."),
    "price.entry": ("{detail}", "{detail}"),
    "price.list_published": ("Prislistan {name} {year} är publicerad och låst; gör en ny version för att ändra den.",
                             "The price list {name} {year} is published and frozen; make a new version to change it."),
    "costing.no_ledger": ("Ingen huvudbok är importerad för {year}.", "No ledger is imported for {year}."),
    "costing.no_steps": ("Modellen har inga steg.", "The model has no steps."),
    "costing.unknown_source": ("Steget {step}: källan {source} är ingen pool, tjänst eller kunddebitering hos organisationen.",
                               "Step {step}: the source {source} is no pool, service or customer charge of the organisation."),
    "costing.unknown_receiver": ("Steget {step}, källan {source}: mottagaren {receiver} är ingen pool, tjänst eller kunddebitering hos organisationen.",
                                 "Step {step}, source {source}: the receiver {receiver} is no pool, service or customer charge of the organisation."),
    "costing.key_needs_service": ("Steget {step}, källan {source}: nyckeln {key} fördelar på kunder men anger ingen tjänst att debitera; välj en tjänst på nyckeln eller fördela en tjänst i stället för en pool.",
                                  "Step {step}, source {source}: the key {key} spreads onto customers but names no service to charge; choose a service on the key, or spread a service instead of a pool."),
    "costing.empty_key": ("Steget {step}, källan {source}: nyckeln {key} har inga vikter för året.",
                          "Step {step}, source {source}: the key {key} has no weights for the year."),
    "indicator.expression": ("Uttrycket {expression} går inte att tolka: {detail}.", "The expression {expression} cannot be read: {detail}."),
    "indicator.unknown_element": ("Okänt dataelement {element}; kända är {choices}.", "Unknown data element {element}; known are {choices}."),
    "hours.empty": ("Öppettider saknas.", "Opening hours are missing."),
    "hours.format": ("Öppettiderna {part} går inte att tolka; skriv till exempel \"Vardagar 07–18\" eller \"Dygnet runt\".",
                     "The opening hours {part} cannot be read; write e.g. \"Vardagar 07–18\" or \"Dygnet runt\"."),
    "hours.days": ("Okända dagar {days}; skriv vardagar, alla dagar, mån–fre, lör ...", "Unknown days {days}; write vardagar, alla dagar, mån–fre, lör ..."),
    "hours.times": ("Tiderna i {part} är orimliga (slut före start eller utanför 00–24).", "The times in {part} are implausible (end before start, or outside 00–24)."),
    "savings.base_year": ("Basåret ska ligga före året {year}.", "The base year must come before the year {year}."),
    "restriction.subject": ("Okänt objekt; indikatorernas objekt är t.ex. {examples}.", "Unknown subject; the indicators' subjects are e.g. {examples}."),
    "restriction.indicator": ("Okänd indikator {code}.", "Unknown indicator {code}."),
    "service_level.no_version": ("Tjänsten {code} har ingen version för {year} i katalogen.", "Service {code} has no version for {year} in the catalogue."),
    "survey.inconsistent": ("Undersökningen {survey} beskrivs annorlunda än på rad {first}.", "Survey {survey} is described differently than on row {first}."),
    "survey.scale": ("Svaret på frågan {question} ska vara ett heltal {low}–{high}.", "The answer to question {question} must be a whole number {low}–{high}."),
    "outage.order": ("Avbrottet slutar ({end}) innan det börjar ({start}).", "The outage ends ({end}) before it starts ({start})."),
    "outage.no_hours": ("Tjänsten {code} har inga avtalade öppettider {year}; tillgänglighet mäts bara för tjänster med avtalade öppettider.",
                        "Service {code} has no agreed opening hours in {year}; availability is measured only for services with agreed opening hours."),
    "network.outside_sweden": ("Koordinaten ({x}, {y}) ligger utanför Sverige.", "The coordinate ({x}, {y}) is outside Sweden."),
    "network.no_municipality": ("Punkten ({x}, {y}) ligger inte i någon svensk kommun.", "The point ({x}, {y}) is not in any Swedish municipality."),
    "network.municipality_unknown": ("Okänd kommunkod {code}; koderna är SCB:s fyrsiffriga.", "Unknown municipality code {code}; codes are Statistics Sweden's four digits."),
    "network.municipality_mismatch": ("Kommunkod {code} stämmer inte med koordinaten, som ligger i {found} {name}.", "Municipality code {code} does not match the coordinate, which is in {found} {name}."),
    "network.office_unknown": ("Okänt kontor {code}.", "Unknown office {code}."),
    "network.office_closed": ("Kontoret {code} stängde {closed}; besök i {month} kan inte tas emot.", "The office {code} closed on {closed}; it cannot have visits in {month}."),
    "network.office_not_open": ("Kontoret {code} öppnade först {opened}.", "The office {code} opened only on {opened}."),
    "network.closed_before_opened": ("Stängningsdatum före öppningsdatum.", "Closing date before the opening date."),
    "network.partner_unknown": ("Okänd samverkansmyndighet {code}; de registrerade är {known}.",
                                "Unknown partner agency {code}; the registered ones are {known}."),
    "network.no_partners": ("Inga samverkansmyndigheter är registrerade än: importera dem först (Samverkansmyndigheter).",
                            "No partner agencies are registered yet: import them first (Partner agencies)."),
    "network.coordinate_pair": ("Ange både x/lon och y/lat.", "Give both x/lon and y/lat."),
    "value.positive": ("Måste vara större än noll.", "Must be greater than zero."),
    "datapoint.computed": ("{element} räknas fram ur registret och kan inte skrivas över; ändra underlaget i stället.",
                           "{element} is computed from the registry and cannot be overwritten; change the data behind it instead."),
    "register.host_self": ("Myndigheten kan inte vara sin egen värdmyndighet.", "An agency cannot be its own host agency."),
    "followup.unknown_activity": ("Okänd avgiftsbelagd verksamhet {code}.", "Unknown fee-financed activity {code}."),
    "value.code": ("Koden får bara ha bokstäver, siffror, bindestreck och understreck.", "A code may hold only letters, digits, hyphens and underscores."),
    "fee.nothing": ("Ange årets budget (intäkter och kostnader) eller det ackumulerade resultatet före året.",
                    "Give the year's budget (revenue and cost) or the accumulated result before the year."),
    "fee.inconsistent": ("Verksamheten {code} beskrivs annorlunda än på rad {first}.", "Activity {code} is described differently than on row {first}."),
    "appropriation.accounts": ("Ange intäktskontona som ett intervall av fyrsiffriga konton, t.ex. 3700-3799.",
                               "Give the revenue accounts as a range of four-digit accounts, e.g. 3700-3799."),
    "appropriation.inconsistent": ("Anslagsposten {code} beskrivs annorlunda än på rad {first}.",
                                   "Appropriation item {code} is described differently than on row {first}."),
    "provider.unknown": ("Okänd leverantörsorganisation {code}.", "Unknown provider organisation {code}."),
}


def render_message(code: str, params: Mapping[str, object], language: str = "sv") -> str:
    swedish, english = MESSAGES.get(code, (code, code))
    template = swedish if language.startswith("sv") else english
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
