"""The admin's «Historikk» of configuration: who changed what and when (django-simple-history),
with each change's fields as «old → new». An object edited together with its inlines (a call's
stages and criteria, a person's staff roles) shows their changes on the same page, deleted rows
included, since the inlines have no admin page of their own.

The records are written by simple-history's signals on every ``save()``/``delete()``: through the
admin (the request's user, ``HistoryRequestMiddleware``) and through services (the user set on the
instance as ``_history_user``, or the request's user when a view calls them). ``QuerySet.update``
writes none, so configuration is never changed that way."""

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

RELATED_LIMIT = 200


class RelatedHistoryMixin:
    """For a ModelAdmin: its «Historikk» page also lists the recorded changes of ``history_related``
    (for a model without history of its own, under Django's log of admin actions)."""

    object_history_template = "admin/history_of_related.html"
    # (model label, name of its foreign key to this admin's object), for the related sections.
    history_related: tuple[tuple[str, str], ...] = ()

    def history_view(self, request, object_id, extra_context=None):
        # Only objects within this person's scope (an agency's administrator: the agency's calls).
        # simple-history would otherwise rebuild an object it cannot find from its last record and
        # ask the model-wide permission, which would open another agency's deleted call.
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404
        sections = [related_history(label, key, unquote(object_id)) for label, key in self.history_related]
        return super().history_view(request, object_id, extra_context={**(extra_context or {}), "related": sections})


class HistoryAdmin(RelatedHistoryMixin, SimpleHistoryAdmin):
    """For a model with ``history = HistoricalRecords()``: its own changes, then the related ones."""

    object_history_template = "admin/history_with_related.html"
    object_history_list_template = "admin/history_list.html"  # the portal's words, «–» for nobody


def related_history(label: str, key: str, object_id) -> dict:
    model = apps.get_model(label)
    records = list(
        model.history.filter(**{f"{key}_id": object_id})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:RELATED_LIMIT]
    )
    previous_of_row = {}
    for record in reversed(records):  # oldest first: each change is diffed against the row's last one
        previous = previous_of_row.get(record.id)
        if previous is not None:
            delta = record.diff_against(previous)
            record.history_delta_changes = HistoricalRecordContextHelper(model, record).context_for_delta_changes(delta)
        previous_of_row[record.id] = record
    return {"title": model._meta.verbose_name_plural, "records": records}
