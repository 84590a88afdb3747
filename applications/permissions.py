"""Who may see and do what with call forms and applications. Plain functions, for views, templates
and services alike.

Applications: members of the applicant organisation read and edit them (while the state lets
applicants edit); only its administrativt ansvarlig submits, reopens and withdraws; members of a
partner organisation read them; staff handling the call's scheme read them once submitted. (The
review issue adds assigned reviewers.)
"""

from accounts.permissions import can_edit_scheme_rules, can_handle_scheme, is_two_factor_verified
from organisations.models import Membership

from .workflow import EDITABLE_STATES, REOPEN, STAFF_VISIBLE_STATES, SUBMIT, WITHDRAW, Actor, allowed, transition


def can_edit_call_form(user, call) -> bool:
    """Superusers and administrators of an agency running the call's scheme, as for its rules:
    saksbehandlere read the form but do not change it."""
    return can_edit_scheme_rules(user, call.scheme)


def can_preview_call_form(user, call) -> bool:
    """Everyone who handles the scheme (saksbehandlere, administrators, superusers)."""
    return can_handle_scheme(user, call.scheme)


# --- Applications -----------------------------------------------------------------------------
def organisation_roles(user) -> dict[int, str]:
    """``{organisation id: membership role}`` for the person, read once per request (cached on the
    user object, like ``staff_access``)."""
    if not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_organisation_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        user._organisation_roles = cached
    return cached


def forget_organisation_roles(user) -> None:
    user.__dict__.pop("_organisation_roles", None)


def is_applicant_member(user, application) -> bool:
    return application.organisation_id in organisation_roles(user)


def is_applicant_ansvarlig(user, application) -> bool:
    return organisation_roles(user).get(application.organisation_id) == Membership.Role.ANSVARLIG


def is_partner_member(user, application, *, partner_org_ids=None) -> bool:
    """Member of one of the application's partner organisations. ``partner_org_ids`` when already
    loaded (lists); otherwise one query."""
    roles = organisation_roles(user)
    if not roles:
        return False
    if partner_org_ids is None:
        partner_org_ids = set(application.partners.values_list("organisation_id", flat=True))
    return bool(set(roles) & set(partner_org_ids))


def staff_sees_application(user, application) -> bool:
    """Staff handling the scheme see an application once it has been submitted (drafts are the
    applicant's own): ``workflow.STAFF_VISIBLE_STATES``."""
    return application.state in STAFF_VISIBLE_STATES


def can_view_application(user, application) -> bool:
    if is_applicant_member(user, application):
        return True
    if (
        staff_sees_application(user, application)
        and can_handle_scheme(user, application.call.scheme)
        and is_two_factor_verified(user)  # staff read applications only in a session verified by two-factor
    ):
        return True
    return is_partner_member(user, application)


def can_start_application(user, organisation) -> bool:
    return organisation.pk in organisation_roles(user)


def can_edit_application(user, application) -> bool:
    return is_applicant_member(user, application) and application.state in EDITABLE_STATES


_UNKNOWN = object()


def actors_for(user, application, *, organisation_role=_UNKNOWN, among=None) -> frozenset[Actor]:
    """Every workflow actor the person is for this application (empty: none). ``organisation_role``:
    the person's membership role in the applicant when already read (None: not a member).
    ``among``: only these actors matter (a transition's); whether the person handles the scheme
    (a query for someone not yet known as staff) is then asked only if an officer is among them."""
    actors = set()
    role = organisation_role
    if role is _UNKNOWN:
        role = organisation_roles(user).get(application.organisation_id)
    if role is not None:
        actors.add(Actor.MEMBER)
    if role == Membership.Role.ANSVARLIG:
        actors.add(Actor.ANSVARLIG)
    if (among is None or Actor.OFFICER in among) and can_handle_scheme(user, application.call.scheme):
        actors.add(Actor.OFFICER)
    return frozenset(actors)


def may_fire(user, application, name: str) -> bool:
    """The workflow table's answer: may this person fire transition ``name`` now (state and role)."""
    return any(allowed(name, state=application.state, actor=actor) for actor in actors_for(user, application))


def deadline_allows(application, name: str, *, now) -> bool:
    """The workflow table's answer about the clock: ``name`` is not ruled out by the application's
    deadline having passed at ``now`` (submit and reopen never are before it; withdrawing a draft
    never sent is pointless after it)."""
    return not (now > application.deadline and transition(name).closed_by_deadline(application.state))


def can_submit_application(user, application) -> bool:
    return may_fire(user, application, SUBMIT)


def can_reopen_application(user, application) -> bool:
    return may_fire(user, application, REOPEN)


def can_withdraw_application(user, application) -> bool:
    return may_fire(user, application, WITHDRAW)


def actor_for(user, application):
    """The applicant-side actor the person is (ansvarlig before member), or None."""
    actors = actors_for(user, application)
    return next((actor for actor in (Actor.ANSVARLIG, Actor.MEMBER, Actor.OFFICER) if actor in actors), None)
