"""Partner agencies get the code that visits name them by (it was a fixed list of the state's
five in the network app) and may share an organisation number (a city's administrations).
Existing partners get the code of the state's five when their name is one of them, else one made
from the name."""

from django.db import migrations, models

STATE_PARTNERS = {"arbetsförmedlingen": "AF", "försäkringskassan": "FK", "migrationsverket": "MIGR", "pensionsmyndigheten": "PM",
                  "skatteverket": "SKV"}


def fill_codes(apps, schema_editor):
    PartnerAgency = apps.get_model("registry", "PartnerAgency")
    taken: dict[int, set[str]] = {}
    for partner in PartnerAgency.objects.order_by("pk"):
        used = taken.setdefault(partner.provider_id, set())
        base = STATE_PARTNERS.get(partner.name.strip().lower()) or ("".join(ch for ch in partner.name.upper() if ch.isalnum())[:16] or "P")
        code, n = base, 1
        while code.lower() in used:
            n += 1
            code = f"{base}{n}"
        used.add(code.lower())
        partner.code = code
        partner.save(update_fields=["code"])


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0006_shared_cache_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="partneragency",
            name="code",
            field=models.CharField(default="", max_length=20, verbose_name="code"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="partneragency",
            name="source",
            field=models.CharField(blank=True, max_length=300, verbose_name="source"),
        ),
        migrations.AlterField(
            model_name="partneragency",
            name="org_number",
            field=models.CharField(blank=True, max_length=11, verbose_name="organisation number"),
        ),
        migrations.RemoveConstraint(
            model_name="partneragency",
            name="partner_unique_orgnr",
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="partneragency",
            constraint=models.UniqueConstraint(fields=("provider", "code"), name="partner_unique_code"),
        ),
    ]
