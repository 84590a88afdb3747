"""Demo history for `make run` (``load_demo_history``, called by ``load_demo_data``): five earlier
years of applications and outcomes across every scheme and many kommuner, written through the
history import so the demo exercises the same path as a real file. Deterministic and rerunnable
(keyed on external id); years are relative to today.

And funded projects that came through the portal itself (``demo_funded_load``): applications of
demo kommuner in an earlier, closed call, driven through the real services at moments in the past
(submit, formal check, review, decision by two officers, offer accepted, reports with realised
benefits), so the project page, the statistics and the officers' benefits list show expected
against realised, and one benefits report and one benefit are overdue. The project whose final and
benefits reports are both in is completed by the officer, so the bank shows it «Avsluttet»."""

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
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


# --- Funded projects that came through the portal --------------------------------------------------
FUNDED_CALL = "innovasjonsprosjekt-offentlig-sektor-tidligere"  # schemes/seed_data.py, closed two rounds back
FUNDED_OFFICERS = ("sara.saksbehandler@demo.innovasjonsportalen.no", "tone.saksbehandler@demo.innovasjonsportalen.no")
FUNDED_REVIEWER = "frida.fagekspert@demo.innovasjonsportalen.no"
FUNDED_PARTNER = "948007029"  # SINTEF AS, the research partner
FUNDED_MONTHS = 12


@dataclass(frozen=True)
class DemoBenefit:
    kind: str
    indicator: str
    baseline: str
    target: str
    months: int  # the target is due this many months after the project starts
    final: tuple[str, str] | None = None  # realised (value, comment) stated in the final report
    benefits: tuple[str, str] | None = None  # ... in the benefits report (one for each, if delivered)


@dataclass(frozen=True)
class DemoFunded:
    org_number: str
    ansvarlig: str
    title: str
    summary: str
    benefits: tuple[DemoBenefit, ...]
    benefits_report: bool  # delivered; else it is overdue


FUNDED = (
    DemoFunded(
        org_number="940101808",  # Tromsø kommune
        ansvarlig="tor.ansvarlig@demo.innovasjonsportalen.no",
        title="Sensorstyrt vintervedlikehold av gang- og sykkelveier",
        summary="Sensorer i veibanen varsler glatte partier, så strøing og brøyting kommer der og når det trengs.",
        benefits=(
            DemoBenefit("tid", "Timer med utrykning til glatte gang- og sykkelveier per vinter", "1 900", "1 400", 12,
                        final=("1 450", "Nesten nådd; vinteren var kaldere enn normalt."),
                        benefits=("1 380", "Målet er nådd andre vinter.")),
            DemoBenefit("miljo", "Tonn strøsand per vinter", "2 400", "1 800", 18,
                        benefits=("1 700", "Mindre sand, og mindre svevestøv om våren.")),
            DemoBenefit("kvalitet", "Fallskader på gang- og sykkelveier meldt til legevakten", "312", "250", 18,
                        benefits=("268", "Færre fall, men ikke helt i mål.")),
        ),
        benefits_report=True,
    ),
    DemoFunded(
        org_number="972418013",  # Bodø kommune
        ansvarlig="berit.ansvarlig@demo.innovasjonsportalen.no",
        title="Digital innbyggerdialog om arealplaner",
        summary="Innbyggerne ser planforslag i kart og gir innspill på nett i stedet for på papir til rådhuset.",
        benefits=(
            DemoBenefit("tid", "Dager fra innspill kommer inn til det er registrert i saken", "45", "20", 12,
                        final=("24", "Mye raskere; noe manuell registrering gjenstår.")),
            DemoBenefit("kvalitet", "Innspill per planforslag", "15", "60", 15),  # past due, never reported
            DemoBenefit("okonomisk", "Utgifter til papir og porto per år (kr)", "240 000", "60 000", 30),
        ),
        benefits_report=False,
    ),
)  # fmt: skip


def _oslo(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@transaction.atomic
def demo_funded_load() -> int:
    """Drive the ``FUNDED`` applications through the services (at moments after ``FUNDED_CALL``
    closed) into the project bank. Skipped for an organisation that already has an application in
    the call, and when the demo users, organisations or the call are missing; returns how many were made."""
    from accounts.models import User
    from applications.models import Application
    from applications.seed import demo_fill
    from applications.services import (
        application_create,
        application_publicity_choose,
        application_submit,
        applications_close_at_deadline,
    )
    from applications.services.benefits import BenefitRow, application_benefits_save
    from applications.services.submission import requested_amount
    from organisations.models import Organisation
    from review.models import Outcome
    from review.reports import add_months
    from review.services import (
        assessment_complete,
        conflict_declare,
        decision_confirm,
        decision_prepare,
        formal_check_record,
        formal_findings,
        offer_answer,
        officer_judgements,
        review_save,
        reviewer_assign,
    )
    from schemes.models import Call

    call = Call.objects.filter(slug=FUNDED_CALL).prefetch_related("criteria").first()
    users = {user.email: user for user in User.objects.filter(
        email__in=[*FUNDED_OFFICERS, FUNDED_REVIEWER, *(funded.ansvarlig for funded in FUNDED)])}  # fmt: skip
    partner = Organisation.objects.filter(org_number=FUNDED_PARTNER).first()
    if call is None or partner is None or len(users) < len(FUNDED_OFFICERS) + 1 + len(FUNDED):
        return 0
    first, second = (users[email] for email in FUNDED_OFFICERS)
    reviewer = users[FUNDED_REVIEWER]
    closes = timezone.localtime(call.closes_at)
    start = closes.date() + timedelta(days=60)  # the planned start the applicants give
    made = []
    for funded in FUNDED:
        organisation = Organisation.objects.filter(org_number=funded.org_number).first()
        if organisation is None or Application.objects.filter(call=call, organisation=organisation).exists():
            continue
        user = users[funded.ansvarlig]
        at = call.opens_at + timedelta(days=10)
        application = application_create(call=call, organisation=organisation, by_user=user, now=at)
        answers = {"tittel": funded.title, "sammendrag": funded.summary, "startdato": start.strftime("%d.%m.%Y"),
                   "varighet": str(FUNDED_MONTHS)}  # fmt: skip
        demo_fill(application=application, user=user, partners=[(partner, "research-partner")], answers=answers,
                  budget_year=start.year, now=at)  # fmt: skip
        rows = [BenefitRow(kind=b.kind, indicator=b.indicator, baseline=b.baseline, target=b.target,
                           due_on=add_months(start, b.months)) for b in funded.benefits]  # fmt: skip
        application_benefits_save(application_id=application.pk, by_user=user, rows=rows)
        application_publicity_choose(application_id=application.pk, by_user=user,
                                     public_parts={"summary", "partners", "place", "period", "results"})  # fmt: skip
        application_submit(application_id=application.pk, by_user=user, now=closes - timedelta(days=5))
        made.append((funded, application))
    if not made:
        return 0
    applications_close_at_deadline(call=call, now=closes + timedelta(hours=1))  # → formal check
    day = closes.date()
    for funded, application in made:
        findings = officer_judgements(formal_findings(Application.objects.get(pk=application.pk)))
        formal_check_record(
            application_id=application.pk,
            by_user=first,
            approved=True,
            judged=[finding["key"] for finding in findings],
            now=_oslo(day + timedelta(days=7), 10),
        )
        assignment = reviewer_assign(
            application_id=application.pk, reviewer=reviewer, by_user=first, now=_oslo(day + timedelta(days=10), 10)
        )
        conflict_declare(
            assignment_id=assignment.pk, by_user=reviewer, conflict=False, now=_oslo(day + timedelta(days=11), 9)
        )
        scores = {
            criterion.pk: (criterion.scale_max - 1, "Godt begrunnet, og gevinstene er målbare.")
            for criterion in call.criteria.all()
        }
        review_save(
            assignment_id=assignment.pk,
            by_user=reviewer,
            scores=scores,
            recommendation="stott",
            comment="Anbefales.",
            submit=True,
            now=_oslo(day + timedelta(days=20), 14),
        )
        assessment_complete(application_id=application.pk, by_user=first, now=_oslo(day + timedelta(days=30), 10))
        share = Decimal(1) if funded.benefits_report else Decimal("0.8")
        amount = (requested_amount(Application.objects.get(pk=application.pk)) * share).quantize(Decimal(1000))
        decision = decision_prepare(application_id=application.pk, by_user=first, outcome=Outcome.APPROVE,
                                    granted_amount=amount, comment="Prosjektet svarer godt på utlysningen.",
                                    now=_oslo(day + timedelta(days=40), 10))  # fmt: skip
        decision_confirm(decision_id=decision.pk, by_user=second, now=_oslo(day + timedelta(days=42), 11))
        offer_answer(application_id=application.pk, by_user=users[funded.ansvarlig], accept=True,
                     now=_oslo(day + timedelta(days=45), 12))  # fmt: skip
        _reports_deliver(funded, application, user=users[funded.ansvarlig])
        _complete_when_reported(application, by_user=first)
    return len(made)


def _complete_when_reported(application, *, by_user) -> None:
    """Once the final and the benefits report are in, the officer completes the project (a week
    later, never after today): the bank then shows a project of the portal as «Avsluttet»."""
    from applications.services.transitions import application_transition
    from applications.workflow import COMPLETE
    from review.models import ProjectReport

    reports = application.reports.filter(kind__in=[ProjectReport.Kind.FINAL, ProjectReport.Kind.BENEFITS])
    delivered = [report.submitted_at for report in reports]
    if len(delivered) < 2 or not all(delivered):
        return
    moment = max(delivered) + timedelta(days=7)
    if moment < timezone.now():
        application_transition(application_id=application.pk, name=COMPLETE, by_user=by_user, now=moment)


def _reports_deliver(funded: DemoFunded, application, *, user) -> None:
    """The final report (with the realised values it states) a few days before it is due, and the
    benefits report (a value for each benefit) if ``funded`` delivered it; never after today."""
    from review.models import ProjectReport
    from review.reports import report_submit

    benefits = list(application.benefits.order_by("position"))
    today = timezone.localdate()
    texts = {
        ProjectReport.Kind.FINAL: ("final", "Prosjektet er gjennomført som planlagt. Løsningen er i drift, og "
                                   "gevinstene måles videre."),
        ProjectReport.Kind.BENEFITS: ("benefits", "Gevinstene er målt ett år etter prosjektslutt."),
    }  # fmt: skip
    for report in application.reports.filter(kind__in=texts).order_by("due_date"):
        attribute, text = texts[report.kind]
        delivered = report.due_date - timedelta(days=5)
        if delivered >= today or (report.kind == ProjectReport.Kind.BENEFITS and not funded.benefits_report):
            continue
        pairs = zip(benefits, funded.benefits, strict=True)
        realised = {benefit.pk: getattr(seed, attribute) for benefit, seed in pairs if getattr(seed, attribute)}
        report_submit(report_id=report.pk, by_user=user, text=text, realised=realised, now=_oslo(delivered, 13))
