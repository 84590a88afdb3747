import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from organisations.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_kommune_must_name_its_municipality_and_nothing_is_saved_without_it():
    org = Organisation(name="Bergen kommune", org_number="964338531", kind="kommune")
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert "municipality" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        org.save()
    assert not Organisation.objects.exists()
    org.municipality_id = "4601"
    org.full_clean()
    org.save()


def test_a_duplicate_organisation_number_gets_a_norwegian_message():
    OrganisationFactory(org_number="964338531")
    duplicate = Organisation(name="Bergen kommune igjen", org_number="964338531", kind="statlig")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.message_dict["org_number"] == [
        "En organisasjon med dette organisasjonsnummeret er allerede registrert."
    ]


def test_an_invalid_number_is_refused_by_the_model():
    with pytest.raises(ValidationError) as error:
        Organisation(name="X", org_number="964338532", kind="statlig").full_clean()
    assert "Kontrollsifferet" in error.value.message_dict["org_number"][0]
