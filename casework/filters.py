"""The work queue's filters. Query parameters are Norwegian (they show in the address and the CSV
link): ``utlysning`` (call slug), ``status`` (internal state), ``fagekspert`` (an assigned
reviewer's id), ``karakter_fra``/``karakter_til`` (weighted score), ``mangler_vurdering``,
``forsinket``. The choices are limited to what the person handles; the queryset they filter is
already scoped by ``queue.queue_scope``, so a crafted value can only narrow what they may see."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from accounts.permissions import staff_access
from applications.models import Application
from applications.workflow import STAFF_VISIBLE_STATES, State
from portal.forms import DesignsystemetMixin, NorwegianNumberField
from portal.localized import localized
from review.figures import OPEN_ASSIGNMENT_STATES
from review.models import AssignmentState, ReviewAssignment
from review.selectors import PANEL_STATES

from .choices import queue_choices
from .queue import score_between

STATE_CHOICES = [(s.value, s.label) for s in State if s in STAFF_VISIBLE_STATES]


class ScoreField(NorwegianNumberField):
    default_error_messages = {
        **NorwegianNumberField.default_error_messages,
        "invalid": _("Skriv karakteren som et tall, for eksempel 4,5."),
    }

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=100, **kwargs)


class ScoreFilter(django_filters.Filter):
    field_class = ScoreField


class QueueFilterForm(DesignsystemetMixin, forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("karakter_fra"), cleaned.get("karakter_til")
        if low is not None and high is not None and low > high:
            self.add_error("karakter_til", _("«Karakter til» kan ikke være lavere enn «karakter fra»."))
        return cleaned


def _noop(queryset, name, value):
    return queryset  # applied in QueueFilter.filter_queryset


class QueueFilter(django_filters.FilterSet):
    # Choices from the cache (casework/choices.py), read once into lists for validating and rendering.
    utlysning = django_filters.ChoiceFilter(label=_("Utlysning"), field_name="call__slug", empty_label=_("Alle"))
    status = django_filters.ChoiceFilter(label=_("Status"), field_name="state", choices=STATE_CHOICES,
                                         empty_label=_("Alle"))  # fmt: skip
    fagekspert = django_filters.ChoiceFilter(label=_("Fagekspert"), empty_label=_("Alle"), method="filter_reviewer")
    karakter_fra = ScoreFilter(label=_("Karakter fra"), method=_noop)
    karakter_til = ScoreFilter(label=_("Karakter til"), method=_noop)
    mangler_vurdering = django_filters.BooleanFilter(
        label=_("Mangler vurderinger"), widget=forms.CheckboxInput, method="filter_missing_reviews"
    )
    forsinket = django_filters.BooleanFilter(
        label=_("Har forsinket vurdering"), widget=forms.CheckboxInput, method="filter_overdue"
    )

    class Meta:
        model = Application
        fields = []
        form = QueueFilterForm

    def __init__(self, data=None, queryset=None, *, user, today, **kwargs):
        super().__init__(data=data, queryset=queryset, **kwargs)
        self.today = today
        access = staff_access(user)
        calls, reviewers = queue_choices(handled_scheme_ids=access.handled_scheme_ids, all_schemes=access.all_schemes)
        self.filters["utlysning"].extra["choices"] = [(call["slug"], localized(call, "title")) for call in calls]
        self.filters["fagekspert"].extra["choices"] = reviewers

    @property
    def cleaned(self) -> dict:
        self.errors  # noqa: B018 - validates the form
        return self.form.cleaned_data

    def filter_reviewer(self, queryset, name, value):
        return queryset.filter(
            pk__in=ReviewAssignment.objects.filter(
                reviewer_id=int(value), state__in=[*OPEN_ASSIGNMENT_STATES, AssignmentState.SUBMITTED]
            ).values("application_id")
        )

    def filter_missing_reviews(self, queryset, name, value):
        # Reviews are expected once the application is past the formal check.
        if not value:
            return queryset
        return queryset.filter(state__in=PANEL_STATES, reviews_done__lt=F("reviews_wanted"))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(review_due_first__lt=self.today) if value else queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        low, high = self.cleaned.get("karakter_fra"), self.cleaned.get("karakter_til")
        if low is not None or high is not None:
            queryset = score_between(queryset, low=low, high=high)
        return queryset
