"""Forms of the organisation page: the provider's own details and its people."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.models import Role


class DetailsForm(forms.Form):
    name = forms.CharField(label=_("Legal name"), max_length=200)
    org_number = forms.CharField(label=_("Organisation number"), max_length=13)
    vat_number = forms.CharField(label=_("VAT registration number"), max_length=20, required=False,
                                 help_text=_("Needed on invoices with VAT at the standard rate, e.g. SE212000014201."))
    street = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    f_skatt = forms.BooleanField(label=_("Approved for F-tax (printed as “Godkänd för F-skatt”)"), required=False,
                                 help_text=_("Companies and some municipal bodies; a state agency leaves it empty."))
    bankgiro = forms.CharField(label=_("Bankgiro"), max_length=12, required=False, help_text=_("As 123-4567 or 1234-5678."))
    plusgiro = forms.CharField(label=_("Plusgiro"), max_length=12, required=False, help_text=_("As 12 34 56-7; used when there is no bankgiro."))
    ocr_length_digit = forms.BooleanField(label=_("OCR reference with a length digit"), required=False,
                                          help_text=_("As agreed with Bankgirot: the reference then ends in a length digit and a check digit."))
    contact_name = forms.CharField(label=_("Contact person for invoices"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("Contact telephone"), max_length=40, required=False)
    invoice_email = forms.EmailField(label=_("Invoicing e-mail"), required=False)
    payment_days = forms.IntegerField(label=_("Days to pay"), min_value=0, max_value=120)
    four_eyes = forms.BooleanField(label=_("Four eyes on billing runs"), required=False,
                                   help_text=_("The person who approves a billing run is not the one who prepared its preview (recommended; "
                                               "turning it off is recorded in the audit log)."))


class PersonForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[(r.value, r.label) for r in Role if r != Role.CUSTOMER_CONTACT] + [(Role.CUSTOMER_CONTACT.value, Role.CUSTOMER_CONTACT.label)])
    customer = forms.ModelChoiceField(label=_("Customer (for a customer contact)"), queryset=None, required=False)
    password = forms.CharField(label=_("First password"), widget=forms.PasswordInput(render_value=False), max_length=128,
                               help_text=_("At least 8 characters, not only digits; the person can change it later."))

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers
