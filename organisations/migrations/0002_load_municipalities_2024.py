from django.db import migrations


def load(apps, schema_editor):
    from organisations.services import municipalities_load

    municipalities_load(
        county_model=apps.get_model("organisations", "County"),
        municipality_model=apps.get_model("organisations", "Municipality"),
    )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
