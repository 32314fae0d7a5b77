"""Visits name a partner agency by a code of the provider's own partner agencies (it was a fixed
list of the state's five). A code already in the visits whose partner was never registered gets
one, named as the fixed list named it, so that no statistics lose their label."""

from django.db import migrations, models

STATE_PARTNERS = {"AF": "Arbetsförmedlingen", "FK": "Försäkringskassan", "MIGR": "Migrationsverket", "PM": "Pensionsmyndigheten",
                  "SKV": "Skatteverket"}


def register_partners_in_use(apps, schema_editor):
    OfficeVisits = apps.get_model("network", "OfficeVisits")
    PartnerAgency = apps.get_model("registry", "PartnerAgency")
    in_use = set(OfficeVisits.objects.values_list("office__provider_id", "partner").distinct())
    known = {(provider, code.lower()) for provider, code in PartnerAgency.objects.values_list("provider_id", "code")}
    for provider, code in sorted(in_use):
        if (provider, code.lower()) not in known:
            PartnerAgency.objects.create(provider_id=provider, code=code, name=STATE_PARTNERS.get(code, code),
                                         source="Registrerad vid uppgradering: koden fanns i besöksstatistiken")
            known.add((provider, code.lower()))


class Migration(migrations.Migration):

    dependencies = [
        ("network", "0001_initial"),
        ("registry", "0007_partner_codes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="officevisits",
            name="partner",
            field=models.CharField(help_text="The code of one of the provider's partner agencies.", max_length=20, verbose_name="partner agency"),
        ),
        migrations.RunPython(register_partners_in_use, migrations.RunPython.noop),
    ]
