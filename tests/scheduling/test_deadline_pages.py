"""The deadline kinds where people see them: readable labels on the staff scheduler page, the
notices on Min side, and the call's reminder setting (parsed and validated)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from scheduling.models import Notice, ScheduledEffect
from scheduling.services import call_schedule
from schemes.models import Call
from schemes.reminders import normalise_offsets, parse_offsets
from tests.factories import CallFactory, MembershipFactory, StaffRoleFactory, UserFactory, make_application
from tests.otp import force_login_verified


def test_offsets_are_parsed_longest_first_without_duplicates():
    assert parse_offsets("2h, 7d,1d,7D") == [("7d", timedelta(days=7)), ("1d", timedelta(days=1)),
                                            ("2h", timedelta(hours=2))]  # fmt: skip
    assert parse_offsets("") == []
    assert normalise_offsets(" 2h,14d ") == "14d,2h"


@pytest.mark.parametrize("value", ["7x", "7", "d", "-1d", "0h", "91d", "7d;1d"])
def test_a_bad_offset_is_refused_with_the_part_named(value):
    with pytest.raises(ValidationError) as error:
        Call._meta.get_field("draft_reminders").clean(value, None)
    assert "«" in error.value.messages[0]


@pytest.mark.django_db
def test_the_staff_page_names_the_deadline_kinds(client):
    call = CallFactory(title="Klima 2027")
    call_schedule(call=call)
    officer = StaffRoleFactory(schemes=[call.scheme], agency=call.scheme.agencies.get()).user
    force_login_verified(client, officer)
    text = client.get(reverse("staff-scheduler")).text
    assert "Påminnelser til søkere med utkast, 7 dager før fristen" in text
    assert "Påminnelser til søkere med utkast, 2 timer før fristen" in text
    assert "Søknadsfristen går ut" in text
    assert f"draft-reminders:{call.pk}:1d" in text  # the key stays beside the label


@pytest.mark.django_db
def test_min_side_shows_a_reminder_and_a_deadline_summary(client, django_assert_max_num_queries):
    membership = MembershipFactory()
    application = make_application(organisation=membership.organisation, by_user=membership.user)
    user = membership.user
    now = timezone.now()
    for n in range(5):  # enough rows for an N+1 to show
        Notice.objects.create(user=user, kind=Notice.Kind.DRAFT_REMINDER, key=f"r{n}", call=application.call,
                              application=application, created_at=now,
                              data={"deadline": application.deadline.isoformat(), "offset": "1d"})  # fmt: skip
    summary = {"deadline": application.deadline.isoformat(), "submitted": 3}
    Notice.objects.create(user=UserFactory(), kind=Notice.Kind.DEADLINE_SUMMARY, key="s", call=application.call,
                          created_at=now, data=summary)  # fmt: skip  # someone else's: not shown
    client.force_login(user)
    with django_assert_max_num_queries(15):
        text = client.get(reverse("my-watches")).text
    assert text.count("er ikke sendt inn. Søknadsfrist") == 5
    assert "gikk ut" not in text
    assert ScheduledEffect.objects.count() == 0


@pytest.mark.django_db
def test_an_officer_reads_the_count(client):
    call = CallFactory(title="Klima 2027")
    officer = UserFactory()
    data = {"deadline": call.closes_at.isoformat(), "submitted": 3}
    Notice.objects.create(user=officer, kind=Notice.Kind.DEADLINE_SUMMARY, key="s", call=call,
                          created_at=timezone.now(), data=data)  # fmt: skip
    client.force_login(officer)
    text = client.get(reverse("my-watches")).text
    assert "Fristen for «Klima 2027» gikk ut" in text and "3 søknader sendt inn" in text


@pytest.mark.django_db
def test_officers_see_the_rows_about_applications_of_their_schemes_only():
    """Receipts, letters and review deadlines are about applications, assignments and offers, not
    calls: an officer sees those of the schemes they handle, and none of another scheme's."""
    from scheduling.models import ScheduledEffect
    from scheduling.selectors import scheduler_overview
    from tests.factories import AgencyFactory, SchemeFactory, StaffRoleFactory, make_application

    agency = AgencyFactory()
    mine, other = SchemeFactory(agencies=[agency]), SchemeFactory(agencies=[agency])
    officer = StaffRoleFactory(agency=agency, schemes=[mine]).user
    for scheme, key in ((mine, "mine"), (other, "other")):
        application = make_application(scheme=scheme)
        ScheduledEffect.objects.create(kind="application-receipt", key=f"receipt:{key}", due_at=application.created_at,
                                       target_type="application", target_id=application.pk)  # fmt: skip
    shown = {e.key for e in scheduler_overview(user=officer)["upcoming"]}
    assert "receipt:mine" in shown and "receipt:other" not in shown
