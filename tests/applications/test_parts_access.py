"""The parts pages for staff once an application is submitted (read-only), and after the deadline
(the services refuse; the pages say why and nothing is written)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationEvent
from applications.workflow import State
from schemes.models import Call
from tests.attachments.files import pdf_bytes
from tests.factories import OrganisationFactory, StaffRoleFactory, make_application
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db

PAGES = [("application-partners", "partnere"), ("application-budget", "budsjett"),
         ("application-attachments", "prosjektbeskrivelse")]  # fmt: skip


def _state(application):
    application = Application.objects.get(pk=application.pk)
    events = ApplicationEvent.objects.filter(application=application).count()
    return application.answers, application.sections, application.partners.count(), application.files.count(), events


@pytest.mark.parametrize(("name", "key"), PAGES)
def test_staff_of_the_scheme_read_a_submitted_application_without_forms_and_cannot_post(client, name, key):
    application = make_application()
    officer = StaffRoleFactory(agency=application.call.scheme.agencies.get(), schemes=[application.call.scheme]).user
    force_login_verified(client, officer)
    url = reverse(name, args=[application.pk, key])
    assert client.get(url).status_code == 404  # a draft is the applicant's own
    Application.objects.filter(pk=application.pk).update(state=State.SUBMITTED, submitted_at=timezone.now())
    page = client.get(url)
    assert page.status_code == 200
    assert '<form method="post" action="' + url not in page.text
    before = _state(application)
    assert client.post(url, {"org_number": OrganisationFactory().org_number, "role": "partner"}).status_code == 403
    assert _state(application) == before


def test_after_the_deadline_the_pages_say_so_and_nothing_is_written(client, settings, tmp_path):
    private = {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}}
    settings.STORAGES = {**settings.STORAGES, "private": private}
    application = make_application()
    Call.objects.filter(pk=application.call_id).update(closes_at=timezone.now() - timedelta(seconds=1))
    client.force_login(application.organisation.memberships.get().user)
    before = _state(application)
    partner = client.post(reverse("application-partners", args=[application.pk, "partnere"]),
                          {"org_number": OrganisationFactory().org_number, "role": "partner"})  # fmt: skip
    assert partner.status_code == 200 and "Søknaden kan ikke endres etter fristen." in partner.text
    budget = client.post(reverse("application-budget", args=[application.pk, "budsjett"]),
                         {"shown": "2027:1", "b-personal-2027": "5 000", "base_version": 0})  # fmt: skip
    assert budget.status_code == 200 and "Søknaden kan ikke endres etter fristen." in budget.text
    assert 'value="5 000"' in budget.text
    upload = client.post(reverse("application-attachments", args=[application.pk, "prosjektbeskrivelse"]),
                         {"file": SimpleUploadedFile("a.pdf", pdf_bytes())})  # fmt: skip
    assert upload.status_code == 200 and "Søknaden kan ikke endres etter fristen." in upload.text
    assert _state(application) == before
