"""The applicant's drafting pages with the Django client: start, overview, a section (saved with the
button, and by the htmx autosave), «sjekk hele søknaden» and copying. Browser tests are in
test_drafting_browser.py."""

import uuid
from datetime import timedelta

import pytest
import time_machine
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
    FULL_FORM_POSTS,
    CallFactory,
    LazyPosts,
    MembershipFactory,
    OrganisationFactory,
    SchemeFactory,
    StaffRoleFactory,
    UserFactory,
    _oslo_days_from_now,
    call_with_form,
    make_application,
)
from tests.html import (
    by_role,
    definitions,
    field_value,
    has_link,
    links,
    parse,
    select,
    table_rows,
    texts,
    visible_text,
)
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db

# The first section's answers; the planned start is computed at each use, after the test's now.
ABOUT = LazyPosts(lambda: {**FULL_FORM_POSTS["om-prosjektet"], "sammendrag": "Vi prøver ut."})


def section_url(application, key="om-prosjektet"):
    return reverse("application-section", args=[application.pk, key])


def detail_url(application):
    return reverse("application-detail", args=[application.pk])


def fresh(application):
    return Application.objects.get(pk=application.pk)


def member_of(application, role=Membership.Role.MEMBER):
    return MembershipFactory(organisation=application.organisation, role=role).user


def base_version(html) -> list[str]:
    return [i.get("value") for i in select(html, "input[type=hidden][name=base_version]")]


def five_past_nine():
    """Today at 09:05:00 Norwegian time: a test that reads a clock time off the page freezes it here."""
    return timezone.localtime().replace(hour=9, minute=5, second=0, microsecond=0)


def hidden_value(html, name) -> str:
    (value,) = [i.get("value") for i in select(html, f"input[type=hidden][name={name}]")]
    return value


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
    page = parse(client.get(reverse("application-start", args=[call.slug])))
    key = hidden_value(page, "creation_key")
    uuid.UUID(key)
    organisation_id = hidden_value(page, "organisation")
    assert f"Søknaden lages for {Membership.objects.get(user=user).organisation.name}." in visible_text(page)
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
    from applications.services import call_form_save
    from tests.example_forms import FULL_FORM, SHORT_FORM

    call_form_save(call=call, stage=past, definition=SHORT_FORM, by_user=None)
    call_form_save(call=call, stage=full, definition=FULL_FORM, by_user=None)
    first = MembershipFactory()
    second = MembershipFactory(user=first.user)
    client.force_login(first.user)
    page = parse(client.get(reverse("application-start", args=[call.slug])))
    choices = {radio.get("name"): [] for radio in by_role(page, "radio")}
    for radio in by_role(page, "radio"):
        choices[radio.get("name")].append(radio.get("value"))
    assert choices == {"organisation": [str(first.organisation.pk), str(second.organisation.pk)],
                       "stage": [str(full.pk)]}  # fmt: skip
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
    assert response.status_code == 200 and "Det kan ikke lages nye søknader" in visible_text(response)
    assert not by_role(response, "button", "Start søknad")
    upcoming = call_with_form(opens_at=_oslo_days_from_now(5), closes_at=_oslo_days_from_now(30))
    page = parse(client.get(reverse("application-start", args=[upcoming.slug])))
    assert "Du kan begynne på en søknad da." in visible_text(page) and not by_role(page, "button", "Start søknad")
    early = call_with_form(opens_at=_oslo_days_from_now(5), closes_at=_oslo_days_from_now(30), allows_early_drafts=True)
    page = parse(client.get(reverse("application-start", args=[early.slug])))
    assert by_role(page, "button", "Start søknad") and hidden_value(page, "creation_key")
    no_form = CallFactory()
    assert "ikke klart ennå" in visible_text(client.get(reverse("application-start", args=[no_form.slug])))
    client.force_login(UserFactory())
    page = client.get(reverse("application-start", args=[early.slug]))
    assert "Du er ikke medlem av noen organisasjon ennå." in visible_text(page)


def test_a_post_for_someone_else_s_organisation_is_refused_and_nothing_is_made(client):
    call = call_with_form()
    user = MembershipFactory().user
    other = OrganisationFactory()
    client.force_login(user)
    response = client.post(
        reverse("application-start", args=[call.slug]), {"creation_key": str(uuid.uuid4()), "organisation": other.pk}
    )
    assert response.status_code == 200 and texts(response, "title")[0].startswith("Feil:")
    assert not Application.objects.exists()


def test_the_call_block_offers_start_for_open_calls(client):
    scheme = SchemeFactory()
    open_call = call_with_form(scheme=scheme)
    upcoming = CallFactory(scheme=scheme, opens_at=_oslo_days_from_now(5), closes_at=_oslo_days_from_now(40))
    hrefs = [href for _name, href in links(client.get(reverse("scheme-detail", args=[scheme.slug])))]
    assert reverse("application-start", args=[open_call.slug]) in hrefs
    assert reverse("application-start", args=[upcoming.slug]) not in hrefs


# --- Detail -----------------------------------------------------------------------------------------
def test_the_overview_shows_status_deadline_sections_and_what_is_missing(client):
    # The clock stands still, and the deadline is a set time ahead of it: the countdown is exact.
    with time_machine.travel(timezone.now(), tick=False):
        call = call_with_form(closes_at=timezone.now() + timedelta(days=12, hours=3, minutes=30))
        application = make_application(call=call)
        user = application.created_by
        application_section_save(application_id=application.pk, section_key="om-prosjektet",
                                 data=post_data(ABOUT), base_version=0, by_user=user)  # fmt: skip
        client.force_login(user)
        page = parse(client.get(detail_url(application)))
    assert texts(page, "h1") == ["Digital tilsynsassistent"]
    facts = definitions(page)
    assert facts["Status"] == "Utkast"
    deadline = timezone.localtime(application.deadline)
    assert facts["Søknadsfrist"] == deadline.strftime("%d.%m.%Y kl. %H:%M") + " (12 dager og 3 timer igjen)"
    assert texts(page, "#deler ~ ol > li") == [
        "Om prosjektet – Fullført",
        "Problemstilling og behov – 2 mangler",  # behov, delt-behov (baerekraftsmal is optional)
        "Gjennomføring – 2 mangler",
        "Partnere – 1 mangler Partnere i prosjektet",  # each with a link to the page it is answered on
        "Budsjett – 1 mangler Kostnader og finansiering",  # the amount applied for is the budget's
        "Vedlegg – 1 mangler Prosjektbeskrivelse CV for prosjektleder",
    ]
    assert has_link(page, "Om prosjektet", href=section_url(application, "om-prosjektet"))
    assert has_link(page, "Sjekk hele søknaden", href=reverse("application-check", args=[application.pk]))
    # A member who is not the ansvarlig cannot submit (nor see the button).
    assert not has_link(page, "Send inn søknaden")


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
    page = parse(client.get(detail_url(application)))
    assert by_role(page, "heading", "Svarene i søknaden")
    assert "Færre ventedager." in visible_text(page) and partner_org.name in visible_text(page)
    assert not by_role(page, "heading", "Delene av søknaden") and not has_link(page, "Kopier til en ny søknad")
    section = client.get(section_url(application))
    assert section.status_code == 200 and not select(section, "[name=tittel]") and not by_role(section, "textbox")
    assert "Digital tilsynsassistent" in visible_text(section, "main")
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
        page = visible_text(client.get(detail_url(application)))
    assert "Versjon 3" in page and "Versjon 1" in page
    partner = MembershipFactory(organisation=application.partners.first().organisation).user
    client.force_login(partner)
    with django_assert_max_num_queries(11):  # + the partner check
        assert client.get(detail_url(application)).status_code == 200


# --- A section --------------------------------------------------------------------------------------
def test_the_section_form_saves_with_the_button_and_says_when(client):
    with time_machine.travel(five_past_nine(), tick=False):  # the whole test: the session too
        application = make_application()
        client.force_login(application.created_by)
        page = parse(client.get(section_url(application)))
        assert base_version(page) == ["0"]
        (form,) = select(page, "main form")
        assert form.get("hx-post") == section_url(application)  # the autosave
        assert by_role(form, "button", "Lagre")
        assert [name for name, _href in links(page) if name.startswith(("Neste del:", "Forrige del:"))] == [
            "Neste del: Problemstilling og behov"
        ]
        assert field_value(page, "Prosjekttittel") == "" and not select(page, "[required]")  # required later, not now
        other = parse(client.get(section_url(application, "problemstilling-og-behov")))
        assert by_role(other, "group", "Hvilke bærekraftsmål bidrar prosjektet til? (valgfritt)")
        response = client.post(section_url(application), {**ABOUT, "base_version": "0"}, follow=True)
        assert response.redirect_chain[0][0] == section_url(application)
        assert "Lagret kl. 09:05" in visible_text(response)
        assert fresh(application).answers["tittel"] == "Digital tilsynsassistent"
        assert base_version(response) == ["1"]


def test_a_rejected_field_keeps_what_was_typed_with_the_reason_also_after_reloading(client):
    application = make_application()
    client.force_login(application.created_by)
    response = client.post(section_url(application), {**ABOUT, "varighet": "hundre", "base_version": "0"})
    page = parse(response)
    assert response.status_code == 200 and texts(page, "title")[0].startswith("Feil:")
    assert field_value(page, "Varighet (måneder)") == "hundre"
    (summary_link,) = select(page, ".ds-error-summary a")
    assert summary_link.get("href") == "#id_varighet"
    field = by_role(page, "textbox", "Varighet (måneder)")[0]
    assert "id_varighet_error" in field.get("aria-describedby").split()
    stored = fresh(application)
    assert stored.answers["tittel"] == "Digital tilsynsassistent" and "varighet" not in stored.answers
    assert stored.pending_input == {"varighet": "hundre"}
    page = parse(client.get(section_url(application)))
    field = by_role(page, "textbox", "Varighet (måneder)")[0]
    assert field.get("value") == "hundre" and field.get("aria-invalid") == "true"
    assert texts(page, "#id_varighet_error") == [summary_link.text_content().strip()]
    assert base_version(page) == ["1"]


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
    page = parse(response)
    assert response.status_code == 200
    assert texts(page, "[role=alert] h2")[0].startswith("Kari Kollega lagret denne delen ")
    # both, nothing lost
    assert table_rows(page, "Svar som er forskjellige") == [
        ["Spørsmål", "Lagret av kollegaen", "Det du skrev"], ["Prosjekttittel", "Kari sin tittel", "Min tittel"],
    ]  # fmt: skip
    assert field_value(page, "Prosjekttittel") == "Min tittel"
    assert base_version(page) == ["1"] and by_role(page, "button", "Lagre mine endringer")
    assert has_link(page, "Bruk kollegaens versjon", href=section_url(application))
    assert not select(page, "[hx-post]")  # no autosave over the colleague's version
    assert fresh(application).answers["tittel"] == "Kari sin tittel"
    client.post(section_url(application), {**ABOUT, "tittel": "Min tittel", "base_version": "1"})
    assert fresh(application).answers["tittel"] == "Min tittel"


def test_the_autosave_gets_a_fragment_saying_when_with_the_new_version(client):
    with time_machine.travel(five_past_nine(), tick=False):  # the whole test: the session too
        application = make_application()
        client.force_login(application.created_by)
        response = client.post(section_url(application), {**ABOUT, "base_version": "0"}, headers={"HX-Request": "true"})
        assert response.status_code == 200 and not response.text.lstrip().startswith("<!doctype")  # a fragment
        assert visible_text(response) == "Lagret kl. 09:05" and base_version(response) == ["1"]
        response = client.post(section_url(application), {**ABOUT, "varighet": "x", "base_version": "1"},
                               headers={"HX-Request": "true"})  # fmt: skip
        assert visible_text(response).startswith(
            "Lagret kl. 09:05 Dette er ikke lagret ennå (det du skrev, står i feltet):"
        )
        assert texts(response, "li") == ["Varighet (måneder): Skriv et tall, for eksempel 1 250 eller 12,5."]
        assert has_link(response, "Varighet (måneder)", href="#id_varighet") and base_version(response) == ["2"]
        assert fresh(application).pending_input == {"varighet": "x"}


def test_the_autosave_tells_of_a_colleague_s_save_and_keeps_the_old_version(client):
    application = make_application()
    colleague = member_of(application)
    application_section_save(application_id=application.pk, section_key="om-prosjektet", data=post_data(ABOUT),
                             base_version=0, by_user=colleague)  # fmt: skip
    client.force_login(application.created_by)
    response = client.post(section_url(application), {**ABOUT, "tittel": "Mitt", "base_version": "0"},
                           headers={"HX-Request": "true"})  # fmt: skip
    text = visible_text(response)
    assert " lagret denne delen kl. " in text and "trykk «Lagre»" in text
    assert base_version(response) == ["0"]
    assert fresh(application).answers["tittel"] == ABOUT["tittel"]


def test_after_the_deadline_a_post_keeps_the_text_and_says_why(client):
    application = make_application()
    client.force_login(application.created_by)
    Application.objects.filter(pk=application.pk)  # the call's deadline moves into the past
    call = application.call
    call.opens_at, call.closes_at = _oslo_days_from_now(-20), timezone.now() - timedelta(seconds=1)
    call.save()
    response = client.post(section_url(application), {**ABOUT, "tittel": "Sent", "base_version": "0"})
    assert response.status_code == 200
    assert texts(response, "[role=alert] p")[0].startswith("Fristen var ")
    assert field_value(response, "Prosjekttittel") == "Sent"
    assert "tittel" not in fresh(application).answers
    page = parse(client.get(section_url(application)))
    assert not by_role(page, "textbox") and not select(page, "[name=tittel]")  # read-only after the deadline


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
    page = parse(client.get(section_url(application, "partnere")))
    assert texts(page, "#id_partnere .ds-label") == ["Partnere i prosjektet"]
    assert has_link(page, "Legg til og endre partnere", href=reverse("application-partners",
                                                                      args=[application.pk, "partnere"]))  # fmt: skip
    assert not base_version(page) and not select(page, "script[src*=htmx]")  # nothing to save here


# --- Check ------------------------------------------------------------------------------------------
def test_the_check_lists_what_is_missing_with_links_to_the_fields_grouped_by_section(client, private_storage):
    application = make_application()
    client.force_login(application.created_by)
    page = parse(client.get(reverse("application-check", args=[application.pk])))
    assert has_link(page, "Prosjekttittel", href=f"{section_url(application)}#id_tittel")
    need = section_url(application, "problemstilling-og-behov")
    assert has_link(page, "Deler flere offentlige virksomheter behovet?", href=f"{need}#id_delt-behov_0")
    partners_url = reverse("application-partners", args=[application.pk, "partnere"])
    assert has_link(page, "Partnere i prosjektet", href=partners_url)
    assert "Partnere i prosjektet: Må fylles ut." in texts(page, "main li")
    assert "Alt er klart" not in visible_text(page)
    ansvarlig = member_of(application, Membership.Role.ANSVARLIG)
    complete_application(application, ansvarlig)
    page = client.get(reverse("application-check", args=[application.pk]))
    assert "Alt er klart. Søknaden kan sendes inn." in visible_text(page)


# --- Copy -------------------------------------------------------------------------------------------
def test_copy_lists_open_calls_and_copies_a_sketch_into_the_full_application_stage(client):
    from applications.services import call_form_save
    from tests.example_forms import FULL_FORM, SHORT_FORM

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
    page = parse(client.get(url))
    full_form = full.forms.get()
    assert str(full_form.pk) in [radio.get("value") for radio in by_role(page, "radio")]
    assert closed.title not in visible_text(page)
    key = hidden_value(page, "creation_key")
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
