"""The application's timeline as people read it: for each row, what happened, by whom in which
role, when, and what happens next.

Rows that changed the state are described from the workflow table (``workflow.HAPPENED`` for the
transition, ``workflow.NEXT_STEP`` for the state it led to), so a new transition or state is
described where it is declared, with no code per scheme or per state here.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.models import Membership

from .display import long_moment
from .models import EventKind
from .workflow import HAPPENED, NEXT_STEP, REOPEN, SUBMIT, WITHDRAW, Actor, State, transition, transition_between

# Rows written by a transition's own service, which records its own kind rather than «state changed».
KIND_TRANSITIONS = {
    EventKind.SUBMITTED: SUBMIT,
    EventKind.RESUBMITTED: SUBMIT,
    EventKind.REOPENED: REOPEN,
    EventKind.WITHDRAWN: WITHDRAW,
}

# What the rows that do not change the state say happened.
KIND_HAPPENED = {
    EventKind.CREATED: gettext_lazy("Søknaden er opprettet."),
    EventKind.COPIED: gettext_lazy("Søknaden er laget som en kopi av en annen søknad."),
    EventKind.SAVED: gettext_lazy("Endringer i søknaden er lagret."),
    EventKind.PARTNER_ADDED: gettext_lazy("En partner er lagt til."),
    EventKind.PARTNER_REMOVED: gettext_lazy("En partner er fjernet."),
    EventKind.FILE_ADDED: gettext_lazy("Et vedlegg er lastet opp."),
    EventKind.FILE_REMOVED: gettext_lazy("Et vedlegg er fjernet."),
    EventKind.BUDGET_SAVED: gettext_lazy("Budsjettet er lagret."),
    EventKind.APPROVAL_REQUESTED: gettext_lazy("Søknaden er sendt til administrativt ansvarlig for godkjenning."),
    EventKind.RESUBMITTED: gettext_lazy("Søknaden er sendt inn på nytt."),
    EventKind.OFFER_ANSWERED: gettext_lazy("Tilbudet er besvart."),
    EventKind.REPORT_SUBMITTED: gettext_lazy("En prosjektrapport er levert."),
}

MEMBERSHIP_ACTORS = {Membership.Role.ANSVARLIG: Actor.ANSVARLIG, Membership.Role.MEMBER: Actor.MEMBER}


def _transition_of(event):
    name = KIND_TRANSITIONS.get(event.kind) or (event.data or {}).get("transition")
    if name:
        try:
            return transition(name)
        except KeyError:
            return None
    if event.from_state and event.to_state:
        return transition_between(event.from_state, event.to_state)
    return None


def _role(event, t, member_roles: dict[int, str]) -> Actor:
    """The role the person acted in: the portal itself when no one did; the transition's one human
    role when the table names only one; else their place in the applicant organisation; else staff."""
    if event.actor_id is None:
        return Actor.SYSTEM
    if t is not None:
        humans = t.actors - {Actor.SYSTEM}
        if len(humans) == 1:
            return next(iter(humans))
    membership = member_roles.get(event.actor_id)
    return MEMBERSHIP_ACTORS.get(membership, Actor.OFFICER)


def timeline_rows(application, events) -> list[dict]:
    """``events`` (oldest first) as rows: ``what`` (a sentence), ``role``, ``who``, ``next``
    and the event itself. One query (the applicant organisation's members) besides ``events``."""
    member_roles = dict(
        Membership.objects.filter(organisation_id=application.organisation_id).values_list("user_id", "role")
    )
    deadline = long_moment(application.deadline)
    state = State.DRAFT
    rows = []
    for event in events:
        t = _transition_of(event)
        if event.kind in KIND_HAPPENED:
            what = str(KIND_HAPPENED[event.kind])
        elif t is not None:
            what = str(HAPPENED.get(t.name, t.label))
        else:
            what = str(event.get_kind_display())
        if event.to_state:
            state = State(event.to_state)
        role = _role(event, t, member_roles)
        if event.actor is None:
            who = str(Actor.SYSTEM.label)
        else:
            name = event.actor.full_name or event.actor.email
            who = _("%(name)s (%(role)s)") % {"name": name, "role": str(role.label).lower()}
        rows.append(
            {
                "event": event,
                "what": what,
                "role": role,
                "who": who,
                "next": str(NEXT_STEP[state]) % {"deadline": deadline},
            }
        )
    return rows
