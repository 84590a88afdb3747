import pytest
from django.core.management import CommandError, call_command

from accounts.models import StaffRole, User
from portal.management.commands.load_demo_data import DEMO_PASSWORD, DEMO_USERS
from schemes.models import Call, RuleSetVersion, Scheme

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates_and_prints_the_logins(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")
    out = capsys.readouterr().out
    assert User.objects.count() == len(DEMO_USERS)
    for email, *_ in DEMO_USERS:
        assert email in out
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in out
    # The eight schemes, each with calls and its first rule version, written by the demo superuser.
    assert Scheme.objects.count() == 8 and RuleSetVersion.objects.count() == 8
    assert {v.created_by.email for v in RuleSetVersion.objects.select_related("created_by")} == {
        "admin@demo.innovasjonsportalen.no"
    }
    assert Call.objects.open().exists() and Call.objects.upcoming().exists()
    officer = StaffRole.objects.get(user__email="sara.saksbehandler@demo.innovasjonsportalen.no")
    assert set(officer.schemes.values_list("slug", flat=True)) == {
        "innovasjonsprosjekt-offentlig-sektor", "offentlig-sektor-phd",
    }  # fmt: skip


def test_demo_data_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only for local use"):
        call_command("load_demo_data")
    assert User.objects.count() == 0
