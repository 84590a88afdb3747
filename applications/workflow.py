"""The life of an application as one declarative table: states, transitions, who may fire each.

Every state change goes through ``services.application_transition`` (or a service built on it),
which looks the transition up here, checks the actor, writes the timeline event and schedules side
effects after commit. Code compares ``State`` members, never state names as strings.

The review issue adds its states (formal check, in review, assessed, decisions, offer, reporting)
and the staff actors to these same tables.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    REOPENED = "gjenapnet", _("Åpnet for endring")
    SUBMITTED = "sendt", _("Sendt inn")
    NOT_SUBMITTED = "ikke-sendt", _("Ikke sendt inn")
    WITHDRAWN = "trukket", _("Trukket")


class Actor(models.TextChoices):
    MEMBER = "member", _("Medlem av søkerorganisasjonen")
    ANSVARLIG = "ansvarlig", _("Administrativt ansvarlig")
    SYSTEM = "system", _("Portalen")


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[State]
    target: State
    actors: frozenset[Actor]
    before_deadline: bool = False  # refused once the application's deadline has passed
    label: str = ""


def _t(name, sources, target, actors, *, before_deadline=False, label=""):
    return Transition(name, frozenset(sources), target, frozenset(actors), before_deadline, label)


SUBMIT = "submit"
REOPEN = "reopen"
WITHDRAW = "withdraw"
CLOSE_UNSUBMITTED = "close-unsubmitted"
CLOSE_REOPENED = "close-reopened"

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t(
            SUBMIT,
            {State.DRAFT, State.REOPENED},
            State.SUBMITTED,
            {Actor.ANSVARLIG},
            before_deadline=True,
            label=_("Send inn"),
        ),
        _t(
            REOPEN,
            {State.SUBMITTED},
            State.REOPENED,
            {Actor.ANSVARLIG},
            before_deadline=True,
            label=_("Åpne for endring"),
        ),
        _t(
            WITHDRAW,
            {State.DRAFT, State.REOPENED, State.SUBMITTED},
            State.WITHDRAWN,
            {Actor.ANSVARLIG},
            label=_("Trekk søknaden"),
        ),
        # At the deadline (the scheduler): a draft never sent is closed; a reopened one falls back to
        # its last submitted version, which counts.
        _t(CLOSE_UNSUBMITTED, {State.DRAFT}, State.NOT_SUBMITTED, {Actor.SYSTEM}),
        _t(CLOSE_REOPENED, {State.REOPENED}, State.SUBMITTED, {Actor.SYSTEM}),
    )
}

# What applicants may do in each state.
EDITABLE_STATES = frozenset({State.DRAFT, State.REOPENED})
# States in which the organisation has a submission that counts.
COUNTED_STATES = frozenset({State.SUBMITTED, State.REOPENED})
# Open states: an application still in progress on the applicant's side (for lists and reminders).
OPEN_STATES = frozenset({State.DRAFT, State.REOPENED})

# What applicants read: friendlier than the internal names where they differ.
APPLICANT_LABELS: dict[State, str] = {
    State.DRAFT: _("Utkast"),
    State.REOPENED: _("Sendt inn – åpnet for endring"),
    State.SUBMITTED: _("Sendt inn"),
    State.NOT_SUBMITTED: _("Ikke sendt inn før fristen"),
    State.WITHDRAWN: _("Trukket"),
}


class TransitionNotAllowed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def transition(name: str) -> Transition:
    return TRANSITIONS[name]


def allowed(name: str, *, state: State | str, actor: Actor) -> bool:
    t = TRANSITIONS[name]
    return State(state) in t.sources and actor in t.actors


def applicant_label(state: State | str) -> str:
    return APPLICANT_LABELS[State(state)]
