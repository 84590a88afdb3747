"""What every application service shares: the error applicants read, the row lock, the timeline."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..errors import ApplicationError
from ..models import Application, ApplicationEvent, EventKind
from ..permissions import can_edit_application

SAVED_EVENT_EVERY = timedelta(minutes=15)  # one «saved» line per person per quarter hour on the timeline


def moment(value: datetime) -> str:
    """22.11.2026 kl. 13:00:00 in Norwegian time (seconds: deadlines are decided to the second)."""
    local = timezone.localtime(value)
    return _("%(date)s kl. %(time)s") % {"date": date_format(local, "d.m.Y"), "time": local.strftime("%H:%M:%S")}


def lock_application(application_id: int) -> Application:
    """The application, locked for the rest of the transaction (call inside ``transaction.atomic``).
    Every write to an application takes this lock first, so two tabs or two colleagues are serialised."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__scheme", "stage", "organisation")
        .get(pk=application_id)
    )


def deadline_passed(application: Application, *, now: datetime) -> bool:
    return now > application.deadline


def require_editable(application: Application, *, user, now: datetime) -> None:
    if not can_edit_application(user, application):
        if application.is_editable:
            raise ApplicationError(_("Du kan ikke endre denne søknaden."), code="forbidden")
        raise ApplicationError(
            _("Søknaden kan ikke endres nå: den har status «%(state)s».")
            % {"state": application.applicant_state_label},
            code="not-editable",
        )
    if deadline_passed(application, now=now):
        raise ApplicationError(
            _("Fristen var %(deadline)s. Søknaden kan ikke endres etter fristen.")
            % {"deadline": moment(application.deadline)},
            code="late",
        )


def event_record(
    application: Application,
    kind: EventKind,
    *,
    actor=None,
    data: dict | None = None,
    from_state: str = "",
    to_state: str = "",
    at: datetime | None = None,
    internal: bool = False,
) -> ApplicationEvent:
    """Append one line to the application's timeline (inside the transaction that made the change).
    ``internal`` rows are the agency's audit (reviewers, scores): applicants never see them."""
    return ApplicationEvent.objects.create(
        application=application,
        internal=internal,
        kind=kind,
        actor=actor,
        data=data or {},
        from_state=from_state,
        to_state=to_state,
        at=at or timezone.now(),
    )


def saved_event_record(
    application: Application, *, actor, section_key: str, at: datetime, kind: EventKind = EventKind.SAVED
) -> None:
    """A «saved» line, unless this person's last line on the timeline is a save less than
    ``SAVED_EVENT_EVERY`` ago (autosave would otherwise write one per keystroke pause)."""
    last = application.events.order_by("-at", "-pk").values("kind", "actor_id", "at", "data").first()
    if (
        last
        and last["kind"] == kind
        and last["actor_id"] == getattr(actor, "pk", None)
        and at - last["at"] < SAVED_EVENT_EVERY
    ):
        return
    event_record(application, kind, actor=actor, data={"section": section_key}, at=at)


def display_name(user) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "email", "") or "").strip()


def touch(application: Application, *, user, now: datetime) -> None:
    application.updated_at = now
    application.updated_by = user


def condition_facts(application: Application, definition=None, *, partners=None) -> dict:
    """What a form's conditions read besides answers: the applicant's organisation kind, the
    application's stage kind and its partners' kinds (``formdef.conditions``). The partners are
    read (one query) only when ``definition`` (default: the application's) has a condition on them,
    and not at all when given (``partners``: the application's, with their organisations)."""
    from ..formdef import facts_of, uses_fact
    from ..formdef.conditions import own_funding_share

    if definition is None:
        from .drafting import definition_of

        definition = definition_of(application)
    partner_kinds = []
    if uses_fact(definition, "partner-kind"):
        if partners is not None:
            partner_kinds = [p.organisation.kind for p in partners if p.organisation.kind]
        else:
            partner_kinds = [k for k in application.partners.values_list("organisation__kind", flat=True) if k]
    return facts_of(
        organisation_kind=application.organisation.kind if application.organisation_id else None,
        stage=application.stage.kind if application.stage_id else None,
        partner_kinds=partner_kinds,
        own_funding_share=own_funding_share(definition, application.answers)
        if uses_fact(definition, "own-funding-share")
        else None,
    )
