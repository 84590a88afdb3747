"""«Mine søknader» (/soknader/): the applications of the person's organisations and those they
are partners in, filtered in a selector, with a server-computed countdown."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationPartner
from applications.services import application_create
from applications.views.submission import deadline_countdown
from organisations.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, call_with_form, make_application

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
LIST = reverse("application-list")


def test_countdown_in_days_today_tomorrow_and_after_the_deadline():
    now = datetime(2026, 11, 19, 9, 30, tzinfo=OSLO)
    assert deadline_countdown(datetime(2026, 11, 22, 13, 0, tzinfo=OSLO), now=now) == "3 dager igjen"
    assert deadline_countdown(datetime(2026, 11, 21, 8, 0, tzinfo=OSLO), now=now) == "2 dager igjen"
    assert deadline_countdown(datetime(2026, 11, 20, 13, 0, tzinfo=OSLO), now=now) == "i morgen kl. 13:00"
    assert deadline_countdown(datetime(2026, 11, 19, 13, 0, tzinfo=OSLO), now=now) == "i dag kl. 13:00"
    assert deadline_countdown(datetime(2026, 11, 19, 9, 30, tzinfo=OSLO), now=now) == "i dag kl. 09:30"
    late = datetime(2026, 11, 22, 13, 0, 1, tzinfo=OSLO)
    assert deadline_countdown(datetime(2026, 11, 22, 13, 0, tzinfo=OSLO), now=late) == "fristen gikk ut 22.11.2026"
    # Counted in Norwegian time: 23:30 UTC on the 19th is already the 20th in Oslo.
    utc_now = datetime(2026, 11, 19, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert deadline_countdown(datetime(2026, 11, 20, 13, 0, tzinfo=OSLO), now=utc_now) == "i dag kl. 13:00"


def test_the_empty_state_explains_how_to_start(client):
    client.force_login(MembershipFactory().user)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Du har ingen søknader ennå" in response.text
    assert f'href="{reverse("scheme-catalogue")}"' in response.text


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.fixture
def person_with_applications():
    """A person in two organisations; applications of both, one where a third is the applicant and
    one organisation a partner, and one of a stranger that must never show."""
    first = MembershipFactory(role=Membership.Role.ANSVARLIG, user__full_name="Kari")
    second = MembershipFactory(user=first.user, organisation=OrganisationFactory(name="Andre kommune"))
    user = first.user
    call_a, call_b = call_with_form(title="Utlysning Alfa"), call_with_form(title="Utlysning Beta")
    mine = make_application(organisation=first.organisation, call=call_a, by_user=user)
    Application.objects.filter(pk=mine.pk).update(title="Digital tilsynsassistent")
    other = make_application(organisation=second.organisation, call=call_b, by_user=user)
    Application.objects.filter(pk=other.pk).update(title="Sensorer i skolen", reference="2026-IPOS-00007")
    applicant = MembershipFactory(organisation=OrganisationFactory(name="Partnerkommunen"))
    partnered = make_application(organisation=applicant.organisation, call=call_a, by_user=applicant.user)
    Application.objects.filter(pk=partnered.pk).update(title="Felles innkjøp")
    ApplicationPartner.objects.create(application=partnered, organisation=first.organisation, role="partner",
                                      question_key="partnere")  # fmt: skip
    stranger = make_application(call=call_a)
    Application.objects.filter(pk=stranger.pk).update(title="Hemmelig søknad")
    return user, first.organisation, second.organisation, call_a, call_b


def test_the_list_shows_the_organisations_applications_and_partnerships_only(client, person_with_applications):
    user, *_rest = person_with_applications
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 200
    text = response.text
    for title in ("Digital tilsynsassistent", "Sensorer i skolen", "Felles innkjøp"):
        assert title in text
    assert "Hemmelig søknad" not in text
    assert text.count("Dere er partner") == 1
    assert "2026-IPOS-00007" in text and "Utkast" in text
    assert "dager igjen" in text  # the calls close in 30 days


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"q": "sensor"}, {"Sensorer i skolen"}),
        ({"q": "IPOS-00007"}, {"Sensorer i skolen"}),
        ({"utlysning": "call_b"}, {"Sensorer i skolen"}),
        ({"organisasjon": "second"}, {"Sensorer i skolen"}),
        ({"organisasjon": "first"}, {"Digital tilsynsassistent", "Felles innkjøp"}),
        ({"status": "sendt"}, set()),
        ({"status": "utkast", "utlysning": "call_a"}, {"Digital tilsynsassistent", "Felles innkjøp"}),
    ],
)
def test_filters(client, person_with_applications, query, shown):
    user, first, second, call_a, call_b = person_with_applications
    values = {"call_a": call_a.slug, "call_b": call_b.slug, "first": first.org_number, "second": second.org_number}
    client.force_login(user)
    response = client.get(LIST, {key: values.get(value, value) for key, value in query.items()})
    assert response.status_code == 200
    titles = {"Digital tilsynsassistent", "Sensorer i skolen", "Felles innkjøp"}
    assert {title for title in titles if title in response.text.split('id="treff"')[1]} == shown
    if not shown:
        assert "Ingen søknader passer med filtrene." in response.text


def test_an_unknown_filter_value_is_an_error_not_a_crash_and_offers_only_what_the_person_sees(
    client, person_with_applications
):
    user, *_rest = person_with_applications
    stranger_call = call_with_form(title="Ukjent utlysning")
    client.force_login(user)
    response = client.get(LIST, {"utlysning": stranger_call.slug, "q": "sensor"})
    assert response.status_code == 200
    assert "Rett opp dette" in response.text
    assert "Ukjent utlysning" not in response.text  # not offered as a choice
    assert 'value="sensor"' in response.text  # the typed text is kept


def test_the_list_has_a_constant_number_of_queries(client, django_assert_max_num_queries):
    """66 applications in three organisations and three calls, partners on some: the same queries
    for the first page and the last as for one row."""
    person = MembershipFactory(role=Membership.Role.ANSVARLIG)
    organisations = [person.organisation] + [
        MembershipFactory(user=person.user, organisation=OrganisationFactory()).organisation for _ in range(2)
    ]
    calls = [call_with_form() for _ in range(3)]
    partner = OrganisationFactory()
    for i in range(66):
        application = application_create(
            call=calls[i % 3], organisation=organisations[i % 3], by_user=person.user, now=timezone.now()
        )
        if i % 5 == 0:
            ApplicationPartner.objects.create(application=application, organisation=partner, role="partner",
                                              question_key="partnere")  # fmt: skip
    client.force_login(person.user)
    with django_assert_max_num_queries(14) as first_page:
        response = client.get(LIST)
    assert response.status_code == 200 and "66 søknader" in response.text
    with django_assert_max_num_queries(len(first_page.captured_queries)):
        assert client.get(LIST, {"side": "3"}).status_code == 200
    # Filtered to nothing: one more, to tell «no match» from «no applications at all».
    with django_assert_max_num_queries(len(first_page.captured_queries) + 1):
        assert client.get(LIST, {"q": "x", "status": "utkast", "utlysning": calls[0].slug}).status_code == 200


def test_a_deadline_that_passed_reads_as_such(client):
    membership = MembershipFactory()
    application = make_application(organisation=membership.organisation, by_user=membership.user)
    call = application.call
    call.closes_at = timezone.now() - timedelta(days=2)
    call.save(update_fields=["closes_at"])
    client.force_login(membership.user)
    response = client.get(LIST)
    assert f"fristen gikk ut {timezone.localtime(call.closes_at):%d.%m.%Y}" in response.text


def test_min_side_links_to_the_list(client):
    client.force_login(MembershipFactory().user)
    assert f'href="{LIST}"' in client.get(reverse("my-page")).text


def test_htmx_asks_for_the_results_only(client, person_with_applications):
    user, *_rest = person_with_applications
    client.force_login(user)
    response = client.get(LIST, {"q": "sensor"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and "Sensorer i skolen" in response.text
    assert 'id="treff-status" hx-swap-oob="innerHTML"' in response.text
    assert "HX-Request" in response["Vary"]
    restore = client.get(LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text  # Back after a filter needs the whole page


def test_the_status_filter_offers_what_applicants_read_once_each(client):
    """Formal check, review and assessment are all «Under behandling» to applicants: one choice,
    so the filter cannot tell which internal step an application is in."""
    from applications.filters import STATUS_GROUPS
    from applications.workflow import State

    assert STATUS_GROUPS["under-behandling"][1] == [State.FORMAL_CHECK, State.IN_REVIEW, State.ASSESSED]
    assert State.FORMAL_CHECK.value not in STATUS_GROUPS
    labels = [str(label) for label, _states in STATUS_GROUPS.values()]
    assert len(labels) == len(set(labels))
