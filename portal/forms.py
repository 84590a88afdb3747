from django import forms


class DesignsystemetMixin:
    """Gives each widget the Designsystemet class it needs (ds-input; checkboxes and radios keep theirs)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "ds-input")
