"""Who may edit and see a call's application form. Plain functions, for views, templates and tests."""

from accounts.permissions import can_edit_scheme_rules, can_handle_scheme


def can_edit_call_form(user, call) -> bool:
    """Superusers and administrators of an agency running the call's scheme, as for its rules:
    saksbehandlere read the form but do not change it."""
    return can_edit_scheme_rules(user, call.scheme)


def can_preview_call_form(user, call) -> bool:
    """Everyone who handles the scheme (saksbehandlere, administrators, superusers)."""
    return can_handle_scheme(user, call.scheme)
