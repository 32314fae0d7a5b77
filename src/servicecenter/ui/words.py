"""Words for the keys of counts and details that the code records (``created``, ``unchanged``,
``invoices``): import summaries and the audit log show these, never the keys."""

from __future__ import annotations

from django.utils.translation import get_language

#: key: (Swedish, English)
KEYS: dict[str, tuple[str, str]] = {
    "month": ("månad", "month"), "invoices": ("fakturor", "invoices"), "net": ("netto", "net"), "fatal": ("fel", "errors"),
    "flags": ("flaggor", "flags"), "payable": ("att betala", "payable"), "first": ("första", "first"), "last": ("sista", "last"),
    "counts": ("antal", "counts"), "rows": ("rader", "rows"), "file": ("fil", "file"), "year": ("år", "year"),
    "created": ("nya", "new"), "updated": ("ändrade", "changed"), "unchanged": ("oförändrade", "unchanged"), "cells": ("celler", "cells"),
    "reason": ("skäl", "reason"), "lines": ("rader", "lines"), "name": ("namn", "name"), "kind": ("slag", "kind"),
    "agencies": ("myndigheter", "agencies"), "answers": ("svar", "answers"), "areas": ("områden", "areas"), "count": ("antal", "count"),
    "data_points": ("mätvärden", "data points"), "entries": ("prisrader", "price entries"), "errors": ("fel", "errors"),
    "keys": ("nycklar", "keys"), "lists": ("prislistor", "price lists"), "municipalities": ("kommuner", "municipalities"),
    "office_months": ("kontorsmånader", "office months"), "points": ("rutor", "grid cells"), "processes": ("processer", "processes"),
    "registers": ("register", "registers"), "services": ("tjänster", "services"), "surveys": ("undersökningar", "surveys"),
    "values": ("värden", "values"), "years": ("år", "years"), "total": ("totalt", "total"), "offices": ("kontor", "offices"),
    "visits": ("besök", "visits"), "customers": ("kunder", "customers"), "agreements": ("överenskommelser", "agreements"),
    "volumes": ("volymer", "volumes"), "events": ("händelser", "events"), "late": ("sena", "late"), "vouchers": ("verifikationer", "vouchers"),
    "transactions": ("transaktioner", "transactions"), "accounts": ("konton", "accounts"), "outages": ("störningar", "outages"),
    "flags_acknowledged": ("flaggor kvitterade", "flags acknowledged"), "fiscal_year": ("räkenskapsår", "fiscal year"),
    "source": ("källa", "source"), "service": ("tjänst", "service"), "types": ("pristyper", "kinds of price"),
    "activities": ("verksamheter", "activities"), "budgets": ("budgetar", "budgets"), "openings": ("ingående resultat", "opening results"),
    "appropriations": ("anslag", "appropriations"), "figures": ("referenstal", "reference figures"),
    "org_number_before": ("tidigare organisationsnummer", "organisation number before"),
    "amount": ("belopp", "amount"), "basis": ("grund", "basis"), "chart": ("kontoplan", "chart of accounts"), "code": ("kod", "code"),
    "computed": ("beräknad", "computed"), "credit_note": ("kreditnota", "credit note"), "family": ("indikatorfamilj", "family of indicators"),
    "from": ("från", "from"), "to": ("till", "to"), "hash": ("kontrollsumma", "checksum"), "invoice": ("faktura", "invoice"),
    "key": ("nyckel", "key"), "method": ("metod", "method"), "model": ("kalkylmodell", "cost model"), "months": ("månader", "months"),
    "payroll": ("lönetjänster", "payroll services"), "problems": ("problem", "problems"), "replaces": ("ersätter", "replaces"),
    "rule": ("regel", "rule"), "seed": ("slumpfrö", "random seed"), "state": ("läge", "state"), "step": ("steg", "step"),
    "versions_created": ("nya versioner", "new versions"), "versions_updated": ("ändrade versioner", "changed versions"),
    "removed": ("borttagna", "removed"), "subject": ("avser", "subject"), "org_number": ("organisationsnummer", "organisation number"), "indicator": ("indikator", "indicator"),
}




def count_word(key: str) -> str:
    """The word for ``key`` in the page's language; an unknown key with its underscores as spaces."""
    words = KEYS.get(key)
    if words:
        return words[1 if (get_language() or "sv").startswith("en") else 0]
    return key.replace("_", " ")
