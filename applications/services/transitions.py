"""The one service every state change goes through (``workflow.TRANSITIONS`` is the table it reads).

``application_transition`` locks the application, checks the table (state and actor), writes the
timeline row (who, when, from, to, comment) and runs the transition's side-effect hooks in the same
transaction — hooks arm scheduler rows, which the worker runs after commit. Submit, reopen and
withdraw have their own services (they freeze versions, check deadlines) built on the same check.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Application, EventKind
from ..permissions import actors_for
from ..workflow import Actor, Transition, TransitionNotAllowed, applicant_label, transition
from .common import event_record, lock_application, moment

Hook = Callable[[Application, Transition, object], None]
_HOOKS: dict[str, list[Hook]] = {}


def on_transition(name: str) -> Callable[[Hook], Hook]:
    """Register ``hook(application, transition, actor_user)`` to run inside the transaction after
    ``name`` fired (e.g. arm the e-mail telling the applicant). Registering twice is a no-op."""

    def decorator(hook: Hook) -> Hook:
        hooks = _HOOKS.setdefault(name, [])
        if hook not in hooks:
            hooks.append(hook)
        return hook

    return decorator


def transition_hooks_run(name: str, application: Application, by_user) -> None:
    """Run ``name``'s hooks; for the services that fire a transition of their own (withdraw)."""
    for hook in _HOOKS.get(name, ()):
        hook(application, transition(name), by_user)


def transition_check(application: Application, *, name: str, actors: Iterable[Actor]) -> Transition:
    """The transition, if one of ``actors`` may fire it from the application's state; otherwise
    ``TransitionNotAllowed`` saying why (the role, or the state) in the reader's language."""
    t = transition(name)
    actors = set(actors)
    if application.state not in t.sources:
        raise TransitionNotAllowed(
            _("Søknaden har status «%(state)s», så «%(action)s» kan ikke gjøres nå.")
            % {"state": application.applicant_state_label, "action": t.label},
            code="state",
        )
    if not actors & t.actors:
        if Actor.MEMBER in actors and Actor.ANSVARLIG in t.actors:
            message = _("Bare administrativt ansvarlig i organisasjonen kan gjøre dette.")
        else:
            message = _("Du har ikke en rolle som kan gjøre dette.")
        raise TransitionNotAllowed(message, code="forbidden")
    return t


def application_transition(*, application_id: int, name: str, by_user=None, comment: str = "",
                           data: dict | None = None, now: datetime | None = None,
                           by_service: bool = False) -> Application:  # fmt: skip
    """Fire transition ``name``. ``by_user`` None means the portal itself (the scheduler). Raises
    ``TransitionNotAllowed``; nothing is written then."""
    now = now or timezone.now()
    comment = (comment or "").strip()
    with transaction.atomic():
        application = lock_application(application_id)
        actors = {Actor.SYSTEM} if by_user is None else actors_for(by_user, application)
        t = transition_check(application, name=name, actors=actors)
        # Transitions that record more than a state (a formal check, a four-eyes decision, an
        # offer) are fired only by their own service, which says so with ``by_service``.
        if t.own_service and not by_service:
            raise TransitionNotAllowed(_("Dette gjøres på sin egen side."), code="service")
        if t.after_deadline and now <= application.deadline:
            raise TransitionNotAllowed(
                _("Dette kan gjøres når søknadsfristen %(deadline)s er ute: til da kan søkeren endre søknaden.")
                % {"deadline": moment(application.deadline)}, code="early",
            )  # fmt: skip
        if t.needs_comment and not comment:
            raise TransitionNotAllowed(_("Skriv en begrunnelse."), code="comment")
        if t.closed_by_deadline(application.state) and now > application.deadline:
            raise TransitionNotAllowed(
                _("Fristen var %(deadline)s.") % {"deadline": moment(application.deadline)}, code="late"
            )
        from_state = application.state
        application.state = t.target
        application.save(update_fields=["state"])
        # A step applicants cannot tell apart (formal check → review: both «Under behandling») is
        # the agency's own: internal, like the comment written with it.
        internal = applicant_label(from_state) == applicant_label(application.state)
        event_record(application, EventKind.STATE_CHANGED, actor=by_user, from_state=from_state,
                     to_state=application.state, at=now, internal=internal,
                     data={"transition": name, "comment": comment, **(data or {})})  # fmt: skip
        transition_hooks_run(name, application, by_user)
    return application
