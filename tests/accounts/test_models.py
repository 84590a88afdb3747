import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_stored_lower_case():
    user = User.objects.create_user("Kari.Nordmann@Bergen.Kommune.NO", "et-langt-passord-123", full_name="Kari")
    assert user.email == "kari.nordmann@bergen.kommune.no"
    assert User.objects.get_by_natural_key("KARI.NORDMANN@bergen.kommune.no") == user
    assert user.check_password("et-langt-passord-123")


def test_the_same_email_in_other_case_is_refused_and_nothing_is_written():
    User.objects.create_user("ola@example.no", "et-langt-passord-123")
    with pytest.raises(ValidationError):
        User.objects.create_user("OLA@example.no", "et-langt-passord-123")
    # Even bypassing the manager, the database refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Ola@Example.no")])
    assert User.objects.count() == 1


def test_superuser_is_staff():
    admin = User.objects.create_superuser("admin@example.no", "et-langt-passord-123")
    assert admin.is_staff and admin.is_superuser
