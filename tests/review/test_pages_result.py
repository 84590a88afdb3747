"""The applicant's «Vedtak og tilbud» page through the Django client: the decision and the letter,
what the call shares of the assessment (never who wrote it, never internal comments), the offer's
answer by the ansvarlig only, and the formal rejection with its reasons and appeal deadline."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.workflow import State
from organisations.models import Membership
from review.models import Offer, Outcome, ReviewSettings
from review.services import consensus_set, decision_confirm, decision_prepare, formal_check_record
from tests.factories import MembershipFactory
from tests.review.test_pages_case import as_staff
from tests.review.test_review_services import assessed, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered(call_world):
    application = assessed(call_world)  # one review: scores 5 and 5, comments «Kommentar 5»
    first, second = call_world["officers"]
    consensus_set(
        application_id=application.pk,
        criterion_id=call_world["criteria"][0].pk,
        score=6,
        comment="Intern merknad fra panelet",
        by_user=first,
    )
    decision = decision_prepare(
        application_id=application.pk,
        by_user=first,
        outcome=Outcome.APPROVE,
        granted_amount=Decimal(450_000),
        comment="Prosjektet svarer godt på utlysningen.",
    )
    decision_confirm(decision_id=decision.pk, by_user=second)
    last_day = timezone.localdate() + timedelta(days=20)
    deadline = timezone.make_aware(datetime.combine(last_day, time(23, 59, 59)))
    Offer.objects.filter(application=application).update(deadline=deadline)
    application.refresh_from_db()
    return application


def offer_url(application):
    return reverse("application-offer", args=[application.pk])


def test_the_ansvarlig_sees_the_decision_the_offer_and_what_the_call_shares(client, call_world, offered):
    client.force_login(offered.ansvarlig)
    response = client.get(offer_url(offered))
    assert response.status_code == 200
    page = response.text
    assert "Vedtak og tilbud" in page and "Innvilg" in page
    assert "450\xa0000 kr" in page
    # The deadline the fixture stored, not a second reading of the clock (which may be past midnight).
    deadline = timezone.localtime(Offer.objects.get(application=offered).deadline).strftime("%d.%m.%Y")
    assert f"{deadline} kl. 23:59" in page
    assert "Prosjektet svarer godt på utlysningen." in page
    assert reverse("application-decision-letter", args=[offered.pk]) in page
    assert "Vi aksepterer tilbudet" in page
    assert ">6<" in page  # the consensus score is shared by default
    reviewer_names = [u.full_name for u in call_world["reviewers"]]
    officer_names = [u.full_name for u in call_world["officers"]]
    for name in reviewer_names + officer_names:
        assert name not in page
    assert "Intern merknad fra panelet" not in page
    assert "Kommentar 5" not in page  # the call does not share comments by default


def test_shared_comments_never_say_who_wrote_them(client, call_world, offered):
    ReviewSettings.objects.create(call=call_world["call"], share_comments=True)
    client.force_login(offered.ansvarlig)
    page = client.get(offer_url(offered)).text
    assert "Kommentar 5" in page
    assert call_world["reviewers"][0].full_name not in page
    assert "Intern merknad fra panelet" not in page


def test_only_the_applicant_s_people_see_the_page(client, call_world, offered):
    partner = MembershipFactory()
    offered.partners.create(organisation=partner.organisation, role="partner", question_key="partnere")
    stranger = MembershipFactory().user
    for user in (partner.user, stranger):
        client.force_login(user)
        assert client.get(offer_url(offered)).status_code == 404
        assert client.get(reverse("application-decision-letter", args=[offered.pk])).status_code == 404
    as_staff(client, call_world["officers"][0])
    assert client.get(offer_url(offered)).status_code == 404
    client.logout()
    response = client.get(offer_url(offered))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_member_who_is_not_ansvarlig_sees_but_cannot_answer(client, call_world, offered):
    member = MembershipFactory(organisation=offered.organisation, role=Membership.Role.MEMBER).user
    client.force_login(member)
    page = client.get(offer_url(offered)).text
    assert "450\xa0000 kr" in page and "Vi aksepterer tilbudet" not in page
    assert "Bare administrativt ansvarlig i organisasjonen kan svare på tilbudet." in page
    response = client.post(reverse("application-offer-answer", args=[offered.pk]), {"answer": "aksepter"})
    assert response.status_code == 403
    assert Application.objects.get(pk=offered.pk).state == State.OFFER_SENT
    client.force_login(offered.ansvarlig)
    assert (
        client.post(reverse("application-offer-answer", args=[offered.pk]), {"answer": "aksepter"}).status_code == 302
    )
    assert Application.objects.get(pk=offered.pk).state == State.IN_REPORTING  # accepted, then reporting
    page = client.get(offer_url(offered)).text
    assert "Akseptert" in page and "Send svaret" not in page


def test_declining_needs_a_reason(client, offered):
    client.force_login(offered.ansvarlig)
    url = reverse("application-offer-answer", args=[offered.pk])
    response = client.post(url, {"answer": "takk-nei", "reason": "  "})
    assert response.status_code == 200 and "Skriv hvorfor dere takker nei." in response.text
    assert Application.objects.get(pk=offered.pk).state == State.OFFER_SENT
    response = client.post(url, {"answer": "takk-nei", "reason": "Fikk annen finansiering"})
    assert response.status_code == 302
    assert Application.objects.get(pk=offered.pk).state == State.OFFER_DECLINED
    assert Offer.objects.get().answer == Offer.Answer.DECLINED


def test_the_letter_is_a_pdf_in_the_reader_s_language(client, offered):
    client.force_login(offered.ansvarlig)
    response = client.get(reverse("application-decision-letter", args=[offered.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_before_a_decision_there_is_nothing_to_see_and_no_letter(client, call_world):
    application = submitted(call_world)
    client.force_login(application.ansvarlig)
    page = client.get(offer_url(application)).text
    assert "Det er ikke gjort vedtak i saken ennå." in page
    assert client.get(reverse("application-decision-letter", args=[application.pk])).status_code == 404


def test_a_prepared_decision_stays_hidden_until_confirmed(client, call_world):
    application = assessed(call_world)
    decision_prepare(
        application_id=application.pk, by_user=call_world["officers"][0], outcome=Outcome.REJECT, comment="Svak"
    )
    client.force_login(application.ansvarlig)
    page = client.get(offer_url(application)).text
    assert "Det er ikke gjort vedtak i saken ennå." in page and "Svak" not in page


def test_a_formal_rejection_shows_the_reasons_and_the_appeal_deadline(client, call_world):
    application = submitted(call_world)
    check = formal_check_record(
        application_id=application.pk,
        by_user=call_world["officers"][0],
        approved=False,
        reasons=["mangler-vedlegg", "budsjett"],
        comment="CV-en mangler, og budsjettet er for høyt.",
    )
    client.force_login(application.ansvarlig)
    page = client.get(offer_url(application)).text
    assert "Påkrevd vedlegg mangler" in page and "Budsjettet følger ikke utlysningens regler" in page
    assert "CV-en mangler, og budsjettet er for høyt." in page
    assert f"innen {check.appeal_deadline:%d.%m.%Y}" in page


def test_the_offer_page_has_a_fixed_number_of_queries(client, offered, django_assert_max_num_queries):
    client.force_login(offered.ansvarlig)
    client.get(offer_url(offered))
    with django_assert_max_num_queries(14):
        assert client.get(offer_url(offered)).status_code == 200


def test_the_overview_links_to_the_result_once_there_is_one(client, call_world):
    from django.urls import reverse

    from tests.review.test_review_services import submitted

    application = submitted(call_world)
    client.force_login(application.ansvarlig)
    result_url = reverse("application-offer", args=[application.pk])
    assert result_url not in client.get(reverse("application-detail", args=[application.pk])).text
    from review.services import formal_check_record

    formal_check_record(application_id=application.pk, by_user=call_world["officers"][0], approved=False,
                        reasons=["ufullstendig"], comment="Mangler plan")  # fmt: skip
    assert result_url in client.get(reverse("application-detail", args=[application.pk])).text
