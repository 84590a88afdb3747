"""python manage.py import_history FILE.csv [--dry-run]: earlier applications and outcomes into the
project bank (projects.history; the columns are in the README, «Historikkimport»)."""

from django.core.management.base import BaseCommand, CommandError

from projects.history import history_import


class Command(BaseCommand):
    help = "Importer tidligere søknader og vedtak fra CSV (se README, «Historikkimport»)."

    def add_arguments(self, parser):
        parser.add_argument("csv_file")
        parser.add_argument("--dry-run", action="store_true", help="Kontroller og tell, men lagre ingenting.")

    def handle(self, *args, csv_file, dry_run, **options):
        try:
            with open(csv_file, "rb") as handle:
                report = history_import(file=handle, dry_run=dry_run)
        except OSError as error:
            raise CommandError(str(error)) from error
        for error in report.errors:
            column = f" [{error.column}]" if error.column else ""
            self.stderr.write(f"linje {error.line}{column}: {error.message}")
        if not report.ok:
            raise CommandError(f"{len(report.errors)} feil: ingenting er importert.")
        prefix = "Prøvekjøring (ingenting lagret): " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.rows} rader: {report.created} nye, {report.updated} endret, {report.unchanged} uendret."
        )
