from base64 import b32encode

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import StaffRole, User
from accounts.permissions import requires_two_factor
from applications.models import Application
from applications.workflow import State
from portal.management.commands.load_demo_data import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS
from schemes.models import Call, RuleSetVersion, Scheme
from tests.factories import UserFactory
from tests.otp import totp_code

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates_and_prints_the_logins(settings, capsys, tmp_path):
    settings.DEBUG = True
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path}},
    }
    call_command("load_demo_data")
    call_command("load_demo_data")
    out = capsys.readouterr().out
    assert User.objects.count() == len(DEMO_USERS)
    for email, *_ in DEMO_USERS:
        assert email in out
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in out
    # The eight schemes, each with calls and its first rule version, written by the demo superuser.
    assert Scheme.objects.count() == 8 and RuleSetVersion.objects.count() == 8
    assert {v.created_by.email for v in RuleSetVersion.objects.select_related("created_by")} == {
        "admin@demo.innovasjonsportalen.no"
    }
    assert Call.objects.open().exists() and Call.objects.upcoming().exists()
    officer = StaffRole.objects.get(user__email="sara.saksbehandler@demo.innovasjonsportalen.no")
    assert set(officer.schemes.values_list("slug", flat=True)) == {
        "innovasjonsprosjekt-offentlig-sektor", "offentlig-sektor-phd",
    }  # fmt: skip
    # Bergen kommune has a draft (Kari) and a submitted application (Per), once.
    bergen = Application.objects.filter(organisation__org_number="964338531")
    assert sorted(bergen.values_list("state", flat=True)) == [State.SUBMITTED, State.DRAFT]
    assert bergen.get(state=State.SUBMITTED).reference


def test_demo_data_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only for local use"):
        call_command("load_demo_data")
    assert User.objects.count() == 0


def test_demo_staff_have_a_demo_two_factor_device_and_can_log_in_with_the_printed_code(client, settings, capsys):
    settings.DEBUG = True
    call_command("load_demo_data")
    out = capsys.readouterr().out
    assert DEMO_TOTP_SECRET in out and "demo_totp" in out
    staff = [email for email, *_ in DEMO_USERS if requires_two_factor(User.objects.get(email=email))]
    assert len(staff) == 6  # the superuser and the five with staff roles
    for email in staff:
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        assert b32encode(device.bin_key).decode() == DEMO_TOTP_SECRET
    assert not TOTPDevice.objects.exclude(user__email__in=staff).exists()

    email = "sara.saksbehandler@demo.innovasjonsportalen.no"
    with time_machine.travel(timezone.now(), tick=False):
        call_command("demo_totp", email)
        code = capsys.readouterr().out.split()[0]
        assert code == totp_code(TOTPDevice.objects.get(user__email=email))
        response = client.post(
            reverse("login"), {"username": email, "password": DEMO_PASSWORD, "next": reverse("staff-home")}
        )
        response = client.post(reverse("login-verify"), {"code": code, "next": reverse("staff-home")})
    assert response["Location"] == reverse("staff-home")


def test_demo_totp_is_refused_when_debug_is_off_and_for_devices_that_are_not_the_demo_s(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only for local use"):
        call_command("demo_totp", "sara.saksbehandler@demo.innovasjonsportalen.no")
    settings.DEBUG = True
    real = TOTPDevice.objects.create(user=UserFactory(email="ekte@example.no"), name="App", confirmed=True)
    with pytest.raises(CommandError, match="no demo two-factor device"):
        call_command("demo_totp", real.user.email)


def test_demo_data_fills_the_bank_and_statistics_with_history_and_projects_funded_through_the_portal(
    settings, tmp_path, client
):
    """Several years of imported history across every scheme and many fylker; and two demo kommuner
    that applied in an earlier, closed call and were funded through the services (review, decision
    by two officers, offer accepted), whose reports state realised benefits, with one benefits
    report and one benefit past due with nothing reported. (One test: loading the demo twice is
    most of its time.)"""
    from applications.models import ApplicationEvent, ExpectedBenefit
    from projects.models import Decision as ProjectDecision
    from projects.models import Project, ProjectStatus
    from projects.statistics import StatisticsFilterForm, benefit_rows
    from review.models import Decision, ProjectReport, RealisedBenefit
    from tests.html import table_rows
    from tests.review.test_pages_case import as_staff

    settings.DEBUG = True
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path}},
    }
    models = (Application, ApplicationEvent, Decision, ExpectedBenefit, Project, ProjectReport, RealisedBenefit)
    call_command("load_demo_data", "--quiet-logins")
    counts = {model: model.objects.count() for model in models}
    call_command("load_demo_data", "--quiet-logins")
    assert {model: model.objects.count() for model in models} == counts  # a rerun adds nothing

    history = Project.objects.filter(decision=ProjectDecision.GRANTED, application__isnull=True)
    assert history.values("year").distinct().count() == 5
    assert history.values("scheme").distinct().count() == Scheme.objects.count()
    assert history.values("county").distinct().count() >= 8
    assert client.get(reverse("project-bank")).status_code == 200

    funded = Project.objects.filter(application__isnull=False, public_results=True).select_related("application")
    assert sorted(funded.values_list("organisation__name", flat=True)) == ["Bodø kommune", "Tromsø kommune"]
    for project in funded:
        application = project.application
        # Tromsø delivered its final and benefits reports and the officer completed the project;
        # Bodø's benefits report is overdue.
        tromso = project.organisation.org_number == "940101808"
        assert application.state == (State.COMPLETED if tromso else State.IN_REPORTING)
        assert project.status == (ProjectStatus.COMPLETED if tromso else ProjectStatus.ONGOING)
        assert application.call.closes_at < timezone.now()
        assert project.year < timezone.localdate().year
        decision = application.decisions.get(confirmed_at__isnull=False)
        assert decision.prepared_by != decision.confirmed_by  # two officers
        assert application.assignments.get().reviewer.email == "frida.fagekspert@demo.innovasjonsportalen.no"
        assert application.events.filter(at__lt=application.call.closes_at).exists()  # dated in the past
    rows = benefit_rows(form=StatisticsFilterForm({}), today=timezone.localdate())
    assert sum(row.realised for row in rows) > 0 and sum(row.overdue for row in rows) > 0

    tromso = funded.get(organisation__org_number="940101808")
    page = client.get(reverse("project-detail", args=[tromso.pk])).text
    assert "Forventede og realiserte gevinster" in page
    assert "1 380 – Målet er nådd andre vinter." in page and "268 – Færre fall, men ikke helt i mål." in page
    statistics = client.get(reverse("statistics")).text
    assert len(table_rows(statistics, "Forventede og realiserte gevinster per type (tabell)")) > 1

    bodo = funded.get(organisation__org_number="972418013").application
    as_staff(client, User.objects.get(email="sara.saksbehandler@demo.innovasjonsportalen.no"))
    page = client.get(reverse("staff-benefits")).text
    assert "Forsinkede gevinstrapporter (1)" in page and bodo.reference in page
    assert "Gevinster uten rapportert resultat (1)" in page and "Innspill per planforslag" in page
