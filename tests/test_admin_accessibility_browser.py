"""The admin pages scheme administrators work in pass axe-core (WCAG 2.1 A and AA) with no rule
turned off: schemes, calls with their stages and criteria, the rule editor, the form editor and
a call's history."""

import pytest
from django.urls import reverse

from applications.admin import editor_url, preview_url
from schemes.models import CallStage
from tests.accessibility import assert_accessible
from tests.browser import log_in
from tests.factories import DEFAULT_PASSWORD, AssessmentCriterionFactory, SuperuserFactory, call_with_form
from tests.otp import totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_pages(call) -> dict[str, str]:
    scheme = call.scheme
    return {
        "schemes": reverse("admin:schemes_scheme_changelist"),
        "scheme": reverse("admin:schemes_scheme_change", args=[scheme.pk]),
        "scheme rules": reverse("admin:schemes_scheme_rules", args=[scheme.pk]),
        "calls": reverse("admin:schemes_call_changelist"),
        "new call": reverse("admin:schemes_call_add"),
        "call": reverse("admin:schemes_call_change", args=[call.pk]),
        "call rules": reverse("admin:schemes_call_rules", args=[call.pk]),
        "call forms": reverse("admin:applications_callform_changelist"),
        "form editor": editor_url(call),
        "form preview": preview_url(call),
        "review settings": reverse("admin:review_reviewsettings_add"),  # the call chosen by autocomplete
        "call history": reverse("admin:schemes_call_history", args=[call.pk]),  # with its criteria's changes
    }


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_scheme_admins_pages_have_no_axe_violations(page, site_url, language):
    call = call_with_form()
    criterion = AssessmentCriterionFactory(call=call, order=1, weight=100)
    criterion.name = "Endret navn"
    criterion.save()  # a change with a diff in the call's history
    CallStage.objects.create(call=call, order=1, kind=CallStage.Kind.values[0], closes_at=call.closes_at)
    admin = SuperuserFactory(language=language)
    log_in(page, site_url, admin.email, DEFAULT_PASSWORD, device=totp_device(admin), next_url=reverse("admin:index"))
    failures = []
    for name, url in admin_pages(call).items():
        response = page.goto(site_url + url)
        assert response.status == 200, (name, url, response.status)
        try:
            assert_accessible(page, context=f"{name} ({language})")
        except pytest.fail.Exception as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)
