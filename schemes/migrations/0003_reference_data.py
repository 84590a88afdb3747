from django.db import migrations


def load(apps, schema_editor):
    from schemes.reference import reference_data_load

    reference_data_load(
        goal_model=apps.get_model("schemes", "SustainableDevelopmentGoal"),
        theme_model=apps.get_model("schemes", "Theme"),
    )


class Migration(migrations.Migration):
    dependencies = [("schemes", "0002_catalogue")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
