"""What the audit log shows a person for an entry's action code and its details.

Actions are recorded as codes (``billing.run.approved``, ``imports.customers.rejected``): stable
for searching and the API. A page reads them as words, in Swedish or English: the thing, then
what happened to it, with the Swedish participle agreeing with the noun (en/ett/plural). An action
added to the code without words here is shown as the code, so nothing is ever hidden.

Written as (Swedish, English) pairs rather than through the message catalogue: the labels are
composed (noun + participle), which gettext cannot agree in gender.
"""

from __future__ import annotations

from django.utils.translation import get_language

from servicecenter.ui.words import count_word

# noun: (Swedish, gender "c" common / "n" neuter / "p" plural, English)
NOUNS: dict[str, tuple[str, str, str]] = {
    "accounts.person": ("Person", "c", "Person"),
    "accounts.token": ("API-nyckel", "c", "API token"),
    "accounts.user": ("Användare", "c", "User"),
    "billing.focus": ("FOCUS-export", "c", "FOCUS export"),
    "billing.invoice": ("Faktura", "c", "Invoice"),
    "billing.run": ("Faktureringskörning", "c", "Billing run"),
    "costing.key": ("Fördelningsnyckel", "c", "Allocation key"),
    "costing.ledger": ("Huvudbok", "c", "Ledger"),
    "costing.model": ("Kostnadsmodell", "c", "Cost model"),
    "costing.pool": ("Kostnadspool", "c", "Cost pool"),
    "costing.price_list": ("Prislista", "c", "Price list"),
    "costing.run": ("Körning av kostnadsmodellen", "c", "Cost model run"),
    "demo": ("Demodatabasen", "c", "Demo database"),
    "followup": ("Uppföljningens mätvärden", "p", "Follow-up data"),
    "followup.datapoint": ("Mätvärde", "n", "Data point"),
    "followup.goal": ("Mål", "n", "Goal"),
    "followup.indicator": ("Indikator", "c", "Indicator"),
    "followup.outage": ("Driftstörning", "c", "Outage"),
    "followup.register": ("Register", "n", "Register"),
    "followup.report": ("Rapport", "c", "Report"),
    "followup.report_text": ("Rapporttext", "c", "Report text"),
    "followup.restrictions": ("Uppgifter för den begränsade bilagan", "p", "Restricted items"),
    "followup.supplier": ("Leverantör i den samordnade it-driften", "c", "Supplier of the coordinated IT operations"),
    "followup.sources": ("Källor", "p", "Sources"),
    "metering.volumes": ("Volymer", "p", "Volumes"),
    "network.offices": ("Servicekontor", "p", "Offices"),
    "network.partners": ("Samverkansmyndigheter", "p", "Partner agencies"),
    "network.report": ("Konsekvensrapport", "c", "Consequence report"),
    "network.scenario": ("Scenario", "n", "Scenario"),
    "network.visits": ("Besöksstatistik", "c", "Visit statistics"),
    "registry.agreement": ("Överenskommelse", "c", "Agreement"),
    "registry.customer": ("Kund", "c", "Customer"),
    "registry.provider": ("Organisation", "c", "Organisation"),
    "registry.service_version": ("Tjänsteversion", "c", "Service version"),
    "registry.service_levels": ("Servicenivåer", "p", "Service levels"),
    "registry.service": ("Tjänst", "c", "Service"),
}

# what happened: (Swedish common, neuter, plural, English)
VERBS: dict[str, tuple[str, str, str, str]] = {
    "created": ("skapad", "skapat", "skapade", "created"),
    "updated": ("ändrad", "ändrat", "ändrade", "changed"),
    "changed": ("ändrad", "ändrat", "ändrade", "changed"),
    "deleted": ("borttagen", "borttaget", "borttagna", "deleted"),
    "approved": ("godkänd", "godkänt", "godkända", "approved"),
    "issued": ("utfärdad", "utfärdat", "utfärdade", "issued"),
    "previewed": ("förhandsgranskad", "förhandsgranskat", "förhandsgranskade", "previewed"),
    "refreshed": ("omräknad", "omräknat", "omräknade", "recalculated"),
    "discarded": ("kasserad", "kasserat", "kasserade", "discarded"),
    "credited": ("krediterad", "krediterat", "krediterade", "credited"),
    "corrected": ("rättad", "rättat", "rättade", "corrected"),
    "integrity_failed": ("klarade inte sigillkontrollen", "klarade inte sigillkontrollen", "klarade inte sigillkontrollen", "failed its seal check"),
    "downloaded": ("nedladdad", "nedladdat", "nedladdade", "downloaded"),
    "exported": ("exporterad", "exporterat", "exporterade", "exported"),
    "imported": ("importerad", "importerat", "importerade", "imported"),
    "copied": ("kopierad", "kopierat", "kopierade", "copied"),
    "published": ("publicerad", "publicerat", "publicerade", "published"),
    "versioned": ("fick en ny version", "fick en ny version", "fick en ny version", "given a new version"),
    "derived": ("härledd", "härlett", "härledda", "derived"),
    "completed": ("klar", "klart", "klara", "completed"),
    "entered": ("registrerad", "registrerat", "registrerade", "entered"),
    "defined": ("definierad", "definierat", "definierade", "defined"),
    "saved": ("sparad", "sparat", "sparade", "saved"),
    "set": ("valda", "valda", "valda", "chosen"),
    "optimised": ("optimerat", "optimerat", "optimerade", "optimised"),
    "built": ("byggd", "byggt", "byggda", "built"),
    "collected": ("insamlad", "insamlat", "insamlade", "collected"),
    "weights_set": ("fick nya vikter", "fick nya vikter", "fick nya vikter", "given new weights"),
    "source_set": ("fick en källa", "fick en källa", "fick en källa", "given a source"),
    "source_removed": ("miste en källa", "miste en källa", "miste en källa", "lost a source"),
    "step_added": ("fick ett nytt steg", "fick ett nytt steg", "fick ett nytt steg", "given a new step"),
    "step_changed": ("fick ett steg ändrat", "fick ett steg ändrat", "fick ett steg ändrat", "had a step changed"),
    "step_moved": ("fick ett steg flyttat", "fick ett steg flyttat", "fick ett steg flyttat", "had a step moved"),
    "step_removed": ("miste ett steg", "miste ett steg", "miste ett steg", "lost a step"),
    "rule_added": ("fick en ny regel", "fick en ny regel", "fick en ny regel", "given a new rule"),
    "rule_removed": ("miste en regel", "miste en regel", "miste en regel", "lost a rule"),
    "entry_saved": ("fick ett pris sparat", "fick ett pris sparat", "fick ett pris sparat", "had a price saved"),
    "entry_removed": ("miste ett pris", "miste ett pris", "miste ett pris", "lost a price"),
}

# imports.<kind>.<status>: what was imported, and how it went
IMPORT_STATUS: dict[str, tuple[str, str]] = {
    "applied": ("inläst", "applied"),
    "rejected": ("avvisad, inget skrevs", "rejected, nothing written"),
    "checked": ("kontrollerad utan att läsas in", "checked only"),
}

def _english() -> bool:
    return (get_language() or "sv").startswith("en")


def action_label(action: str) -> str:
    """``billing.run.approved`` → "Faktureringskörning godkänd" (English: "Billing run approved")."""
    english = _english()
    parts = action.split(".")
    if len(parts) == 3 and parts[0] == "imports" and parts[2] in IMPORT_STATUS:
        from servicecenter.apps.imports.base import kind_label

        kind = kind_label(parts[1])
        status = IMPORT_STATUS[parts[2]][1 if english else 0]
        return f"Import, {kind}: {status}" if english else f"Import, {kind}: {status}"
    if parts[:2] == ["billing", "invoice"] and len(parts) == 4 and parts[2] == "downloaded":
        return f"Invoice downloaded ({parts[3].upper()})" if english else f"Faktura nedladdad ({parts[3].upper()})"
    noun, verb = ".".join(parts[:-1]), parts[-1]
    if noun not in NOUNS or verb not in VERBS:
        return action
    swedish, gender, english_noun = NOUNS[noun]
    forms = VERBS[verb]
    if english:
        return f"{english_noun} {forms[3]}"
    return f"{swedish} {forms['cnp'.index(gender)]}"


_CHOICES: dict[str, str] | None = None


def _choice_labels() -> dict[str, str]:
    """Every stored enum value of the models (``it_operations``, ``fee_financed``) with its label."""
    global _CHOICES
    if _CHOICES is None:
        from django.apps import apps
        from django.db.models import Choices

        found: dict[str, str] = {}
        for model in apps.get_models():
            choices = [model_field.choices or () for model_field in model._meta.get_fields() if getattr(model_field, "choices", None)]
            # and the enumerations a model keeps for its own use (a price list entry's kinds of price)
            choices += [kind.choices for kind in vars(model).values() if isinstance(kind, type) and issubclass(kind, Choices)]
            for value, label in (pair for group in choices for pair in group):
                if isinstance(value, str) and ("_" in value or value.islower()):
                    found.setdefault(value, label)
        _CHOICES = found
    return _CHOICES


#: the reports a download names (``followup.report.downloaded``)
REPORTS = {"fee_financed": ("Avgiftsbelagd verksamhet och anslag", "Fee-financed activity and appropriation"),
           "it_operations": ("Indikatorer för samordnad it-drift", "Indicators of coordinated IT operations")}


def _value(value, key: str = "", names: dict[str, str] | None = None) -> str:
    if key == "report" and value in REPORTS:
        return REPORTS[value][1 if _english() else 0]
    if isinstance(value, bool):
        return ("yes" if value else "no") if _english() else ("ja" if value else "nej")
    if isinstance(value, dict):
        return ", ".join(f"{_key(k)} {_value(v, k, names)}" for k, v in value.items() if v not in ("", None, {}, []))
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(v, key, names) for v in value)
    if isinstance(value, str):
        if names and value in names:          # a model's node: pool:lon, service:lon-bas
            return names[value]
        if key == "service" and names and f"service:{value}" in names:   # a service by its code
            return names[f"service:{value}"]
        label = _choice_labels().get(value)
        if label is not None and ("_" in value or key in ("family", "kind", "state", "status", "ledger", "method", "category", "basis", "chart")):
            return str(label)
    return str(value)


def _key(key: str) -> str:
    return count_word(key)


def details_text(data: dict, limit: int = 200, names: dict[str, str] | None = None) -> str:
    """An entry's details as words (``månad YYYY-MM, fakturor 300``); empty parts are left out.
    ``names``: what the provider's internal node names (``pool:lon``) are called."""
    text = "; ".join(f"{_key(k)}: {_value(v, k, names)}" for k, v in (data or {}).items() if v not in ("", None, {}, []))
    return text if len(text) <= limit else text[: limit - 1] + "…"
