"""The planner's filters (the staff page «Planlegger»): ``utlysning`` (a call's slug), ``type`` (an
effect kind), ``tilstand`` (a row state; «Venter» when none is chosen). The call's choices are the
calls the person handles; the queryset is already scoped to them, so a crafted value only narrows."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.permissions import staff_access
from portal.forms import DesignsystemetMixin
from portal.localized import localized
from schemes.models import Call

from .models import EffectState, ScheduledEffect


class EffectFilterForm(DesignsystemetMixin, forms.Form):
    pass


class EffectFilter(django_filters.FilterSet):
    utlysning = django_filters.ChoiceFilter(label=_("Utlysning"), empty_label=_("Alle"), method="filter_call")
    type = django_filters.ChoiceFilter(label=_("Type"), field_name="kind", empty_label=_("Alle"))
    # Applied by the selector (it also lists the failed rows of the same call and kind).
    tilstand = django_filters.ChoiceFilter(label=_("Tilstand"), choices=EffectState.choices, empty_label=None,
                                           method=lambda queryset, name, value: queryset)  # fmt: skip

    class Meta:
        model = ScheduledEffect
        fields = []
        form = EffectFilterForm

    def __init__(self, data=None, queryset=None, *, user, kinds: dict, **kwargs):
        if data is not None and not data.get("tilstand"):
            data = data.copy()
            data["tilstand"] = EffectState.PENDING
        super().__init__(data=data if data is not None else {"tilstand": EffectState.PENDING}, queryset=queryset,
                         **kwargs)  # fmt: skip
        access = staff_access(user)
        calls = Call.objects.only("pk", "slug", "title", "title_nn", "title_en").order_by("-closes_at", "title")
        if not access.all_schemes:
            calls = calls.filter(scheme_id__in=sorted(access.handled_scheme_ids))
        self.calls = {call.slug: call for call in calls}
        self.filters["utlysning"].extra["choices"] = [(slug, localized(c, "title")) for slug, c in self.calls.items()]
        self.filters["type"].extra["choices"] = list(kinds.items())

    def filter_call(self, queryset, name, value):
        from .selectors import effects_of_call

        call = self.calls.get(value)
        return effects_of_call(queryset, call_id=call.pk) if call else queryset.none()
