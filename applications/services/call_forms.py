from django.db import transaction
from django.utils import timezone

from ..models import CallForm


@transaction.atomic
def call_form_save(*, call, stage=None, definition: dict, by_user) -> CallForm:
    """Create or replace the form of ``call`` (of ``stage``). Raises ``ValidationError`` naming the
    section and question for a definition that cannot be used; nothing is written then.

    Applications already created keep their own copy (``selectors.definition_snapshot``).
    """
    call_form = CallForm.objects.select_for_update().filter(call=call, stage=stage).order_by("pk").first()
    call_form = call_form or CallForm(call=call, stage=stage)
    call_form.definition = definition
    call_form.updated_at = timezone.now()
    call_form.updated_by = by_user
    call_form.full_clean()
    call_form._history_user = by_user  # the configuration history's «who», also outside a request
    call_form.save()
    return call_form
