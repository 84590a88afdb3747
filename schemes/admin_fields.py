"""Admin form fields that let administrators type structured scheme content as plain text."""

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

_STEP_LINE = re.compile(r"^\s*(\d{1,3})\s*[:=–-]\s*(.*?)\s*$")


class ScaleLabelsField(forms.CharField):
    """The names of a criterion's scale steps, one a line: «1: Dårlig», «7: Fremragende».

    Stored as the criterion's JSON object from step to name (``{"1": "Dårlig", "7": "Fremragende"}``),
    as before; a JSON object typed in is still read, so nothing else changes. Whether the steps lie
    on the scale is the model's check (``AssessmentCriterion.clean``).
    """

    default_help_text = _(
        "Ett trinn på hver linje: tallet, kolon og navnet, for eksempel «1: Dårlig» og «7: Fremragende». "
        "Trinn uten navn vises bare med tallet."
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs["help_text"] = self.default_help_text
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "cols": 40}))
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            steps = sorted(value.items(), key=lambda item: _step_order(item[0]))
            return "\n".join(f"{step}: {name}" for step, name in steps)
        return value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            return value
        text = (value or "").strip()
        if not text:
            return {}
        if text[0] in "{[":  # JSON, as the field took before
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                raise ValidationError(
                    _("Skriv ett trinn på hver linje, for eksempel «7: Fremragende»."), code="invalid"
                ) from None
        labels: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            match = _STEP_LINE.match(line)
            if not match or not match.group(2):
                raise ValidationError(
                    _("Linje %(line)s: skriv trinnet, kolon og navnet, for eksempel «7: Fremragende»."),
                    code="invalid",
                    params={"line": number},
                )
            step = str(int(match.group(1)))
            if step in labels:
                raise ValidationError(
                    _("Trinn %(step)s har fått navn to ganger."), code="duplicate", params={"step": step}
                )
            labels[step] = match.group(2)
        return labels

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != (initial or {})
        except ValidationError:
            return True


class ScaleLabelsAdminMixin:
    """For an admin of criteria: every ``scale_labels*`` field (each language's) typed one step a line."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name.startswith("scale_labels"):
            return ScaleLabelsField(label=capfirst(db_field.verbose_name))
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def _step_order(step: Any) -> tuple[int, str]:
    text = str(step)
    return (int(text), "") if text.isdigit() else (10_000, text)
