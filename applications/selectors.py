import copy
import hashlib
import json
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
