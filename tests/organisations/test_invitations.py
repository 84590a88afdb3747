"""Invitations by e-mail: the link works once and until it expires; bad input is explained and changes nothing."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from organisations.models import Invitation, Membership
from organisations.services import invitation_create, invitation_token_hash
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ansvarlig():
    return MembershipFactory(role=Membership.Role.ANSVARLIG, organisation__name="Bergen kommune (test)")


def _invite(client, membership, django_capture_on_commit_callbacks, **data):
    client.force_login(membership.user)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("organisation-invite", args=[membership.organisation.org_number]), data)


def _link(message) -> str:
    return re.search(r"https?://\S+/invitasjon/[^/\s]+/", message.body).group(0)


def test_a_member_invites_a_colleague_who_creates_an_account_and_joins(client, django_capture_on_commit_callbacks):
    member = MembershipFactory(user__full_name="Kari Nordmann")
    response = _invite(client, member, django_capture_on_commit_callbacks, email="Ola.Ny@Bergen.Kommune.no")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["ola.ny@bergen.kommune.no"]
    assert member.organisation.name in message.subject
    assert "Kari Nordmann har invitert deg" in message.body
    link = _link(message)
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == invitation_token_hash(token) and token not in invitation.token_hash

    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "Lag bruker og bli med" in page.text
    response = client.post(link, {"full_name": "Ola Ny", "password1": "et-godt-passord-2026", "password2":
                                  "et-godt-passord-2026"})  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(email="ola.ny@bergen.kommune.no")
    assert user.memberships.get().role == Membership.Role.MEMBER
    assert client.get(reverse("my-page")).status_code == 200  # logged in

    client.logout()
    reused = client.post(link, {"full_name": "Noen Andre", "password1": "x", "password2": "x"})
    assert reused.status_code == 410
    assert "allerede brukt" in reused.text
    assert User.objects.count() == 2


def test_a_weak_password_keeps_what_was_typed_and_creates_nothing(
    client, ansvarlig, django_capture_on_commit_callbacks
):
    _invite(client, ansvarlig, django_capture_on_commit_callbacks, email="ny@example.no", role="member")
    link = _link(mail.outbox[0])
    client.logout()
    response = client.post(link, {"full_name": "Ny Person", "password1": "password123", "password2": "password123"})
    assert response.status_code == 200
    assert "Ny Person" in response.text
    assert "password123" not in response.text
    assert "vanlig" in response.text.lower()  # Django's common-password message, in Norwegian
    assert not User.objects.filter(email="ny@example.no").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_expired_link_says_when_it_expired_and_changes_nothing(
    client, ansvarlig, django_capture_on_commit_callbacks
):
    _invite(client, ansvarlig, django_capture_on_commit_callbacks, email="ny@example.no", role="member")
    link = _link(mail.outbox[0])
    client.logout()
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        response = client.post(link, {"full_name": "Ny", "password1": "et-godt-passord-2026",
                                      "password2": "et-godt-passord-2026"})  # fmt: skip
    assert response.status_code == 410
    assert "Invitasjonen gikk ut" in response.text
    assert not User.objects.filter(email="ny@example.no").exists()


def test_a_resend_replaces_the_old_link_and_a_revoked_link_stops_working(
    client, ansvarlig, django_capture_on_commit_callbacks
):
    _invite(client, ansvarlig, django_capture_on_commit_callbacks, email="ny@example.no", role="member")
    _invite(client, ansvarlig, django_capture_on_commit_callbacks, email="ny@example.no", role="ansvarlig")
    old, new = _link(mail.outbox[0]), _link(mail.outbox[1])
    assert Invitation.objects.pending().get().role == Membership.Role.ANSVARLIG
    client.logout()
    assert "erstattet av en nyere" in client.get(old).text
    assert client.get(new).status_code == 200

    client.force_login(ansvarlig.user)
    invitation = Invitation.objects.pending().get()
    url = reverse("invitation-revoke", args=[ansvarlig.organisation.org_number, invitation.pk])
    assert client.post(url).status_code == 302
    client.logout()
    assert client.get(new).status_code == 410


def test_an_invitation_is_accepted_only_by_the_person_it_was_sent_to(
    client, ansvarlig, django_capture_on_commit_callbacks
):
    invited = UserFactory(email="invitert@example.no")
    _invite(client, ansvarlig, django_capture_on_commit_callbacks, email=invited.email, role="member")
    link = _link(mail.outbox[0])
    stranger = UserFactory()
    client.force_login(stranger)
    response = client.post(link)
    assert response.status_code == 410
    assert "Invitasjonen gjelder invitert@example.no" in response.text
    assert not ansvarlig.organisation.memberships.filter(user=stranger).exists()
    assert Invitation.objects.get().accepted_at is None

    client.logout()
    assert "Logg inn for å godta" in client.get(link).text
    client.force_login(invited)
    assert client.post(link).status_code == 302
    assert ansvarlig.organisation.memberships.get(user=invited).role == Membership.Role.MEMBER


def test_bad_invitations_get_norwegian_errors_and_keep_what_was_typed(client, django_capture_on_commit_callbacks):
    member = MembershipFactory()
    response = _invite(client, member, django_capture_on_commit_callbacks, email="ikke-en-epost")
    assert response.status_code == 200
    assert "Skriv en gyldig e-postadresse" in response.text
    assert 'value="ikke-en-epost"' in response.text

    response = _invite(client, member, django_capture_on_commit_callbacks, email=member.user.email)
    assert response.status_code == 200
    assert "er allerede medlem av" in response.text

    # A member invites members only; asking for ansvarlig is refused, not silently changed.
    response = _invite(client, member, django_capture_on_commit_callbacks, email="ny@example.no", role="ansvarlig")
    assert response.status_code == 200
    assert "Du kan bare invitere som medlem" in response.text
    assert not Invitation.objects.exists() and not mail.outbox


def test_the_invitation_mail_is_in_the_invitee_s_language(ansvarlig, django_capture_on_commit_callbacks):
    UserFactory(email="nynorsk@example.no", language="nn")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(organisation=ansvarlig.organisation, invited_by=ansvarlig.user, email="nynorsk@example.no",
                          base_url="http://testserver/")  # fmt: skip
    assert "Lenkja verkar éin gong" in mail.outbox[0].body


def test_min_side_lists_my_invitations_and_accepts_or_declines(
    client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    me = UserFactory()
    for _ in range(15):
        inviter = MembershipFactory(role=Membership.Role.ANSVARLIG)
        with django_capture_on_commit_callbacks(execute=True):
            invitation_create(organisation=inviter.organisation, invited_by=inviter.user, email=me.email,
                              base_url="http://testserver/")  # fmt: skip
    client.force_login(me)
    with django_assert_max_num_queries(9):  # 15 invitations add no queries (+1: the latest notices)
        response = client.get(reverse("my-page"))
    assert response.text.count('name="action" value="accept"') == 15

    first, second = Invitation.objects.order_by("pk")[:2]
    response = client.post(reverse("my-invitation-respond", args=[first.pk]), {"action": "accept"})
    assert response.status_code == 302
    assert me.memberships.filter(organisation=first.organisation).exists()
    client.post(reverse("my-invitation-respond", args=[second.pk]), {"action": "decline"})
    second.refresh_from_db()
    assert second.revoked_at is not None
    assert not me.memberships.filter(organisation=second.organisation).exists()
    # Accepting a used invitation again is explained, and nothing changes.
    response = client.post(reverse("my-invitation-respond", args=[first.pk]), {"action": "accept"}, follow=True)
    assert "allerede brukt" in response.text


def test_a_mail_that_cannot_be_sent_leaves_no_invitation_and_says_so(client, ansvarlig, monkeypatch):
    import smtplib

    from django.core.mail import EmailMultiAlternatives

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("the mail server went away")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)  # the outside world's mail server
    client.force_login(ansvarlig.user)
    url = reverse("organisation-invite", args=[ansvarlig.organisation.org_number])
    response = client.post(url, {"email": "ny@example.no", "role": "member"})
    assert response.status_code == 200
    assert "Vi fikk ikke sendt e-posten til ny@example.no" in response.text
    assert 'value="ny@example.no"' in response.text
    assert not Invitation.objects.exists()
