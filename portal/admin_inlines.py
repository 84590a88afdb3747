"""The «Legg til …» link under an admin inline, naming the row as its model names itself."""

import json

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.forms.utils import pretty_name
from django.utils.translation import gettext

# Django's msgid, translated by Django and by locale/django-overrides; passed to gettext() as a name,
# not a literal, so that `make messages` does not copy it into our own catalogue.
ADD_ANOTHER = "Add another %(verbose_name)s"


class _InlineAdminFormSet(helpers.InlineAdminFormSet):
    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        # Django capitalises the name («Legg til ny Trinn»); our verbose names are written as they
        # read mid-sentence («Legg til trinn», with locale/django-overrides dropping the «ny»).
        data["options"]["addText"] = gettext(ADD_ANOTHER) % {"verbose_name": self.opts.verbose_name}
        return json.dumps(data)


class InlineNamesMixin:
    """For a ModelAdmin with inlines: their add links say «Legg til trinn», not «Legg til ny Trinn»."""

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_admin_formset in inline_admin_formsets:
            # Only a method differs, so the object Django built is kept and given the subclass.
            inline_admin_formset.__class__ = _InlineAdminFormSet
        return inline_admin_formsets


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs have names: the table shows each field's label only as a
    column heading, which names no input in the cells below it (axe: label, select-name). Each
    input is named by its label (aria-label), the delete box by Django's «Slett»; the split date and
    time keep the «Dato:»/«Tid:» labels Django gives them."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for name, field in form.fields.items():
                    if field.widget.is_hidden or isinstance(field.widget, forms.MultiWidget):
                        continue
                    field.widget.attrs.setdefault("aria-label", str(field.label or pretty_name(name)))

        return LabelledFormSet
