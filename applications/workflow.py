"""The life of an application as one declarative table: states, transitions, who may fire each, and
what each role sees in each state.

Every state change goes through a service that looks its transition up here
(``services.transitions.application_transition``, or the submit/reopen/withdraw services built on
the same check), writes the timeline row (who, when, from, to, comment) and schedules side effects
after commit. Code compares ``State`` members, never state names as strings.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError


class State(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    REOPENED = "gjenapnet", _("Åpnet for endring")
    SUBMITTED = "sendt", _("Sendt inn")
    NOT_SUBMITTED = "ikke-sendt", _("Ikke sendt inn")
    WITHDRAWN = "trukket", _("Trukket")
    FORMAL_CHECK = "formell-kontroll", _("Formell kontroll")
    FORMALLY_REJECTED = "avvist", _("Avvist etter formell kontroll")
    IN_REVIEW = "fagvurdering", _("Til fagvurdering")
    ASSESSED = "vurdert", _("Vurdert")
    APPROVED = "innvilget", _("Innvilget")
    REJECTED = "avslatt", _("Avslått")
    WAITLISTED = "venteliste", _("På venteliste")
    OFFER_SENT = "tilbud-sendt", _("Tilbud sendt")
    ACCEPTED = "akseptert", _("Tilbud akseptert")
    OFFER_DECLINED = "tilbud-avslatt", _("Tilbud avslått")
    OFFER_LAPSED = "tilbud-bortfalt", _("Tilbud falt bort")
    IN_REPORTING = "rapportering", _("I rapportering")
    COMPLETED = "avsluttet", _("Avsluttet")


class Actor(models.TextChoices):
    MEMBER = "member", _("Medlem av søkerorganisasjonen")
    ANSVARLIG = "ansvarlig", _("Administrativt ansvarlig")
    OFFICER = "officer", _("Saksbehandler for ordningen")
    REVIEWER = "reviewer", _("Fagekspert tildelt søknaden")
    SYSTEM = "system", _("Portalen")


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[State]
    target: State
    actors: frozenset[Actor]
    before_deadline: bool = False  # refused once the application's deadline has passed
    # Refused once the deadline has passed, but only from these sources (e.g. withdrawing a draft
    # that was never sent: at the deadline it is closed as not submitted, so there is nothing to withdraw).
    before_deadline_from: frozenset[State] = frozenset()
    after_deadline: bool = False  # refused until the application's deadline has passed
    four_eyes: bool = False  # prepared by one officer, fired when another confirms
    needs_comment: bool = False  # a reason is required (recorded on the timeline)
    own_service: bool = False  # fired only by its own service (it freezes or records more), not the generic one
    label: str = ""

    def closed_by_deadline(self, state: "State | str") -> bool:
        """Whether the passing of the application's deadline rules this transition out from ``state``."""
        return self.before_deadline or State(state) in self.before_deadline_from


def _t(name, sources, target, actors, *, label, **options):
    return Transition(name, frozenset(sources), target, frozenset(actors), label=label, **options)


S, A = State, Actor
SUBMIT, REOPEN, WITHDRAW = "submit", "reopen", "withdraw"
CLOSE_UNSUBMITTED, CLOSE_REOPENED, START_FORMAL_CHECK = "close-unsubmitted", "close-reopened", "start-formal-check"
FORMAL_APPROVE, FORMAL_REJECT, FORMAL_REOPEN = "formal-approve", "formal-reject", "formal-reopen"
ASSESSMENT_DONE, BACK_TO_REVIEW = "assessment-done", "back-to-review"
DECIDE_APPROVE, DECIDE_REJECT, DECIDE_WAITLIST = "decide-approve", "decide-reject", "decide-waitlist"
SEND_OFFER, ACCEPT_OFFER, DECLINE_OFFER, LAPSE_OFFER = "send-offer", "accept-offer", "decline-offer", "lapse-offer"
START_REPORTING, COMPLETE = "start-reporting", "complete"

WITHDRAWABLE = {S.DRAFT, S.REOPENED, S.SUBMITTED, S.FORMAL_CHECK, S.IN_REVIEW, S.ASSESSED, S.WAITLISTED}

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        # The applicant's side.
        _t(SUBMIT, {S.DRAFT, S.REOPENED}, S.SUBMITTED, {A.ANSVARLIG}, before_deadline=True, own_service=True,
           label=_("Send inn")),
        _t(REOPEN, {S.SUBMITTED}, S.REOPENED, {A.ANSVARLIG}, before_deadline=True, own_service=True,
           label=_("Åpne for endring")),
        _t(WITHDRAW, WITHDRAWABLE, S.WITHDRAWN, {A.ANSVARLIG}, needs_comment=True, own_service=True,
           before_deadline_from=frozenset({S.DRAFT}), label=_("Trekk søknaden")),
        # At the deadline (the scheduler): a draft never sent is closed; a reopened one falls back to
        # its last submitted version; what was submitted goes to formal check.
        _t(CLOSE_UNSUBMITTED, {S.DRAFT}, S.NOT_SUBMITTED, {A.SYSTEM}, label=_("Lukk usendt utkast")),
        _t(CLOSE_REOPENED, {S.REOPENED}, S.SUBMITTED, {A.SYSTEM}, label=_("Siste innsendte versjon gjelder")),
        # Not before the deadline: until then the applicant may reopen and resubmit.
        _t(START_FORMAL_CHECK, {S.SUBMITTED}, S.FORMAL_CHECK, {A.SYSTEM, A.OFFICER}, after_deadline=True,
           label=_("Start formell kontroll")),
        # Formal check by the officer.
        _t(FORMAL_APPROVE, {S.FORMAL_CHECK}, S.IN_REVIEW, {A.OFFICER}, own_service=True, label=_("Godkjenn formelt")),
        _t(FORMAL_REJECT, {S.FORMAL_CHECK}, S.FORMALLY_REJECTED, {A.OFFICER}, needs_comment=True,
           own_service=True, label=_("Avvis formelt")),
        _t(FORMAL_REOPEN, {S.FORMALLY_REJECTED}, S.FORMAL_CHECK, {A.OFFICER}, needs_comment=True,
           label=_("Ta opp igjen etter klage")),
        # Review and decision.
        _t(ASSESSMENT_DONE, {S.IN_REVIEW}, S.ASSESSED, {A.OFFICER}, label=_("Vurdering ferdig")),
        _t(BACK_TO_REVIEW, {S.ASSESSED}, S.IN_REVIEW, {A.OFFICER}, label=_("Tilbake til fagvurdering")),
        _t(DECIDE_APPROVE, {S.ASSESSED, S.WAITLISTED}, S.APPROVED, {A.OFFICER}, four_eyes=True,
           own_service=True, label=_("Innvilg")),
        _t(DECIDE_REJECT, {S.ASSESSED, S.WAITLISTED}, S.REJECTED, {A.OFFICER}, four_eyes=True,
           own_service=True, label=_("Avslå")),
        _t(DECIDE_WAITLIST, {S.ASSESSED}, S.WAITLISTED, {A.OFFICER}, four_eyes=True, own_service=True,
           label=_("Sett på venteliste")),
        # The offer.
        _t(SEND_OFFER, {S.APPROVED}, S.OFFER_SENT, {A.OFFICER, A.SYSTEM}, own_service=True, label=_("Send tilbud")),
        _t(ACCEPT_OFFER, {S.OFFER_SENT}, S.ACCEPTED, {A.ANSVARLIG}, own_service=True, label=_("Aksepter tilbudet")),
        _t(DECLINE_OFFER, {S.OFFER_SENT}, S.OFFER_DECLINED, {A.ANSVARLIG}, needs_comment=True,
           own_service=True, label=_("Takk nei til tilbudet")),
        _t(LAPSE_OFFER, {S.OFFER_SENT}, S.OFFER_LAPSED, {A.SYSTEM}, own_service=True, label=_("Tilbudet faller bort")),
        # The project.
        _t(START_REPORTING, {S.ACCEPTED}, S.IN_REPORTING, {A.OFFICER, A.SYSTEM}, label=_("Start rapportering")),
        _t(COMPLETE, {S.IN_REPORTING}, S.COMPLETED, {A.OFFICER}, label=_("Avslutt prosjektet")),
    )
}  # fmt: skip

# What applicants may do in each state.
EDITABLE_STATES = frozenset({S.DRAFT, S.REOPENED})
# States in which the organisation has a submission that counts.
COUNTED_STATES = frozenset(set(S) - {S.DRAFT, S.NOT_SUBMITTED, S.WITHDRAWN})
# An application still in progress on the applicant's side (for lists and reminders).
OPEN_STATES = frozenset({S.DRAFT, S.REOPENED})
# Staff handling the scheme see an application once it has been submitted.
STAFF_VISIBLE_STATES = frozenset(set(S) - {S.DRAFT, S.NOT_SUBMITTED})
# Assigned reviewers (with no conflict declared) see it while it is being reviewed.
REVIEWER_VISIBLE_STATES = frozenset({S.IN_REVIEW, S.ASSESSED})
# Applicants see the decision (and what the call shares of the assessment) from these states.
DECISION_VISIBLE_STATES = frozenset({S.APPROVED, S.REJECTED, S.WAITLISTED, S.OFFER_SENT, S.ACCEPTED,
                                     S.OFFER_DECLINED, S.OFFER_LAPSED, S.IN_REPORTING, S.COMPLETED})  # fmt: skip

# What applicants read: friendlier than the internal names, and nothing of the internal steps.
_IN_PROCESS = _("Under behandling")
APPLICANT_LABELS: dict[State, str] = {
    S.DRAFT: _("Utkast"),
    S.REOPENED: _("Sendt inn – åpnet for endring"),
    S.SUBMITTED: _("Sendt inn"),
    S.NOT_SUBMITTED: _("Ikke sendt inn før fristen"),
    S.WITHDRAWN: _("Trukket"),
    S.FORMAL_CHECK: _IN_PROCESS,
    S.FORMALLY_REJECTED: _("Avvist etter formell kontroll"),
    S.IN_REVIEW: _IN_PROCESS,
    S.ASSESSED: _IN_PROCESS,
    S.APPROVED: _("Innvilget"),
    S.REJECTED: _("Avslått"),
    S.WAITLISTED: _("På venteliste"),
    S.OFFER_SENT: _("Tilbud om støtte – svar innen fristen"),
    S.ACCEPTED: _("Tilbud akseptert"),
    S.OFFER_DECLINED: _("Dere takket nei til tilbudet"),
    S.OFFER_LAPSED: _("Tilbudet falt bort"),
    S.IN_REPORTING: _("Prosjekt i gang – rapportering"),
    S.COMPLETED: _("Avsluttet"),
}


# The applicant's timeline, from the table: what a transition did, and what happens next in each
# state (``%(deadline)s`` is the application's deadline).
HAPPENED: dict[str, str] = {
    SUBMIT: _("Søknaden er sendt inn."),
    REOPEN: _("Søknaden er åpnet for endring."),
    WITHDRAW: _("Søknaden er trukket."),
    CLOSE_UNSUBMITTED: _("Fristen gikk ut før søknaden ble sendt inn."),
    CLOSE_REOPENED: _("Fristen gikk ut. Endringene ble ikke sendt inn, så den siste innsendte versjonen gjelder."),
    START_FORMAL_CHECK: _("Den formelle kontrollen har startet."),
    FORMAL_APPROVE: _("Søknaden er godkjent i den formelle kontrollen."),
    FORMAL_REJECT: _("Søknaden er avvist etter formell kontroll."),
    FORMAL_REOPEN: _("Søknaden er tatt opp igjen etter klage."),
    ASSESSMENT_DONE: _("Fagvurderingen er ferdig."),
    BACK_TO_REVIEW: _("Søknaden er sendt tilbake til fagvurdering."),
    DECIDE_APPROVE: _("Søknaden er innvilget."),
    DECIDE_REJECT: _("Søknaden er avslått."),
    DECIDE_WAITLIST: _("Søknaden er satt på venteliste."),
    SEND_OFFER: _("Tilbudet om støtte er sendt."),
    ACCEPT_OFFER: _("Tilbudet er akseptert."),
    DECLINE_OFFER: _("Dere takket nei til tilbudet."),
    LAPSE_OFFER: _("Tilbudet falt bort fordi det ikke ble besvart innen svarfristen."),
    START_REPORTING: _("Prosjektet er i gang, og rapporteringen har startet."),
    COMPLETE: _("Prosjektet er avsluttet."),
}
NEXT_STEP: dict[State, str] = {
    S.DRAFT: _("Administrativt ansvarlig må sende inn søknaden innen fristen %(deadline)s."),
    S.REOPENED: _("Send inn søknaden på nytt innen fristen %(deadline)s. Til da gjelder versjonen som er sendt inn."),
    S.SUBMITTED: _(
        "Formell kontroll etter fristen %(deadline)s. Til da kan administrativt ansvarlig åpne søknaden for endring."
    ),
    S.NOT_SUBMITTED: _("Søknaden blir ikke behandlet. Dere kan kopiere den til en senere utlysning."),
    S.WITHDRAWN: _("Søknaden blir ikke behandlet."),
    S.FORMAL_CHECK: _(
        "En saksbehandler kontrollerer at søknaden er komplett og oppfyller vilkårene. Så går den til fagvurdering."
    ),
    S.FORMALLY_REJECTED: _("Begrunnelsen og klagefristen står under «Se vedtak og resultat»."),
    S.IN_REVIEW: _("Fageksperter vurderer søknaden. Så fattes det vedtak."),
    S.ASSESSED: _("En saksbehandler forbereder vedtaket."),
    S.APPROVED: _("Dere får et tilbud om støtte som må besvares innen svarfristen."),
    S.REJECTED: _("Vedtaket og begrunnelsen står under «Se vedtak og resultat»."),
    S.WAITLISTED: _("Søknaden kan bli innvilget hvis det blir penger til overs."),
    S.OFFER_SENT: _("Administrativt ansvarlig svarer på tilbudet innen svarfristen."),
    S.ACCEPTED: _("Dere får beskjed når prosjektet går over i rapportering."),
    S.OFFER_DECLINED: _("Søknaden er avsluttet."),
    S.OFFER_LAPSED: _("Søknaden er avsluttet."),
    S.IN_REPORTING: _("Lever rapportene innen fristene deres."),
    S.COMPLETED: _("Det er ikke noe mer å gjøre."),
}


class TransitionNotAllowed(ApplicationError):
    """The table does not allow it: wrong state (``code`` "state") or role ("forbidden")."""


def transition(name: str) -> Transition:
    return TRANSITIONS[name]


def allowed(name: str, *, state: State | str, actor: Actor) -> bool:
    t = TRANSITIONS[name]
    return State(state) in t.sources and actor in t.actors


def available(*, state: State | str, actors, deadline_passed: bool | None = None) -> list[Transition]:
    """The transitions any of ``actors`` may fire from ``state``, in the table's order (for buttons).
    With ``deadline_passed`` known, those the deadline rules out now are left out too."""
    found = [t for t in TRANSITIONS.values() if State(state) in t.sources and t.actors & set(actors)]
    if deadline_passed is None:
        return found
    return [
        t
        for t in found
        if not (deadline_passed and t.closed_by_deadline(state)) and not (t.after_deadline and not deadline_passed)
    ]


def applicant_label(state: State | str) -> str:
    return APPLICANT_LABELS[State(state)]


def transition_between(from_state: State | str, to_state: State | str) -> Transition | None:
    """The table's one transition from ``from_state`` to ``to_state``; None when none or several do."""
    found = [t for t in TRANSITIONS.values() if State(from_state) in t.sources and t.target == State(to_state)]
    return found[0] if len(found) == 1 else None
