"""Watch lists and the staff scheduler page through the test client: who sees and may do what,
and pinned query counts with many rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from scheduling.models import Notice, ScheduledEffect, Watch
from schemes.models import Theme
from tests.factories import CallFactory, SchemeFactory, StaffRoleFactory, SuperuserFactory, UserFactory
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db


def effect_for(call, *, state="pending", key=None, **kwargs):
    return ScheduledEffect.objects.create(
        kind="call-open", key=key or f"call-open:{call.pk}", due_at=call.opens_at, state=state, target_type="call",
        target_id=call.pk, **kwargs,
    )  # fmt: skip


def test_following_a_scheme_from_its_page_and_unfollowing(client):
    user, scheme = UserFactory(), SchemeFactory(name="Klimaordningen")
    client.force_login(user)
    page = reverse("scheme-detail", args=[scheme.slug])
    assert "Følg ordningen" in client.get(page).text
    response = client.post(reverse("watch-follow"), {"scheme": scheme.slug, "next": page})
    assert response.status_code == 302 and response["Location"] == page
    client.post(reverse("watch-follow"), {"scheme": scheme.slug, "next": page})  # twice: still one
    watch = Watch.objects.get(user=user)
    assert watch.scheme == scheme
    text = client.get(page).text
    assert "Du følger ordningen" in text and "Du følger nå Klimaordningen" in text
    client.post(reverse("watch-unfollow", args=[watch.pk]), {"next": "https://evil.example/"})
    assert not Watch.objects.exists()


def test_following_a_theme_and_bad_input(client):
    user = UserFactory()
    theme = Theme.objects.create(slug="klima", name="Klima")
    client.force_login(user)
    response = client.post(reverse("watch-follow"), {"scheme": "finnes-ikke"}, follow=True)
    assert "Velg én ordning eller ett tema å følge." in response.text
    assert not Watch.objects.exists()  # nothing written on bad input
    client.post(reverse("watch-follow"), {"theme": "klima"})
    assert list(Watch.objects.values_list("user", "theme")) == [(user.pk, theme.pk)]


def test_nobody_unfollows_for_someone_else(client):
    owner, other = UserFactory(), UserFactory()
    watch = Watch.objects.create(user=owner, scheme=SchemeFactory())
    client.force_login(other)
    assert client.post(reverse("watch-unfollow", args=[watch.pk])).status_code == 404
    assert Watch.objects.filter(pk=watch.pk).exists()
    client.force_login(owner)
    assert client.post(reverse("watch-unfollow", args=[watch.pk])).status_code == 302
    assert not Watch.objects.filter(pk=watch.pk).exists()


def test_watch_page_query_count_with_many_rows(client, django_assert_max_num_queries):
    user = UserFactory()
    for n in range(30):
        Watch.objects.create(user=user, scheme=SchemeFactory())
        Watch.objects.create(user=user, theme=Theme.objects.create(slug=f"t{n}", name=f"Tema {n}"))
    for n, call in enumerate(CallFactory.create_batch(25)):
        Notice.objects.create(user=user, kind="call-opened", key=f"k{n}", call=call, created_at=timezone.now())
    SchemeFactory.create_batch(10)
    client.force_login(user)
    # session, user, watches, schemes, themes, notices (+ the middleware's staff/OTP look-ups)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("my-watches"))
    assert response.status_code == 200
    assert response.text.count("Slutt å følge") == 60
    with django_assert_max_num_queries(12):
        assert client.get(reverse("my-page")).status_code == 200


def test_officers_see_only_their_schemes_and_superusers_everything(client, django_assert_max_num_queries):
    scheme_x, scheme_y = SchemeFactory(name="Ordning X"), SchemeFactory(name="Ordning Y")
    officer_x = StaffRoleFactory(agency=scheme_x.agencies.get(), schemes=[scheme_x]).user
    for n in range(60):
        call = CallFactory(scheme=scheme_x if n % 2 else scheme_y, title=f"Utlysning {'X' if n % 2 else 'Y'}{n}")
        effect_for(call)
        effect_for(call, key=f"call-close:{call.pk}", state="failed", failed_at=timezone.now(),
                   failure_reason=f"SMTP nede {n}")  # fmt: skip
    force_login_verified(client, officer_x)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("staff-scheduler"))
    text = response.text
    assert "Utlysning X1" in text and "Utlysning Y0" not in text
    assert text.count("Prøv igjen") == 30 and "SMTP nede 1" in text and "SMTP nede 0" not in text
    force_login_verified(client, SuperuserFactory())
    text = client.get(reverse("staff-scheduler")).text
    assert text.count("Prøv igjen") == 50  # the page lists the 50 latest
    assert "Viser de 50 første av 60." in text


def test_retry_is_refused_for_another_schemes_row_then_allowed_for_its_officer(client):
    scheme_x, scheme_y = SchemeFactory(), SchemeFactory()
    agency = scheme_x.agencies.get()
    scheme_y.agencies.set([agency])
    officer_x = StaffRoleFactory(agency=agency, schemes=[scheme_x]).user
    officer_y = StaffRoleFactory(agency=agency, schemes=[scheme_y]).user
    effect = effect_for(CallFactory(scheme=scheme_x), state="failed", attempts=5, failure_reason="SMTP nede",
                        failed_at=timezone.now() - timedelta(hours=1))  # fmt: skip
    url = reverse("staff-scheduler-retry", args=[effect.pk])
    force_login_verified(client, officer_y)
    assert client.post(url).status_code == 404
    effect.refresh_from_db()
    assert (effect.state, effect.attempts, effect.failure_reason) == ("failed", 5, "SMTP nede")
    force_login_verified(client, officer_x)
    response = client.post(url, follow=True)
    assert "blir prøvd igjen ved neste kjøring" in response.text
    effect.refresh_from_db()
    assert (effect.state, effect.attempts, effect.failure_reason) == ("pending", 0, "")
