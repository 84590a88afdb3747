import copy
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .formdef import FormDefinition
from .models import CallForm

SNAPSHOT_FORMAT = 1


def call_form_for(*, call, stage=None) -> CallForm | None:
    """The form of ``call`` (of ``stage``, when the call has stages), or None when none is made yet."""
    return CallForm.objects.filter(call=call, stage=stage).select_related("call", "stage").first()


def call_forms_of(*, call) -> list[CallForm]:
    return list(CallForm.objects.filter(call=call).select_related("call", "stage").order_by("stage__order"))


def definition_hash(definition: dict[str, Any]) -> str:
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def definition_snapshot(call_form: CallForm) -> dict[str, Any]:
    """What an application stores when it is created: its own copy of the form definition.

    A deep copy, so later edits to the call's form never change (or break) an application in
    progress; ``sha256`` over the canonical JSON tells whether two applications were written in
    the same form, and ``taken_at`` and ``call_form_id`` where and when the copy came from::

        {"format": 1, "call_form_id": 7, "taken_at": "2026-11-24T07:10:00+00:00",
         "sha256": "…", "definition": {"sections": [...]}}

    The definition is read back with ``FormDefinition.from_json(snapshot["definition"])``.
    """
    definition = copy.deepcopy(call_form.definition)
    FormDefinition.from_json(definition)  # never copy a form that cannot be read back
    return {
        "format": SNAPSHOT_FORMAT,
        "call_form_id": call_form.pk,
        "taken_at": call_form.updated_at.isoformat(),
        "sha256": definition_hash(definition),
        "definition": definition,
    }


def call_form_targets(*, user) -> list[tuple[Any, Any]]:
    """Every (call, stage) whose form ``user`` may edit, newest deadline first; stage is None for a
    call without stages. For the admin's «new form» choice."""
    from accounts.permissions import staff_access
    from schemes.models import Call

    access = staff_access(user)
    calls = Call.objects.select_related("scheme").prefetch_related("stages").order_by("-closes_at", "title")
    if not access.all_schemes:
        agencies = access.admin_agency_ids
        calls = calls.filter(scheme__agencies__in=agencies).distinct()
    return [(call, stage) for call in calls for stage in (list(call.stages.all()) or [None])]


# --- Applications -------------------------------------------------------------------------------
def access_application(*, user, pk: int):
    """The application, if the person may see it (``permissions.can_view_application``); 404
    otherwise, so its existence is not revealed."""
    from django.http import Http404

    from .models import Application
    from .permissions import can_view_application

    application = (
        Application.objects.select_related("call__scheme", "stage", "organisation", "updated_by").filter(pk=pk).first()
    )
    if application is None or not can_view_application(user, application):
        raise Http404
    return application


def application_file_owner_check(user, stored_file) -> bool | None:
    """The attachments app's owner check: a file in an application's slot may be downloaded by
    whoever may see that application (applicants, partners, staff handling the call)."""
    from .models import Application
    from .permissions import can_view_application

    applications = Application.objects.filter(files__stored_file=stored_file).select_related("call__scheme").distinct()
    found = list(applications)
    if not found:
        return None
    return any(can_view_application(user, application) for application in found)


def register_file_owner_check() -> None:
    from attachments.permissions import register_owner_check

    register_owner_check(application_file_owner_check)


def application_timeline(*, application, include_internal: bool = False):
    """The timeline; ``include_internal`` (staff handling the scheme only) adds the agency's audit
    rows (reviewers, scores, decisions in preparation, downloads)."""
    events = application.events.select_related("actor").order_by("at", "pk")
    return events if include_internal else events.filter(internal=False)


def application_versions(*, application):
    return application.versions.select_related("submitted_by").order_by("-number")


# --- «Mine søknader» (views/submission.py) ------------------------------------------------------
LIST_PAGE_SIZE = 25


@dataclass(frozen=True)
class ApplicationListPage:
    filterset: Any
    page: Any
    now: datetime
    has_any: bool  # the person has applications at all (else the page explains how to start one)

    @property
    def count(self) -> int:
        return self.page.paginator.count


def applications_of_person(
    *, user, data, page_number: str | int | None = 1, now: datetime | None = None
) -> ApplicationListPage:
    """One page of the applications of the person's organisations, and of those their
    organisations are partners in (``is_partner`` on each row), filtered by ``data``
    (``filters.ApplicationFilter``), last changed first. A constant number of queries."""
    from django.core.paginator import Paginator
    from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
    from django.utils import timezone

    from .filters import ApplicationFilter
    from .models import Application, ApplicationPartner
    from .permissions import organisation_roles

    now = now or timezone.now()
    organisation_ids = sorted(organisation_roles(user))
    partner_of = ApplicationPartner.objects.filter(application=OuterRef("pk"), organisation_id__in=organisation_ids)
    mine = (
        Application.objects.filter(Q(organisation_id__in=organisation_ids) | Exists(partner_of))
        if organisation_ids
        else Application.objects.none()
    )
    filterset = ApplicationFilter(data=data, queryset=mine, organisation_ids=organisation_ids)
    rows = (
        filterset.qs.annotate(
            is_partner=ExpressionWrapper(~Q(organisation_id__in=organisation_ids), output_field=BooleanField())
        )
        .select_related("call", "stage", "organisation", "updated_by")
        .only(
            "id", "title", "reference", "state", "updated_at", "submitted_at", "organisation_id", "call_id",
            "stage_id", "updated_by_id",
            "call__id", "call__slug", "call__title", "call__title_nn", "call__title_en", "call__closes_at",
            "stage__id", "stage__kind", "stage__closes_at",
            "organisation__id", "organisation__name", "organisation__org_number",
            "updated_by__id", "updated_by__full_name", "updated_by__email",
        )
        .order_by("-updated_at", "-pk")
    )  # fmt: skip
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(page_number)
    has_any = page.paginator.count > 0 or (bool(organisation_ids) and mine.exists())
    return ApplicationListPage(filterset=filterset, page=page, now=now, has_any=has_any)
