"""Forms of the price-list pages. Numbers are read as the imports read them (Swedish or English
notation, within the domain's limits); percentages are entered as percent and stored as shares.
Every message names its field."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from servicecenter.core import limits
from servicecenter.core.limits import Limit
from servicecenter.core.money import decimal_of
from servicecenter.formats.values import parse_decimal

VAT_CATEGORIES = [("S", _("standard rate")), ("O", _("outside the scope of VAT")), ("E", _("exempt")), ("Z", _("zero rate"))]


def _language() -> str:
    return (translation.get_language() or "sv")[:2]


def _number(text: str, limit: Limit) -> Decimal:
    value, problem = parse_decimal(text, limit=limit)
    if problem is not None:
        raise forms.ValidationError(problem.message(_language()))
    return value


def shown(value: Decimal | None) -> str:
    """A stored number as a form shows it (decimal comma in Swedish), without trailing zeros."""
    if value is None:
        return ""
    text = format(decimal_of(value).normalize(), "f")
    return text.replace(".", ",") if _language() == "sv" else text


class NumberField(forms.CharField):
    """A number within ``limit``; ``percent`` reads 12,5 as the share 0.125."""

    def __init__(self, *, limit: Limit = limits.FEE, percent: bool = False, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 12, "maxlength": 40}))
        super().__init__(**kwargs)
        self.limit, self.percent = (limits.PERCENT if percent else limit), percent

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        number = _number(text, self.limit)
        return number / 100 if self.percent else number


def _pairs(text: str, what: str, example: str) -> list[tuple[int, str, str]]:
    if len(text) > 4000:
        raise forms.ValidationError(_("At most 4,000 characters."))
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [p for p in re.split(r"\s*[;\t=]\s*", line) if p] if re.search(r"[;\t=]", line) else line.split()
        if len(parts) != 2:
            raise forms.ValidationError(_("Line %(line)s: give %(what)s and a price, separated by a semicolon (%(example)s).")
                                        % {"line": number, "what": what, "example": example})
        pairs.append((number, parts[0], parts[1]))
    return pairs


def _number_on_line(text: str, line: int, limit: Limit) -> Decimal:
    try:
        return _number(text, limit)
    except forms.ValidationError as error:
        raise forms.ValidationError(_("Line %(line)s: %(problem)s") % {"line": line, "problem": " ".join(error.messages)}) from None


class LinesField(forms.CharField):
    """A textarea of ``key; price`` lines; subclasses turn the lines into the stored value."""

    what = ""  # what the first column holds, for the message of a malformed line
    example = ""

    def __init__(self, *, rows: int = 4, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows, "cols": 30}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return self.build(_pairs(super().to_python(value) or "", self.what, self.example))


class TiersField(LinesField):
    """Bands as lines of ``from quantity; price``, ascending from 0."""

    what = _("a quantity")
    example = "0; 53,50"

    def build(self, pairs):
        tiers = []
        for line, start, price in pairs:
            start_value, price_value = _number_on_line(start, line, limits.QUANTITY), _number_on_line(price, line, limits.FEE)
            if tiers and start_value <= decimal_of(tiers[-1][0]):
                raise forms.ValidationError(_("Line %(line)s: each band must start above the one before.") % {"line": line})
            tiers.append([str(start_value), str(price_value)])
        if tiers and decimal_of(tiers[0][0]) != 0:
            raise forms.ValidationError(_("The first band must start at 0."))
        return tiers

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{shown(decimal_of(a))}; {shown(decimal_of(b))}" for a, b in value)
        return value


class PackagesField(LinesField):
    """Packages as lines of ``code; price``."""

    what = _("a code")
    example = "A; 24 000"

    def build(self, pairs):
        packages = {}
        for line, code, price in pairs:
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,20}", code):
                raise forms.ValidationError(_("Line %(line)s: a package code is 1–20 letters or digits.") % {"line": line})
            if code in packages:
                raise forms.ValidationError(_("Line %(line)s: package %(code)s is given twice.") % {"line": line, "code": code})
            packages[code] = str(_number_on_line(price, line, limits.FEE))
        return packages

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{code}; {shown(decimal_of(price))}" for code, price in value.items())
        return value


class ProviderForm(forms.Form):
    """A form that names its organisation only when the person sees several (``providers``)."""

    provider = forms.ModelChoiceField(label=_("Organisation"), queryset=None)

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if providers is None:
            del self.fields["provider"]
        else:
            self.fields["provider"].queryset = providers
            if len(providers) == 1:
                self.fields["provider"].initial = providers[0].pk
        self.order_fields(["provider"])


class NewPriceListForm(ProviderForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=int(limits.YEAR.low), max_value=int(limits.YEAR.high))


class DeriveForm(NewPriceListForm):
    """A price list derived from a cost run; one planned volume per service with cost."""

    cap = NumberField(label=_("Largest yearly rise (%)"), percent=True,
                      help_text=_("Leave empty for no cap. Compared with the previous list, or with the previous prices below."))
    previous = forms.ModelChoiceField(label=_("Previous price list"), queryset=None, required=False, empty_label=_("none"))

    def __init__(self, *args, services: list[tuple[str, str]], lists, proposals: dict, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["year"]  # the run's year and provider
        self.fields["previous"].queryset = lists
        self.services = services
        for code, name in services:
            proposal = proposals.get(code)
            help_text = (_("Proposal: %(year)s actuals, %(months)s months scaled to 12. Check it.") % {"year": proposal.source_year, "months": proposal.months}
                         if proposal else _("No actuals last year: enter the planned volume, or leave empty for a fixed pool."))
            self.fields[f"volume_{code}"] = NumberField(label=_("Planned volume: %(service)s") % {"service": name}, limit=limits.QUANTITY,
                                                        help_text=help_text, initial=shown(proposal.volume) if proposal else "")
            self.fields[f"before_{code}"] = NumberField(label=_("Previous price: %(service)s") % {"service": name},
                                                        help_text=_("Only used for the cap when there is no previous list."))

    def planned(self) -> dict[str, Decimal]:
        return {code: self.cleaned_data[f"volume_{code}"] for code, _name in self.services if self.cleaned_data.get(f"volume_{code}")}

    def stated_previous(self) -> dict[str, Decimal]:
        return {code: self.cleaned_data[f"before_{code}"] for code, _name in self.services if self.cleaned_data.get(f"before_{code}") is not None}

    def rows(self):
        return [[self[f"volume_{code}"], self[f"before_{code}"]] for code, _name in self.services]


class EntryForm(forms.Form):
    """Every price type of one entry; each filled component becomes its own invoice line."""

    service = forms.ModelChoiceField(label=_("Service"), queryset=None)
    unit_price = NumberField(label=_("Price per unit (kr)"))
    tiers = TiersField(label=_("Volume tiers"), help_text=_("One band per line: from quantity; price. The first starts at 0."))
    graduated = forms.BooleanField(label=_("Graduated (each band priced at its own price)"), required=False, initial=True)
    packages = PackagesField(label=_("Packages"), rows=3, help_text=_("One package per line: code; price."))
    base_fixed = NumberField(label=_("Base fee per customer and year (kr)"))
    per_employee = NumberField(label=_("Fee per employee and year (kr)"))
    fixed_pool = NumberField(label=_("Fixed pool per year (kr)"), limit=limits.COST,
                             help_text=_("Keyed out over the customers with an agreement, or paid by one payer."))
    pool_key = forms.ModelChoiceField(label=_("Key of the fixed pool"), queryset=None, required=False, empty_label=_("the customers' employees"),
                                      help_text=_("How the fixed pool is shared among the customers with an agreement."))
    payer = forms.ModelChoiceField(label=_("Payer of a fixed reimbursement"), queryset=None, required=False, empty_label=_("none (keyed out)"))
    connection_fee = NumberField(label=_("Connection fee (kr)"))
    connection_months = forms.IntegerField(label=_("Connection fee paid over (months)"), min_value=1, max_value=600, initial=60)
    pass_through = forms.BooleanField(label=_("Re-invoice costs (pass-through)"), required=False)
    markup = NumberField(label=_("Mark-up on re-invoiced costs (%)"), percent=True)
    discount = NumberField(label=_("Discount (%)"), percent=True)
    vat_category = forms.ChoiceField(label=_("VAT category"), choices=VAT_CATEGORIES, initial="S")
    vat_rate = NumberField(label=_("VAT rate (%)"), limit=limits.PERCENT, initial="25")

    def __init__(self, *args, services, customers, keys, entry=None, **kwargs):
        if entry is not None and not kwargs.get("initial"):  # the view passes initial=None for an entry: show the entry
            kwargs["initial"] = ({
                "service": entry.service_id, "unit_price": shown(entry.unit_price), "tiers": entry.tiers, "graduated": entry.graduated,
                "packages": entry.packages, "base_fixed": shown(entry.base_fixed), "per_employee": shown(entry.per_employee),
                "fixed_pool": shown(entry.fixed_pool), "pool_key": entry.key_id, "payer": entry.payer_id, "connection_fee": shown(entry.connection_fee),
                "connection_months": entry.connection_months, "pass_through": entry.markup is not None,
                "markup": shown(entry.markup * 100) if entry.markup else "", "discount": shown(entry.discount_share * 100) if entry.discount_share else "",
                "vat_category": entry.vat_category, "vat_rate": shown(entry.vat_rate)})
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["payer"].queryset = customers
        self.fields["pool_key"].queryset = keys
        if entry is not None:
            self.fields["service"].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("markup") and not data.get("pass_through"):
            self.add_error("pass_through", _("A mark-up applies to re-invoiced costs: tick pass-through."))
        if not self.errors:
            from servicecenter.apps.costing.pricing import PricingError, check_entry

            try:
                check_entry(self.values())
            except PricingError as error:
                self.add_error(error.field if error.field in self.fields else None, str(error))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "unit_price": data["unit_price"], "tiers": data["tiers"], "graduated": data["graduated"], "packages": data["packages"],
            "base_fixed": data["base_fixed"], "per_employee": data["per_employee"], "fixed_pool": data["fixed_pool"], "key": data["pool_key"], "payer": data["payer"],
            "connection_fee": data["connection_fee"], "connection_months": data["connection_months"] or 60,
            "markup": (data["markup"] or Decimal(0)) if data["pass_through"] else None, "discount_share": data["discount"],
            "vat_category": data["vat_category"], "vat_rate": data["vat_rate"] or Decimal(0),
        }
