"""Who may do what in the project bank. Plain functions, for views, templates and services."""

from accounts.permissions import can_handle_scheme


def can_redact_project(user, project) -> bool:
    """Saksbehandlere (and administrators) of the project's scheme."""
    return bool(user and user.is_authenticated) and can_handle_scheme(user, project.scheme)
