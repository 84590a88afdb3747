"""Following a submitted application: the timeline, a submitted version's page and its PDF receipt."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from applications import receipts
from applications.models import Application, ApplicationEvent, EventKind
from applications.services import application_reopen, application_submit, application_withdraw
from organisations.models import Membership
from tests.applications.helpers import complete_application
from tests.factories import MembershipFactory, UserFactory, make_application
from tests.html import table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(private_storage):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG, user__full_name="Ansvarlig Anne")
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    complete_application(application, ansvarlig.user)
    application_submit(application_id=application.pk, by_user=ansvarlig.user, now=timezone.now())
    return Application.objects.get(pk=application.pk), ansvarlig.user


def test_the_timeline_tells_who_did_what_when_in_order(client, submitted):
    application, ansvarlig = submitted
    application_reopen(application_id=application.pk, by_user=ansvarlig, now=timezone.now())
    application_submit(application_id=application.pk, by_user=ansvarlig, now=timezone.now())
    application_withdraw(application_id=application.pk, by_user=ansvarlig, reason="Partneren trakk seg.")
    client.force_login(ansvarlig)
    response = client.get(reverse("application-timeline", args=[application.pk]))
    assert response.status_code == 200
    text = response.text
    rows = table_rows(response, "table")[1:]  # the page's one table, below its column headings
    kinds = [what[: what.index(".") + 1] for _when, what, _who, _next in rows]  # the first sentence
    assert kinds[0] == "Søknaden er opprettet."
    assert kinds[-4:] == ["Søknaden er sendt inn.", "Søknaden er åpnet for endring.", "Søknaden er sendt inn på nytt.",
                          "Søknaden er trukket."]  # fmt: skip
    assert {"En partner er lagt til.", "Et vedlegg er lastet opp.", "Endringer i søknaden er lagret.",
            "Budsjettet er lagret."} <= set(kinds)  # fmt: skip
    assert "Ansvarlig Anne" in text
    assert f"Saksnummer {application.reference}, versjon 2" in text
    assert "Begrunnelse: Partneren trakk seg." in text
    assert "beskrivelse.pdf" in text  # the file's name
    assert "Om prosjektet" in text or "om-prosjektet" not in text  # sections by their title
    event = ApplicationEvent.objects.filter(application=application).first()
    at = timezone.localtime(event.at)
    assert f"{at:%d.%m.%Y} kl. {at:%H:%M}" in text
    assert reverse("application-version", args=[application.pk, 2]) in text


def test_the_timeline_has_a_constant_number_of_queries_with_200_events(
    client, submitted, django_assert_max_num_queries
):
    application, ansvarlig = submitted
    people = [UserFactory() for _ in range(5)]
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(application=application, kind=EventKind.SAVED, actor=people[i % 5],
                         data={"section": "om-prosjektet"}, at=timezone.now())
        for i in range(200)
    )  # fmt: skip
    client.force_login(ansvarlig)
    # 11: the session, the user, the application, its form, the events, the versions … and the applicant's
    # members, read once so that every row can name the role its person acted in.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("application-timeline", args=[application.pk]))
    assert response.status_code == 200
    assert response.text.count("<tr>") > 200


def test_the_version_page_shows_the_frozen_content(client, submitted):
    application, ansvarlig = submitted
    # The working copy changes after submission; the version page does not.
    Application.objects.filter(pk=application.pk).update(title="Endret etterpå")
    client.force_login(ansvarlig)
    response = client.get(reverse("application-version", args=[application.pk, 1]))
    assert response.status_code == 200
    text = response.text
    assert application.reference in text and "Digital tilsynsassistent" in text
    assert "Endret etterpå" not in text
    assert reverse("application-receipt", args=[application.pk, 1]) in text
    assert "beskrivelse.pdf" in text
    assert client.get(reverse("application-version", args=[application.pk, 2])).status_code == 404


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_receipt_is_a_pdf_download_in_the_readers_language(client, submitted, language, monkeypatch):
    from applications.models import ApplicationVersion
    from applications.receipts import receipt_html

    application, ansvarlig = submitted
    ansvarlig.language = language
    ansvarlig.save(update_fields=["language"])
    client.force_login(ansvarlig)
    rendered_in = []
    original = receipts.receipt_html
    monkeypatch.setattr(
        receipts, "receipt_html", lambda **kw: rendered_in.append(translation.get_language()) or original(**kw)
    )
    response = client.get(reverse("application-receipt", args=[application.pk, 1]))
    assert response.status_code == 200
    assert rendered_in == [language]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert application.reference in response["Content-Disposition"]
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000
    with translation.override(language):
        html = receipt_html(version=ApplicationVersion.objects.get(application=application))
    assert application.reference in html and f'lang="{language}"' in html


def test_the_receipt_and_version_are_only_for_those_who_may_see_the_application(client, submitted):
    application, _ansvarlig = submitted
    urls = [reverse("application-receipt", args=[application.pk, 1]),
            reverse("application-version", args=[application.pk, 1]),
            reverse("application-timeline", args=[application.pk])]  # fmt: skip
    client.force_login(MembershipFactory().user)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    partner_member = MembershipFactory(organisation=application.partners.get().organisation).user
    client.force_login(partner_member)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


def test_the_version_page_and_receipt_have_a_constant_number_of_queries(
    client, submitted, django_assert_max_num_queries
):
    application, ansvarlig = submitted
    client.force_login(ansvarlig)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("application-version", args=[application.pk, 1])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("application-receipt", args=[application.pk, 1])).status_code == 200


def test_staff_handling_the_scheme_follow_a_submitted_application_but_never_a_draft(client, submitted):
    from tests.factories import StaffRoleFactory
    from tests.otp import force_login_verified

    application, ansvarlig = submitted
    scheme = application.call.scheme
    officer = StaffRoleFactory(agency=scheme.agencies.get(), schemes=[scheme]).user
    draft = make_application(organisation=application.organisation, call=application.call, by_user=ansvarlig)
    force_login_verified(client, officer)
    assert client.get(reverse("application-timeline", args=[application.pk])).status_code == 200
    assert client.get(reverse("application-version", args=[application.pk, 1])).status_code == 200
    assert client.get(reverse("application-timeline", args=[draft.pk])).status_code == 404
    # Reading is all: officers do not act for the applicant.
    assert client.post(reverse("application-reopen", args=[application.pk])).status_code == 403
    assert client.get(reverse("application-withdraw", args=[application.pk])).status_code == 403
    assert Application.objects.get(pk=application.pk).state == "sendt"
