"""Closing a call's drafts as HOT updates (see ``Application.Meta``): ``state`` leaves the indexes
(``application_call_state`` becomes ``application_call``, made before the old one is dropped) and,
on PostgreSQL, the table keeps half of each page free for new row versions (fillfactor 50).

The fillfactor applies to pages written from now on; an existing table is rewritten to it by
``VACUUM FULL applications_application`` (or pg_repack without the lock) in a maintenance window.
SQLite has no such setting: there the migration only changes the index."""

from django.conf import settings
from django.db import migrations, models

FILLFACTOR = 50


def _fillfactor(value):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = schema_editor.quote_name(apps.get_model("applications", "Application")._meta.db_table)
            if value is None:
                schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")
            else:
                schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {int(value)})")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0011_lean_indexes"),
        ("organisations", "0003_invitations"),
        ("schemes", "0009_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["call"], name="application_call"),
        ),
        migrations.RemoveIndex(
            model_name="application",
            name="application_call_state",
        ),
        migrations.RunPython(_fillfactor(FILLFACTOR), _fillfactor(None), elidable=False),
    ]
