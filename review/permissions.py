"""Who may do what in review and decision. Plain functions, for views, templates and services."""

from accounts.models import StaffRole
from accounts.permissions import can_handle_scheme, staff_access
from applications.workflow import REVIEWER_VISIBLE_STATES

from .models import AssignmentState


def is_officer_for(user, application) -> bool:
    """Saksbehandler (or administrator) of the application's scheme."""
    return can_handle_scheme(user, application.call.scheme)


def is_reviewer(user) -> bool:
    return StaffRole.Role.REVIEWER in staff_access(user).roles


def assignment_of(user, application):
    """The person's assignment to this application (cached per application object), or None."""
    cache = application.__dict__.setdefault("_assignment_of", {})
    if user.pk not in cache:
        cache[user.pk] = application.assignments.filter(reviewer=user).first() if user.is_authenticated else None
    return cache[user.pk]


def reviewer_may_open(user, application) -> bool:
    """An assigned reviewer sees the application's content only after declaring no conflict, and
    only while it is being reviewed."""
    assignment = assignment_of(user, application)
    return (
        assignment is not None
        and assignment.state in (AssignmentState.ACTIVE, AssignmentState.SUBMITTED)
        and application.state in REVIEWER_VISIBLE_STATES
    )
