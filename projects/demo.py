"""Demo history for `make run` (``load_demo_history``, called by ``load_demo_data``): five earlier
years of applications and outcomes across every scheme and many kommuner, written through the
history import so the demo exercises the same path as a real file. Deterministic and rerunnable
(keyed on external id); years are relative to today."""

import csv
import io
import random

from django.utils import timezone
from stdnum.no import orgnr

from organisations.models import Municipality
from schemes.models import Scheme, SustainableDevelopmentGoal

from .history import REQUIRED_COLUMNS, history_import

TOPICS = [
    ("Velferdsteknologi i hjemmetjenesten", "Sensorer og digitalt tilsyn gir tryggere hverdag for hjemmeboende."),
    ("Digital innbyggerdialog", "Innbyggerne melder behov og følger saken sin på nett."),
    ("Klimavennlige innkjøp", "Innovative anskaffelser av utslippsfrie bygg- og anleggsmaskiner."),
    ("Tjenestedesign for unge utenfor arbeid", "Unge, NAV og kommunen utvikler tjenesten sammen."),
    ("Smart vannforsyning", "Sensorer finner lekkasjer i vannledningsnettet tidlig."),
    ("Læringsanalyse i grunnskolen", "Lærere får bedre innsikt i elevenes læring."),
    ("Samordnet helsereise", "Pasientreiser planlegges sammen med timebestillingen."),
    ("Energieffektive skolebygg", "Styring av energibruk i kommunale bygg med maskinlæring."),
    ("Tryggere skolevei", "Data om trafikk gir tryggere skoleveier."),
    ("Forenklet byggesak", "Automatisk kontroll av byggesøknader mot reguleringsplanen."),
]


RESULTS = "Gevinstene er målt og delt med andre kommuner."


def _org_number(index: int) -> str:
    """A synthetic organisation number (MOD11-valid, from the 81… range) for demo organisation ``index``."""
    candidate = 810_000_000 + index * 100
    while not orgnr.is_valid(str(candidate)):
        candidate += 1
    return str(candidate)


def demo_history_csv(*, years: int = 5, per_scheme_year: int = 6, seed: int = 15) -> str:
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    municipalities = list(Municipality.objects.order_by("number"))
    schemes = list(Scheme.objects.order_by("slug"))
    goals = [goal.number for goal in SustainableDevelopmentGoal.objects.order_by("number")]
    this_year = timezone.localdate().year
    out = io.StringIO()
    columns = [*REQUIRED_COLUMNS, "organisation_name", "organisation_kind", "summary", "sdgs", "status", "results"]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    if not municipalities or not schemes:
        return out.getvalue()
    for scheme in schemes:
        for year in range(this_year - years, this_year):
            for n in range(per_scheme_year):
                index = rng.randrange(len(municipalities))
                place = municipalities[index]
                title, summary = rng.choice(TOPICS)
                applied = rng.randrange(5, 60) * 100_000
                granted = rng.random() < 0.45
                writer.writerow({
                    "external_id": f"demo-{scheme.slug}-{year}-{n}", "year": year, "scheme": scheme.slug,
                    "organisation_number": _org_number(index), "organisation_name": f"{place.name} kommune",
                    "organisation_kind": "kommune", "kommunenummer": place.number,
                    "title": f"{title} i {place.name}", "summary": summary, "amount_applied": applied,
                    "amount_granted": int(applied * rng.choice([0.6, 0.8, 1])) if granted else "",
                    "decision": "innvilget" if granted else "avslått",
                    "sdgs": ";".join(str(g) for g in rng.sample(goals, k=min(2, len(goals)))),
                    "status": ("avsluttet" if year < this_year - 2 else "pågår") if granted else "",
                    "results": RESULTS if granted and year < this_year - 2 else "",
                })  # fmt: skip
    return out.getvalue()


def demo_history_load():
    return history_import(file=io.StringIO(demo_history_csv()))
