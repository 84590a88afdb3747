import csv
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.control_characters import has_control_characters

from .emails import invitation_email_send
from .models import County, Invitation, Membership, Municipality, Organisation
from .permissions import can_invite, can_manage_members, invitation_is_for
from .regions import REGION_OF_COUNTY

logger = logging.getLogger(__name__)

# Source: Kartverket's 2024 division via robhop/fylker-og-kommuner; see data/SOURCES.md.
MUNICIPALITIES_CSV = Path(__file__).resolve().parent / "data" / "kommuner-2024.csv"


@dataclass(frozen=True)
class LoadResult:
    counties_created: int
    counties_updated: int
    municipalities_created: int
    municipalities_updated: int


@transaction.atomic
def municipalities_load(
    *, path: Path = MUNICIPALITIES_CSV, county_model=County, municipality_model=Municipality
) -> LoadResult:
    """Create or update every county and municipality in the file. Rerunning it changes nothing
    that is already right and never duplicates (the numbers are the primary keys).

    The data migration passes its historical models; everything else uses the defaults."""
    County, Municipality = county_model, municipality_model
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        if has_control_characters(list(row.values())):
            raise ValueError(
                _("Linje %(line)s i %(file)s har usynlige kontrolltegn: ingenting er lastet inn.")
                % {"line": line, "file": path.name}
            )
    counties = {row["fylkesnummer"]: row["fylke"] for row in rows}
    unknown = set(counties) - set(REGION_OF_COUNTY)
    if unknown:
        raise ValueError(f"Counties without a region in organisations/regions.py: {sorted(unknown)}")

    existing_counties = County.objects.in_bulk(list(counties))
    c_created = c_updated = 0
    for number, name in counties.items():
        region = REGION_OF_COUNTY[number]
        county = existing_counties.get(number)
        if county is None:
            County.objects.create(number=number, name=name, region=region)
            c_created += 1
        elif (county.name, county.region) != (name, region):
            County.objects.filter(pk=number).update(name=name, region=region)
            c_updated += 1

    existing = Municipality.objects.in_bulk([row["kommunenummer"] for row in rows])
    new, changed = [], []
    for row in rows:
        m = existing.get(row["kommunenummer"])
        if m is None:
            new.append(Municipality(number=row["kommunenummer"], name=row["navn"], county_id=row["fylkesnummer"]))
        elif (m.name, m.county_id) != (row["navn"], row["fylkesnummer"]):
            m.name, m.county_id = row["navn"], row["fylkesnummer"]
            changed.append(m)
    Municipality.objects.bulk_create(new)
    Municipality.objects.bulk_update(changed, ["name", "county"])
    return LoadResult(c_created, c_updated, len(new), len(changed))


# --- Invitations and members ------------------------------------------------------------------


_ONLY_ANSVARLIG = gettext_lazy(
    "Bare administrativt ansvarlig i organisasjonen kan endre roller, fjerne medlemmer og trekke tilbake invitasjoner."
)


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, invited_by, email: str, role: str = Membership.Role.MEMBER, base_url: str
) -> Invitation:
    """Invite a person by e-mail. A second invitation to the same address replaces the open one
    (a resend with a fresh link and expiry), so there is never more than one working link.
    The e-mail is sent inside the transaction: no invitation exists unless its mail went out."""
    if not can_invite(invited_by, organisation, role=role):
        raise PermissionDenied
    email = get_user_model().objects.normalize_email(email).lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("%(email)s er allerede medlem av %(organisation)s.") % {"email": email,
                                                                                 "organisation": organisation}}
        )  # fmt: skip
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=invitation_token_hash(token),
        invited_by=invited_by,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    # Sent inside the transaction: if the mail cannot be sent, no invitation exists (and the old
    # link still works); the inviter is told and can try again. A crash between the mail server
    # accepting the mail and the commit would leave a mailed link that does not work; the inviter
    # then sends a new one.
    try:
        invitation_email_send(invitation=invitation, token=token, base_url=base_url)
    except Exception as exc:
        logger.exception("Could not send invitation %s", invitation.pk)
        raise ValidationError(
            {"email": _("Vi fikk ikke sendt e-posten til %(email)s. Prøv igjen om litt.") % {"email": email}}
        ) from exc
    return invitation


class InvitationInvalid(Exception):
    """The link does not work (any more); ``message`` says why, in the person's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def invitation_by_token(*, token: str) -> Invitation:
    """The invitation behind a link, if it still works; otherwise InvitationInvalid saying why."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
    _check_usable(invitation)
    return invitation


def _check_usable(invitation: Invitation | None) -> None:
    if invitation is None:
        raise InvitationInvalid(_("Lenken er ikke gyldig. Sjekk at du brukte hele lenken fra e-posten."))
    if invitation.accepted_at:
        raise InvitationInvalid(_("Denne invitasjonen er allerede brukt. En invitasjonslenke virker bare én gang."))
    if invitation.revoked_at:
        raise InvitationInvalid(
            _("Denne invitasjonen er trukket tilbake eller erstattet av en nyere. Bruk lenken i den nyeste e-posten.")
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(
            _("Invitasjonen gikk ut %(when)s. Be den som inviterte deg, om å sende en ny.")
            % {"when": formats.date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT")}
        )


@transaction.atomic
def invitation_accept(*, invitation_id: int, user) -> Membership:
    """Join the organisation. Locks the invitation row, so two clicks or two tabs give one membership
    and a used link stays used."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation_id)
    _check_usable(invitation)
    if not invitation_is_for(user, invitation):
        raise InvitationInvalid(
            _("Invitasjonen gjelder %(invited)s, men du er logget inn som %(you)s. Logg inn med riktig e-post.")
            % {"invited": invitation.email, "you": user.email}
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and invitation.role == Membership.Role.ANSVARLIG:
        membership.role = Membership.Role.ANSVARLIG
        membership.save(update_fields=["role"])
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_accept_as_new_user(*, invitation_id: int, full_name: str, password: str):
    """A person without an account joins: the account is created with the invited address (the
    link proves they own it) and the invitation is accepted, in one transaction."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    _check_usable(invitation)
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationInvalid(_("Det finnes allerede en bruker med denne e-postadressen. Logg inn for å godta."))
    user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
    membership = invitation_accept(invitation_id=invitation.pk, user=user)
    return user, membership


@transaction.atomic
def invitation_decline(*, invitation_id: int, user) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    _check_usable(invitation)
    if not invitation_is_for(user, invitation):
        raise PermissionDenied
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by_user) -> None:
    if not can_manage_members(by_user, invitation.organisation):
        raise PermissionDenied(_ONLY_ANSVARLIG)
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _lock_ansvarlige(organisation: Organisation) -> list[int]:
    """Lock the organisation's memberships, so two ansvarlige demoting each other at the same time
    cannot leave it with none. Call inside a transaction."""
    rows = Membership.objects.select_for_update().filter(organisation=organisation).values_list("pk", "role")
    return [pk for pk, role in rows if role == Membership.Role.ANSVARLIG]


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, by_user) -> Membership:
    if not can_manage_members(by_user, membership.organisation):
        raise PermissionDenied(_ONLY_ANSVARLIG)
    ansvarlige = _lock_ansvarlige(membership.organisation)
    if role != Membership.Role.ANSVARLIG and ansvarlige == [membership.pk]:
        raise ValidationError(
            _("Organisasjonen må ha minst én administrativt ansvarlig. Gi en annen rollen før du endrer denne.")
        )
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by_user) -> None:
    if not can_manage_members(by_user, membership.organisation):
        raise PermissionDenied(_ONLY_ANSVARLIG)
    ansvarlige = _lock_ansvarlige(membership.organisation)
    if ansvarlige == [membership.pk]:
        raise ValidationError(_("Den siste administrativt ansvarlige kan ikke fjernes. Gi en annen rollen først."))
    membership.delete()
