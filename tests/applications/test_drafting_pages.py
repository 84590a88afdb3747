"""The applicant's drafting pages with the Django client: start, overview, a section (saved with the
button, and by the htmx autosave), «sjekk hele søknaden» and copying. Browser tests are in
test_drafting_browser.py."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationEvent
from applications.services import (
    application_partner_add,
    application_reopen,
    application_section_save,
    application_submit,
)
from applications.views.drafting import deadline_countdown
from organisations.models import Membership
from schemes.models import CallStage
from tests.applications.helpers import complete_application, post_data
from tests.factories import (
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    SchemeFactory,
    StaffRoleFactory,
    UserFactory,
    _oslo_days_from_now,
    call_with_form,
    make_application,
)
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db

ABOUT = {"tittel": "Digital tilsynsassistent", "sammendrag": "Vi prøver ut.", "startdato": "01.03.2027",
         "varighet": "24"}  # fmt: skip


def section_url(application, key="om-prosjektet"):
    return reverse("application-section", args=[application.pk, key])


def detail_url(application):
    return reverse("application-detail", args=[application.pk])


def fresh(application):
    return Application.objects.get(pk=application.pk)


def member_of(application, role=Membership.Role.MEMBER):
    return MembershipFactory(organisation=application.organisation, role=role).user


# --- Countdown ------------------------------------------------------------------------------------
def test_the_countdown_counts_days_and_hours_then_hours_and_minutes_from_the_server_clock():
    now = timezone.now()
    assert deadline_countdown(now + timedelta(days=3, hours=4, minutes=20), now=now) == "3 dager og 4 timer igjen"
    assert deadline_countdown(now + timedelta(days=1), now=now) == "1 dag igjen"
    assert deadline_countdown(now + timedelta(hours=2, minutes=5), now=now) == "2 timer og 5 minutter igjen"
    assert deadline_countdown(now + timedelta(seconds=20), now=now) == "1 minutt igjen"
    assert deadline_countdown(now, now=now) == "Fristen har gått ut"


# --- Start ------------------------------------------------------------------------------------------
def test_start_asks_anonymous_people_to_log_in(client):
    call = call_with_form()
    response = client.get(reverse("application-start", args=[call.slug]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_member_starts_an_application_and_a_double_submit_gives_one(client):
    call = call_with_form()
    user = MembershipFactory().user
    client.force_login(user)
    page = client.get(reverse("application-start", args=[call.slug])).text
    key = re.search(r'name="creation_key" value="([0-9a-f-]+)"', page).group(1)
    uuid.UUID(key)
    organisation_id = re.search(r'name="organisation" value="(\d+)"', page).group(1)
    data = {"creation_key": key, "organisation": organisation_id}
    first = client.post(reverse("application-start", args=[call.slug]), data)
    second = client.post(reverse("application-start", args=[call.slug]), data)
    application = Application.objects.get()
    assert first["Location"] == second["Location"] == detail_url(application)
    assert application.created_by == user and application.call == call


def test_a_member_of_several_organisations_chooses_and_only_open_stages_are_offered(client):
    call = CallFactory()
    past = CallStage.objects.create(call=call, kind=CallStage.Kind.SKETCH, order=1, closes_at=_oslo_days_from_now(-1))
    full = CallStage.objects.create(call=call, kind=CallStage.Kind.FULL, order=2)
    from applications.seed import FULL_FORM, SHORT_FORM
    from applications.services import call_form_save

    call_form_save(call=call, stage=past, definition=SHORT_FORM, by_user=None)
    call_form_save(call=call, stage=full, definition=FULL_FORM, by_user=None)
    first = MembershipFactory()
    second = MembershipFactory(user=first.user)
    client.force_login(first.user)
    page = client.get(reverse("application-start", args=[call.slug])).text
    assert f'value="{first.organisation.pk}"' in page and f'value="{second.organisation.pk}"' in page
    assert f'name="stage" value="{full.pk}"' in page and f'value="{past.pk}"' not in page
    response = client.post(
        reverse("application-start", args=[call.slug]),
        {"creation_key": str(uuid.uuid4()), "organisation": second.organisation.pk, "stage": full.pk},
    )
    application = Application.objects.get()
    assert response["Location"] == detail_url(application)
    assert application.organisation == second.organisation and application.stage == full


def test_start_explains_in_norwegian_why_not_with_200(client):
    user = MembershipFactory().user
    client.force_login(user)
    closed = call_with_form(opens_at=_oslo_days_from_now(-20), closes_at=_oslo_days_from_now(-1))
    response = client.get(reverse("application-start", args=[closed.slug]))
    assert response.status_code == 200 and "Det kan ikke lages nye søknader" in response.text
    upcoming = call_with_form(opens_at=_oslo_days_from_now(5), closes_at=_oslo_days_from_now(30))
    assert "Du kan begynne på en søknad da." in client.get(reverse("application-start", args=[upcoming.slug])).text
    early = call_with_form(opens_at=_oslo_days_from_now(5), closes_at=_oslo_days_from_now(30), allows_early_drafts=True)
    assert 'name="creation_key"' in client.get(reverse("application-start", args=[early.slug])).text
    no_form = CallFactory()
    assert "ikke klart ennå" in client.get(reverse("application-start", args=[no_form.slug])).text
    client.force_login(UserFactory())
    assert "ikke medlem av noen organisasjon" in client.get(reverse("application-start", args=[early.slug])).text


def test_a_post_for_someone_else_s_organisation_is_refused_and_nothing_is_made(client):
    call = call_with_form()
    user = MembershipFactory().user
    other = OrganisationFactory()
    client.force_login(user)
    response = client.post(
        reverse("application-start", args=[call.slug]), {"creation_key": str(uuid.uuid4()), "organisation": other.pk}
    )
    assert response.status_code == 200 and "<title>Feil:" in response.text
    assert not Application.objects.exists()


def test_the_call_block_offers_start_for_open_calls(client):
    scheme = SchemeFactory()
    open_call = call_with_form(scheme=scheme)
    upcoming = CallFactory(scheme=scheme, opens_at=_oslo_days_from_now(5), closes_at=_oslo_days_from_now(40))
    page = client.get(reverse("scheme-detail", args=[scheme.slug])).text
    assert reverse("application-start", args=[open_call.slug]) in page
    assert reverse("application-start", args=[upcoming.slug]) not in page


# --- Detail -----------------------------------------------------------------------------------------
def test_the_overview_shows_status_deadline_sections_and_what_is_missing(client):
    application = make_application()
    user = application.created_by
    application_section_save(application_id=application.pk, section_key="om-prosjektet", data=post_data(ABOUT),
                             base_version=0, by_user=user)  # fmt: skip
    client.force_login(user)
    page = client.get(detail_url(application)).text
    assert "Digital tilsynsassistent" in page and "Utkast" in page
    deadline = timezone.localtime(application.deadline)
    assert deadline.strftime("%d.%m.%Y kl. %H:%M") in page
    assert "dager" in page  # «30 dager og 2 timer igjen», or «30 dager igjen» in the hour before 13:00
    assert section_url(application, "om-prosjektet") in page and "Fullført" in page
    assert "2 mangler" in page  # problemstilling-og-behov: behov, delt-behov (baerekraftsmal is optional)
    assert reverse("application-check", args=[application.pk]) in page
    # A member who is not the ansvarlig cannot submit (nor see the button).
    assert "Send inn søknaden" not in page


def test_the_overview_is_404_for_another_organisation_and_staff_before_submission(client, private_storage):
    application = make_application()
    client.force_login(MembershipFactory().user)
    assert client.get(detail_url(application)).status_code == 404
    officer = StaffRoleFactory(schemes=[application.call.scheme]).user
    force_login_verified(client, officer)
    assert client.get(detail_url(application)).status_code == 404
    ansvarlig = member_of(application, Membership.Role.ANSVARLIG)
    complete_application(application, ansvarlig)
    application_submit(application_id=application.pk, by_user=ansvarlig, now=timezone.now())
    page = client.get(detail_url(application)).text
    assert "Svarene i søknaden" in page and "Digital tilsynsassistent" in page
    assert section_url(application) not in page  # read-only


def test_a_partner_reads_every_answer_but_cannot_edit(client, private_storage):
    application = make_application()
    partner_org = OrganisationFactory(kind="forskning")
    complete_application(application, application.created_by, partner=partner_org)
    partner = MembershipFactory(organisation=partner_org).user
    client.force_login(partner)
    page = client.get(detail_url(application)).text
    assert "Svarene i søknaden" in page and "Færre ventedager." in page and partner_org.name in page
    assert "Delene av søknaden" not in page and "Kopier til en ny søknad" not in page
    section = client.get(section_url(application))
    assert section.status_code == 200 and 'name="tittel"' not in section.text
    assert "Digital tilsynsassistent" in section.text
    before = fresh(application).answers
    response = client.post(section_url(application), {**ABOUT, "tittel": "Kapret", "base_version": 1})
    assert response.status_code == 403 and fresh(application).answers == before


def test_the_overview_query_count_does_not_grow_with_sections_partners_files_and_versions(
    client, private_storage, django_assert_max_num_queries
):
    application = make_application()
    ansvarlig = member_of(application, Membership.Role.ANSVARLIG)
    complete_application(application, ansvarlig)
    for _ in range(5):
        org = OrganisationFactory()
        application_partner_add(application_id=application.pk, question_key="partnere", org_number=org.org_number,
                                role="partner", by_user=ansvarlig)  # fmt: skip
    for number in range(3):
        application_submit(application_id=application.pk, by_user=ansvarlig, now=timezone.now())
        if number < 2:
            application_reopen(application_id=application.pk, by_user=ansvarlig, now=timezone.now())
    client.force_login(ansvarlig)
    client.get(detail_url(application))
    # session, user, application, roles, versions, partner names, staff roles, session save, and
    # whatever the header needs: none of it grows with sections, partners, files or versions.
    with django_assert_max_num_queries(10):
        page = client.get(detail_url(application)).text
    assert "Versjon 3" in page and "Versjon 1" in page
    partner = MembershipFactory(organisation=application.partners.first().organisation).user
    client.force_login(partner)
    with django_assert_max_num_queries(11):  # + the partner check
        assert client.get(detail_url(application)).status_code == 200


# --- A section --------------------------------------------------------------------------------------
def test_the_section_form_saves_with_the_button_and_says_when(client):
    application = make_application()
    client.force_login(application.created_by)
    page = client.get(section_url(application)).text
    assert (
        'name="base_version" value="0"' in page
        and 'hx-post="' in page
        and "Lagre</button>" in page.replace("\n", "").replace("  ", "")
    )
    assert "Neste del:" in page and "Forrige del:" not in page
    assert "Prosjekttittel (valgfritt)" not in page and " required" not in page  # required later, not now
    other = client.get(section_url(application, "problemstilling-og-behov")).text
    assert "bidrar prosjektet til? (valgfritt)" in other
    response = client.post(section_url(application), {**ABOUT, "base_version": "0"}, follow=True)
    assert response.redirect_chain[0][0] == section_url(application)
    saved = timezone.localtime(timezone.now()).strftime("%H:%M")
    assert f"Lagret kl. {saved}" in response.text or "Lagret kl." in response.text
    assert fresh(application).answers["tittel"] == "Digital tilsynsassistent"
    assert 'name="base_version" value="1"' in response.text


def test_a_rejected_field_keeps_what_was_typed_with_the_reason_also_after_reloading(client):
    application = make_application()
    client.force_login(application.created_by)
    response = client.post(section_url(application), {**ABOUT, "varighet": "hundre", "base_version": "0"})
    assert response.status_code == 200 and "<title>Feil:" in response.text
    assert 'value="hundre"' in response.text and 'href="#id_varighet"' in response.text
    assert re.search(r'aria-describedby="[^"]*id_varighet_error"', response.text)
    stored = fresh(application)
    assert stored.answers["tittel"] == "Digital tilsynsassistent" and "varighet" not in stored.answers
    assert stored.pending_input == {"varighet": "hundre"}
    page = client.get(section_url(application)).text
    assert 'value="hundre"' in page and 'id="id_varighet_error"' in page and 'aria-invalid="true"' in page
    assert 'name="base_version" value="1"' in page


def test_a_conflict_shows_both_versions_and_then_a_deliberate_save_overwrites(client):
    application = make_application()
    colleague = member_of(application)
    colleague.full_name = "Kari Kollega"
    colleague.save()
    application_section_save(application_id=application.pk, section_key="om-prosjektet",
                             data=post_data({**ABOUT, "tittel": "Kari sin tittel"}), base_version=0,
                             by_user=colleague)  # fmt: skip
    client.force_login(application.created_by)
    response = client.post(section_url(application), {**ABOUT, "tittel": "Min tittel", "base_version": "0"})
    page = response.text
    assert response.status_code == 200 and "Kari Kollega lagret denne delen" in page
    assert "Kari sin tittel" in page and 'value="Min tittel"' in page  # both, nothing lost
    assert 'name="base_version" value="1"' in page and "Lagre mine endringer" in page
    assert "Bruk kollegaens versjon" in page and "hx-post" not in page
    assert fresh(application).answers["tittel"] == "Kari sin tittel"
    client.post(section_url(application), {**ABOUT, "tittel": "Min tittel", "base_version": "1"})
    assert fresh(application).answers["tittel"] == "Min tittel"


def test_the_autosave_gets_a_fragment_saying_when_with_the_new_version(client):
    application = make_application()
    client.force_login(application.created_by)
    response = client.post(section_url(application), {**ABOUT, "base_version": "0"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text
    assert "Lagret kl." in response.text and 'name="base_version" value="1"' in response.text
    response = client.post(section_url(application), {**ABOUT, "varighet": "x", "base_version": "1"},
                           headers={"HX-Request": "true"})  # fmt: skip
    assert "Varighet (måneder)" in response.text and "Skriv" in response.text and 'value="2"' in response.text
    assert fresh(application).pending_input == {"varighet": "x"}


def test_the_autosave_tells_of_a_colleague_s_save_and_keeps_the_old_version(client):
    application = make_application()
    colleague = member_of(application)
    application_section_save(application_id=application.pk, section_key="om-prosjektet", data=post_data(ABOUT),
                             base_version=0, by_user=colleague)  # fmt: skip
    client.force_login(application.created_by)
    response = client.post(section_url(application), {**ABOUT, "tittel": "Mitt", "base_version": "0"},
                           headers={"HX-Request": "true"})  # fmt: skip
    assert "lagret denne delen kl." in response.text and "Lagre" in response.text
    assert 'name="base_version" value="0"' in response.text
    assert fresh(application).answers["tittel"] == ABOUT["tittel"]


def test_after_the_deadline_a_post_keeps_the_text_and_says_why(client):
    application = make_application()
    client.force_login(application.created_by)
    Application.objects.filter(pk=application.pk)  # the call's deadline moves into the past
    call = application.call
    call.opens_at, call.closes_at = _oslo_days_from_now(-20), timezone.now() - timedelta(seconds=1)
    call.save()
    response = client.post(section_url(application), {**ABOUT, "tittel": "Sent", "base_version": "0"})
    assert response.status_code == 200 and "Fristen var" in response.text and 'value="Sent"' in response.text
    assert "tittel" not in fresh(application).answers
    page = client.get(section_url(application)).text
    assert 'name="tittel"' not in page  # read-only after the deadline


def test_an_unknown_section_is_404_and_another_organisation_is_404(client):
    application = make_application()
    client.force_login(application.created_by)
    assert client.get(section_url(application, "finnes-ikke")).status_code == 404
    client.force_login(MembershipFactory().user)
    assert client.get(section_url(application)).status_code == 404
    assert client.post(section_url(application), {**ABOUT, "base_version": "0"}).status_code == 404
    assert "tittel" not in fresh(application).answers


def test_the_section_page_query_count_is_pinned(client, private_storage, django_assert_max_num_queries):
    application = make_application()
    complete_application(application, application.created_by)
    client.force_login(application.created_by)
    client.get(section_url(application, "partnere"))
    for key in ("om-prosjektet", "partnere", "vedlegg"):
        with django_assert_max_num_queries(8):  # see the overview's count
            assert client.get(section_url(application, key)).status_code == 200
    with django_assert_max_num_queries(20):
        client.post(section_url(application), {**ABOUT, "tittel": "Ny", "base_version": "1"})


def test_answered_elsewhere_questions_link_to_their_pages_when_they_exist(client):
    application = make_application()
    client.force_login(application.created_by)
    page = client.get(section_url(application, "partnere")).text
    assert 'id="id_partnere"' in page and "Legg til og endre partnere" in page
    assert 'name="base_version"' not in page and "htmx" not in page  # nothing to save here


# --- Check ------------------------------------------------------------------------------------------
def test_the_check_lists_what_is_missing_with_links_to_the_fields_grouped_by_section(client, private_storage):
    application = make_application()
    client.force_login(application.created_by)
    page = client.get(reverse("application-check", args=[application.pk])).text
    assert f'href="{section_url(application)}#id_tittel"' in page
    assert f'href="{section_url(application, "problemstilling-og-behov")}#id_delt-behov_0"' in page
    assert "Må fylles ut." in page and "Alt er klart" not in page
    partners_url = reverse("application-partners", args=[application.pk, "partnere"])
    assert re.search(rf'href="{partners_url}">Partnere i prosjektet</a>:\s*Må fylles ut', page)
    ansvarlig = member_of(application, Membership.Role.ANSVARLIG)
    complete_application(application, ansvarlig)
    page = client.get(reverse("application-check", args=[application.pk])).text
    assert "Alt er klart" in page


# --- Copy -------------------------------------------------------------------------------------------
def test_copy_lists_open_calls_and_copies_a_sketch_into_the_full_application_stage(client):
    from applications.seed import FULL_FORM, SHORT_FORM
    from applications.services import call_form_save

    call = CallFactory()
    sketch = CallStage.objects.create(call=call, kind=CallStage.Kind.SKETCH, order=1)
    full = CallStage.objects.create(call=call, kind=CallStage.Kind.FULL, order=2)
    call_form_save(call=call, stage=sketch, definition=SHORT_FORM, by_user=None)
    call_form_save(call=call, stage=full, definition=FULL_FORM, by_user=None)
    closed = call_with_form(opens_at=_oslo_days_from_now(-20), closes_at=_oslo_days_from_now(-1))
    membership = MembershipFactory()
    from applications.services import application_create

    source = application_create(call=call, stage=sketch, organisation=membership.organisation,
                                by_user=membership.user)  # fmt: skip
    application_section_save(application_id=source.pk, section_key="om-prosjektet", data=post_data(ABOUT),
                             base_version=0, by_user=membership.user)  # fmt: skip
    client.force_login(membership.user)
    url = reverse("application-copy", args=[source.pk])
    page = client.get(url).text
    full_form = full.forms.get()
    assert f'value="{full_form.pk}"' in page and closed.title not in page
    key = re.search(r'name="creation_key" value="([0-9a-f-]+)"', page).group(1)
    response = client.post(url, {"target": full_form.pk, "creation_key": key})
    client.post(url, {"target": full_form.pk, "creation_key": key})
    copy = Application.objects.exclude(pk=source.pk).get()
    assert response["Location"] == detail_url(copy)
    assert copy.stage == full and copy.copied_from == source and copy.answers["tittel"] == ABOUT["tittel"]
    assert ApplicationEvent.objects.filter(application=copy, kind="copied").count() == 1


def test_copy_is_for_members_of_the_applicant(client, private_storage):
    application = make_application()
    partner_org = OrganisationFactory()
    application_partner_add(
        application_id=application.pk,
        question_key="partnere",
        org_number=partner_org.org_number,
        role="partner",
        by_user=application.created_by,
    )
    client.force_login(MembershipFactory(organisation=partner_org).user)
    assert client.get(reverse("application-copy", args=[application.pk])).status_code == 403
    client.force_login(MembershipFactory().user)
    assert client.get(reverse("application-copy", args=[application.pk])).status_code == 404
    client.force_login(application.created_by)
    assert client.get(reverse("application-copy", args=[application.pk])).status_code == 200
