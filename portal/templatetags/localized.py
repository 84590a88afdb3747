"""``{% load localized %}{{ scheme|localized:"name" }}``: admin-written text in the active language."""

from django import template

from portal.localized import localized as localized_text

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    return localized_text(obj, field) if obj is not None else ""
