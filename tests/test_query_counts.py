"""Pinned query counts for the single-object pages of accounts and organisations that have no list
test of their own (the list pages pin theirs beside their other tests)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from organisations.models import Membership
from organisations.services import invitation_create
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["login", "password-reset", "password-reset-done", "password-reset-complete"])
def test_anonymous_account_pages(client, django_assert_max_num_queries, url_name):
    with django_assert_max_num_queries(0):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_the_invitation_link_page(client, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(organisation=ansvarlig.organisation, invited_by=ansvarlig.user, email="ny@example.no",
                          base_url="http://testserver/")  # fmt: skip
    link = re.search(r"/invitasjon/[^/\s]+/", mail.outbox[0].body).group(0)
    with django_assert_max_num_queries(2):  # the invitation (with organisation and inviter), is there an account
        response = client.get(link)
    assert response.status_code == 200
