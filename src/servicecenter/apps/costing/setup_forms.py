"""Forms of the cost-model pages: pools and their rules, keys and their weights, models and
steps. Pools, services, customers and keys are chosen from lists; numbers read as the imports
read them; every message names its field. The rules behind them are in ``costing.setup``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.costing.forms import NumberField, ProviderForm
from servicecenter.apps.costing.models import (
    AllocationKey,
    CostModel,
    CostPool,
    LedgerKind,
    ModelStep,
)
from servicecenter.core import limits


class PoolForm(ProviderForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=CostPool.Kind.choices,
                             help_text=_("Support pools are spread onto others; production pools onto their services; other activities are not charged."))
    code = forms.SlugField(label=_("Code (optional)"), max_length=40, required=False,
                           help_text=_("Made from the name when left empty; it cannot be changed later."))
    process = forms.ModelChoiceField(label=_("Process"), queryset=None, required=False, empty_label=_("none"))
    area = NumberField(label=_("Area of premises (m²)"), limit=limits.QUANTITY, help_text=_("For a key by area of premises."))
    staff = NumberField(label=_("Staff (FTE)"), limit=limits.FTE, help_text=_("For a key by staff."))

    def __init__(self, *args, processes, pool: CostPool | None = None, **kwargs):
        if pool is not None:
            from servicecenter.apps.costing.forms import shown

            kwargs.setdefault("initial", {"name": pool.name, "kind": pool.kind, "code": pool.code, "process": pool.process_id,
                                          "area": shown(pool.area), "staff": shown(pool.staff)})
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = processes
        if pool is not None:
            self.fields["code"].disabled = True


class RuleForm(forms.Form):
    account_from = forms.CharField(label=_("Account from"), max_length=10, widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}))
    account_to = forms.CharField(label=_("Account to"), max_length=10, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
                                 help_text=_("Empty: the same account."))
    cost_centre = forms.ChoiceField(label=_("Cost centre"), required=False)

    def __init__(self, *args, centres: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cost_centre"].choices = [("", _("any cost centre"))] + [(code, f"{code} {name}".strip()) for code, name in centres]


class KeyForm(ProviderForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    basis = forms.ChoiceField(label=_("Basis"), choices=AllocationKey.Basis.choices)
    computed = forms.BooleanField(label=_("Take the weights from the register and the year's data"), required=False, initial=True,
                                  help_text=_("Employees and turnover of each customer, volumes of a service, area and staff of each pool. Otherwise type or import the weights."))
    receivers = forms.ChoiceField(label=_("Shares among"), choices=AllocationKey.Receivers.choices,
                                  help_text=_("For typed weights. Keys from the register know their receivers."))
    service = forms.ModelChoiceField(label=_("Service to charge"), queryset=None, required=False, empty_label=_("the service being spread"),
                                     help_text=_("For keys that share among customers: whose charges, and for volumes whose volumes."))
    code = forms.SlugField(label=_("Code (optional)"), max_length=40, required=False,
                           help_text=_("Made from the name when left empty; imports of weights name the key by it."))

    def __init__(self, *args, services, key: AllocationKey | None = None, **kwargs):
        if key is not None:
            kwargs.setdefault("initial", {"name": key.name, "basis": key.basis, "computed": key.computed, "receivers": key.receivers,
                                          "service": key.service_id, "code": key.code})
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        if key is not None:
            self.fields["code"].disabled = True


class WeightsForm(forms.Form):
    """One weight per possible receiver; empty or 0 leaves it out."""

    def __init__(self, *args, choices: list[tuple[str, str]], current: dict, percent: bool, **kwargs):
        from servicecenter.apps.costing.forms import shown

        super().__init__(*args, **kwargs)
        self.receivers = choices
        for number, (receiver, label) in enumerate(choices):
            self.fields[f"w{number}"] = NumberField(label=f"{label} (%)" if percent else label, limit=limits.WEIGHT, initial=shown(current.get(receiver)))

    def weights(self) -> dict:
        return {receiver: self.cleaned_data[f"w{number}"] for number, (receiver, _label) in enumerate(self.receivers) if self.cleaned_data.get(f"w{number}") is not None}


class CostModelForm(ProviderForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=int(limits.YEAR.low), max_value=int(limits.YEAR.high))
    kind = forms.ChoiceField(label=_("Version"), choices=CostModel.Kind.choices, initial=CostModel.Kind.ACTUAL)
    ledger_kind = forms.ChoiceField(label=_("Ledger"), choices=LedgerKind.choices, initial=LedgerKind.ACTUAL)

    def __init__(self, *args, model: CostModel | None = None, **kwargs):
        if model is not None:
            kwargs.setdefault("initial", {"name": model.name, "year": model.year, "kind": model.kind, "ledger_kind": model.ledger_kind})
        super().__init__(*args, **kwargs)


class StepForm(forms.Form):
    name = forms.CharField(label=_("Name of the step"), max_length=200)
    method = forms.ChoiceField(label=_("Method"), choices=ModelStep.Method.choices,
                               help_text=_("Direct: each source straight to its receivers. Step-down: sources in order, none receives back. Reciprocal: sources that serve each other, solved together."))


class SourceForm(forms.Form):
    source = forms.ChoiceField(label=_("Spread"))
    key = forms.ModelChoiceField(label=_("by the key"), queryset=None)

    def __init__(self, *args, sources: list[tuple[str, str]], keys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = sources
        self.fields["key"].queryset = keys
