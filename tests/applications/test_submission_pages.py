"""The submit page and its actions (views/submission.py): submitting with the deadline decided by
the server's clock, asking the ansvarlig for approval, reopening and withdrawing."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationEvent, ApplicationVersion, EventKind, ReferenceCounter
from applications.services import application_submit
from applications.workflow import State
from organisations.models import Membership
from scheduling.models import ScheduledEffect
from tests.applications.helpers import complete_application
from tests.factories import MembershipFactory, OrganisationFactory, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG, user__full_name="Ansvarlig Anne")
    member = MembershipFactory(organisation=ansvarlig.organisation, user__full_name="Medlem Morten")
    return ansvarlig.user, member.user, ansvarlig.organisation


@pytest.fixture
def ready(private_storage, team):
    """A complete draft, ready to be submitted by the ansvarlig."""
    _ansvarlig, member, organisation = team
    application = make_application(organisation=organisation, by_user=member)
    complete_application(application, member)
    return Application.objects.get(pk=application.pk)


def deadline_soon(application, minutes: int = 10):
    """Move the call's deadline close to now (a session does not outlive a 30-day time travel)."""
    call = application.call
    call.closes_at = (timezone.now() + timedelta(minutes=minutes)).replace(microsecond=0)
    call.save(update_fields=["closes_at"])
    return Application.objects.get(pk=application.pk)


def submit_url(application):
    return reverse("application-submit", args=[application.pk])


def test_the_ansvarlig_sees_the_deadline_to_the_second_the_rule_versions_and_the_button(client, team, ready):
    ansvarlig = team[0]
    client.force_login(ansvarlig)
    response = client.get(submit_url(ready))
    assert response.status_code == 200
    deadline = timezone.localtime(ready.deadline)
    assert f"{deadline:%d.%m.%Y} kl. {deadline:%H:%M:%S}" in response.text
    assert "Søknaden er fullstendig og kan sendes inn." in response.text
    assert "Sjekket mot ordningens regler versjon" in response.text
    assert f'action="{submit_url(ready)}"' in response.text
    assert "Send til ansvarlig for godkjenning" not in response.text


def test_problems_are_listed_and_there_is_no_submit_button(client, team):
    ansvarlig, member, organisation = team
    application = make_application(organisation=organisation, by_user=member)
    client.force_login(ansvarlig)
    response = client.get(submit_url(application))
    assert response.status_code == 200
    assert "ting må rettes før søknaden kan sendes inn" in response.text
    assert "Må fylles ut" in response.text or "må fylles ut" in response.text
    assert f'action="{submit_url(application)}"' not in response.text


def test_submitting_gives_one_version_and_a_message_naming_the_reference(client, team, ready):
    client.force_login(team[0])
    response = client.post(submit_url(ready), follow=True)
    ready.refresh_from_db()
    assert ready.state == State.SUBMITTED and ready.reference
    assert ApplicationVersion.objects.filter(application=ready).count() == 1
    assert f"Saksnummeret er {ready.reference}" in response.text
    assert response.redirect_chain[0][1] == 302
    # A second click (another tab) is refused, and nothing more is written.
    again = client.post(submit_url(ready))
    assert again.status_code == 200
    assert "Søknaden er allerede sendt inn." in again.text
    assert ApplicationVersion.objects.filter(application=ready).count() == 1
    assert ApplicationEvent.objects.filter(application=ready, kind=EventKind.SUBMITTED).count() == 1


def test_one_second_late_is_refused_naming_the_deadline_and_nothing_is_lost(client, team, ready):
    ready = deadline_soon(ready)
    client.force_login(team[0])
    answers_before = Application.objects.get(pk=ready.pk).answers
    with time_machine.travel(ready.deadline + timedelta(seconds=1), tick=False):
        response = client.post(submit_url(ready))
    assert response.status_code == 200
    deadline = timezone.localtime(ready.deadline)
    assert f"Fristen var {deadline:%d.%m.%Y} kl. {deadline:%H:%M:%S}." in response.text
    assert "Ingenting av det dere har skrevet er slettet." in response.text
    after = Application.objects.get(pk=ready.pk)
    assert after.state == State.DRAFT and after.answers == answers_before and after.reference is None
    assert not ApplicationVersion.objects.exists()
    assert not ScheduledEffect.objects.filter(kind="application-receipt").exists()


def test_one_second_early_succeeds_whatever_the_scheduler_did(client, team, ready):
    """The call's closing on the scheduler (a row, maybe already run, maybe failed) plays no part:
    only the request's arrival is compared with the deadline."""
    ScheduledEffect.objects.create(
        kind="call-close", key=f"call-close-test:{ready.call_id}", due_at=ready.deadline - timedelta(minutes=5),
        state="failed", target_type="call", target_id=ready.call_id, failure_reason="worker down",
    )  # fmt: skip
    ready = deadline_soon(ready)
    client.force_login(team[0])
    with time_machine.travel(ready.deadline - timedelta(seconds=1), tick=False):
        response = client.post(submit_url(ready))
    assert response.status_code == 302
    assert Application.objects.get(pk=ready.pk).state == State.SUBMITTED
    assert ApplicationVersion.objects.get(application=ready).submitted_at == ready.deadline - timedelta(seconds=1)


def test_the_service_decides_the_deadline_by_the_moment_given(team, ready):
    from applications.services import SubmissionRefused

    with pytest.raises(SubmissionRefused) as refused:
        application_submit(application_id=ready.pk, by_user=team[0], now=ready.deadline + timedelta(seconds=1))
    assert refused.value.code == "late"
    assert not ApplicationVersion.objects.exists()
    version = application_submit(application_id=ready.pk, by_user=team[0], now=ready.deadline)
    assert version.number == 1  # at the deadline itself: still in time


def test_a_member_is_offered_to_send_it_to_the_ansvarlig_and_the_message_names_who(
    client, team, ready, django_capture_on_commit_callbacks
):
    ansvarlig, member, _org = team
    client.force_login(member)
    page = client.get(submit_url(ready))
    assert "Send til ansvarlig for godkjenning" in page.text
    assert f'action="{submit_url(ready)}"' not in page.text
    # The member cannot submit: the service refuses, nothing is written.
    refused = client.post(submit_url(ready))
    assert refused.status_code == 200
    assert "Bare administrativt ansvarlig" in refused.text
    assert not ApplicationVersion.objects.exists()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("application-request-approval", args=[ready.pk]), follow=True)
    assert "Søknaden er sendt til Ansvarlig Anne for godkjenning og innsending." in response.text
    assert ScheduledEffect.objects.filter(kind="application-approval-request", payload__user=ansvarlig.pk).count() == 1


def test_partners_and_other_organisations_cannot_use_the_submit_page(client, team, ready):
    partner_member = MembershipFactory(organisation=ready.partners.get().organisation).user
    client.force_login(partner_member)
    assert client.get(submit_url(ready)).status_code == 403
    assert client.post(submit_url(ready)).status_code == 403
    assert client.post(reverse("application-request-approval", args=[ready.pk])).status_code == 403
    client.force_login(MembershipFactory(role=Membership.Role.ANSVARLIG).user)
    assert client.post(submit_url(ready)).status_code == 404
    assert not ApplicationVersion.objects.exists()
    client.force_login(team[0])  # the same request from the ansvarlig goes through
    assert client.post(submit_url(ready)).status_code == 302


def test_the_ansvarlig_reopens_before_the_deadline_but_not_after(client, team, ready):
    ansvarlig, member, _org = team
    ready = deadline_soon(ready)
    application_submit(application_id=ready.pk, by_user=ansvarlig, now=timezone.now())
    url = reverse("application-reopen", args=[ready.pk])
    client.force_login(member)
    assert client.post(url).status_code == 403
    assert Application.objects.get(pk=ready.pk).state == State.SUBMITTED
    client.force_login(ansvarlig)
    with time_machine.travel(ready.deadline + timedelta(seconds=1), tick=False):
        late = client.post(url, follow=True)
    assert "Søknaden kan ikke endres etter fristen." in late.text
    assert Application.objects.get(pk=ready.pk).state == State.SUBMITTED
    response = client.post(url, follow=True)
    assert "Søknaden er åpnet for endring." in response.text
    assert Application.objects.get(pk=ready.pk).state == State.REOPENED


def test_withdrawing_needs_a_reason_and_keeps_what_was_typed(client, team, ready):
    ansvarlig, member, _org = team
    url = reverse("application-withdraw", args=[ready.pk])
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(ansvarlig)
    assert client.get(url).status_code == 200
    empty = client.post(url, {"reason": "   "})
    assert empty.status_code == 200
    assert "Skriv hvorfor søknaden trekkes." in empty.text
    too_long = client.post(url, {"reason": "Fordi " + "x" * 2100})
    assert too_long.status_code == 200 and "Fordi xxxx" in too_long.text
    assert Application.objects.get(pk=ready.pk).state == State.DRAFT
    response = client.post(url, {"reason": "Vi fikk ikke med partneren."}, follow=True)
    assert "Søknaden er trukket." in response.text
    withdrawn = Application.objects.get(pk=ready.pk)
    assert withdrawn.state == State.WITHDRAWN and withdrawn.withdrawal_reason == "Vi fikk ikke med partneren."
    assert client.get(url).status_code == 403  # nothing left to withdraw


def test_pages_work_in_nynorsk_and_english(client, team, ready):
    ansvarlig = team[0]
    ansvarlig.language = "en"
    ansvarlig.save(update_fields=["language"])
    client.force_login(ansvarlig)
    response = client.get(submit_url(ready))
    assert response.status_code == 200
    assert '<html lang="en"' in response.text


def test_the_submit_page_has_a_constant_number_of_queries(client, team, ready, django_assert_max_num_queries):
    client.force_login(team[0])
    for _ in range(3):
        OrganisationFactory()
    with django_assert_max_num_queries(25):
        assert client.get(submit_url(ready)).status_code == 200


def _stub_missing_pages():
    """The section, partners, budget and attachment pages are built beside this module: stand-ins
    for those not (yet) in the project's URLs, so the links can be checked here."""
    from django.http import HttpResponse
    from django.urls import NoReverseMatch, include, path
    from django.urls import reverse as reverse_in

    patterns = [path("", include("portal.urls"))]
    for name, route in (
        ("application-section", "stub/<int:pk>/del/<slug:key>/"),
        ("application-partners", "stub/<int:pk>/partnere/<slug:key>/"),
        ("application-budget", "stub/<int:pk>/budsjett/<slug:key>/"),
        ("application-attachments", "stub/<int:pk>/vedlegg/<slug:key>/"),
    ):
        try:
            reverse_in(name, urlconf="portal.urls", args=[1, "x"])
        except NoReverseMatch:
            patterns.append(path(route, lambda request, pk, key: HttpResponse(""), name=name))
    return patterns


urlpatterns = _stub_missing_pages()


def test_each_problem_links_to_where_it_is_fixed(client, settings, team):
    settings.ROOT_URLCONF = __name__
    ansvarlig, member, organisation = team
    application = make_application(organisation=organisation, by_user=member)
    client.force_login(ansvarlig)
    text = client.get(submit_url(application)).text
    section = reverse("application-section", args=[application.pk, "om-prosjektet"])
    assert f'href="{section}#id_tittel"' in text
    problem = reverse("application-section", args=[application.pk, "problemstilling-og-behov"])
    assert f'href="{problem}#id_delt-behov_0"' in text  # a yes/no question: its first choice
    assert f'href="{reverse("application-partners", args=[application.pk, "partnere"])}"' in text
    assert f'href="{reverse("application-budget", args=[application.pk, "budsjett"])}"' in text
    assert f'href="{reverse("application-attachments", args=[application.pk, "prosjektbeskrivelse"])}"' in text


def test_a_submitted_application_offers_reopening_and_withdrawal_to_the_ansvarlig(client, team, ready):
    ansvarlig, member, _org = team
    application_submit(application_id=ready.pk, by_user=ansvarlig, now=timezone.now())
    client.force_login(ansvarlig)
    text = client.get(submit_url(ready)).text
    assert "Søknaden har status «Sendt inn» og kan ikke sendes inn nå." in text
    assert f'action="{reverse("application-reopen", args=[ready.pk])}"' in text
    assert f'href="{reverse("application-withdraw", args=[ready.pk])}"' in text
    client.force_login(member)
    text = client.get(submit_url(ready)).text
    assert reverse("application-reopen", args=[ready.pk]) not in text


def test_the_withdraw_page_has_a_constant_number_of_queries(client, team, ready, django_assert_max_num_queries):
    client.force_login(team[0])
    url = reverse("application-withdraw", args=[ready.pk])
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.post(url, {"reason": ""}).status_code == 200


def test_a_submit_reads_the_application_once_in_a_pinned_number_of_queries(client, team, ready):
    """The deadline rush's request: the service locks and reads the application (no second read by
    the view), and keeps the publicity choice in the same transaction. The session, logged in
    moments ago, is not written again."""
    client.force_login(team[0])
    # The year's reference counter exists (the call's first submit creates it, in five queries more).
    year = timezone.localtime(ready.call.closes_at).year
    ReferenceCounter.objects.get_or_create(year=year, code=ready.call.scheme.code_for_references)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(submit_url(ready), {"publicity_shown": "1", "public_parts": ["summary", "results"]})
    assert response.status_code == 302
    application_reads = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "applications_application"' in q["sql"]
    ]
    assert len(application_reads) == 1 and "FOR UPDATE" in application_reads[0]
    # session, user; savepoint, the locked read, the person's memberships, partners, rule versions,
    # last version number, attachments, the applicant's ansvarlige; then under the reference
    # counter's lock: counter, version, application (with the publicity), event, receipts; release
    assert len(queries) == 16, "\n".join(q["sql"][:100] for q in queries)
    assert not [q for q in queries if 'UPDATE "django_session"' in q["sql"]]
    ready.refresh_from_db()
    assert ready.state == State.SUBMITTED
    assert ready.publicity == {"summary": True, "partners": False, "place": False, "period": False, "results": True}
