from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .regions import Region
from .validators import validate_organisation_number


class County(models.Model):
    """A fylke of the current division (reference data, loaded by load_municipalities)."""

    number = models.CharField(
        _("fylkesnummer"), max_length=2, primary_key=True, validators=[RegexValidator(r"^\d{2}$")]
    )
    name = models.CharField(_("navn"), max_length=100)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)

    class Meta:
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")
        ordering = ["number"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    """A kommune of the current division (reference data, loaded by load_municipalities)."""

    number = models.CharField(
        _("kommunenummer"), max_length=4, primary_key=True, validators=[RegexValidator(r"^\d{4}$")]
    )
    name = models.CharField(_("navn"), max_length=100)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("fylke"))

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["number"]

    def __str__(self):
        return f"{self.name} ({self.number})"


class OrganisationKind(models.TextChoices):
    """Shared with the eligibility rules (schemes): who may apply is a set of these."""

    KOMMUNE = "kommune", _("Kommune")
    FYLKESKOMMUNE = "fylkeskommune", _("Fylkeskommune")
    STATLIG = "statlig", _("Statlig virksomhet")
    HELSEFORETAK = "helseforetak", _("Helseforetak")
    OTHER_PUBLIC = "annen-offentlig", _("Annen offentlig virksomhet")
    COMPANY = "bedrift", _("Bedrift")
    RESEARCH = "forskning", _("Forskningsorganisasjon")
    OTHER = "annen", _("Annen")


PUBLIC_KINDS = frozenset(
    {
        OrganisationKind.KOMMUNE,
        OrganisationKind.FYLKESKOMMUNE,
        OrganisationKind.STATLIG,
        OrganisationKind.HELSEFORETAK,
        OrganisationKind.OTHER_PUBLIC,
    }
)


class Organisation(models.Model):
    name = models.CharField(_("navn"), max_length=200)
    org_number = models.CharField(
        _("organisasjonsnummer"), max_length=9, unique=True, validators=[validate_organisation_number],
        error_messages={"unique": _("En organisasjon med dette organisasjonsnummeret er allerede registrert.")},
    )  # fmt: skip
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    public_funding_share = models.DecimalField(
        _("offentlig finansiert andel (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Hvor stor del av virksomheten som er offentlig finansiert, der det er relevant."),
    )  # fmt: skip
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations",
        verbose_name=_("kommune"), help_text=_("For en kommune: kommunen den er."),
    )  # fmt: skip
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations",
        verbose_name=_("fylke"), help_text=_("For en fylkeskommune: fylket den er."),
    )  # fmt: skip
    is_funding_agency = models.BooleanField(_("forvalter ordninger"), default=False)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organisations")
    created_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(org_number__regex=r"^\d{9}$"), name="organisation_org_number_9_digits"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="kommune") | models.Q(municipality__isnull=False),
                name="organisation_kommune_has_municipality",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="fylkeskommune") | models.Q(county__isnull=False),
                name="organisation_fylkeskommune_has_county",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_KINDS

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.kind == OrganisationKind.KOMMUNE and not self.municipality_id:
            errors["municipality"] = _("En kommune må knyttes til kommunenummeret sitt.")
        if self.kind == OrganisationKind.FYLKESKOMMUNE and not self.county_id:
            errors["county"] = _("En fylkeskommune må knyttes til fylket sitt.")
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Medlem")
        ANSVARLIG = "ansvarlig", _("Administrativt ansvarlig")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("lagt til"), auto_now_add=True)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org")]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class InvitationQuerySet(models.QuerySet):
    def pending(self, *, now=None):
        from django.utils import timezone

        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """An invitation by e-mail to join an organisation. The link carries a random token; only its
    SHA-256 is stored, so a database leak does not hand out working links. A link works once and
    until ``expires_at``."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-post"))
    role = models.CharField(_("rolle"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invitert av")
    )
    created_at = models.DateTimeField(_("sendt"), auto_now_add=True)
    expires_at = models.DateTimeField(_("gyldig til"))
    accepted_at = models.DateTimeField(_("godtatt"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitasjon")
        verbose_name_plural = _("invitasjoner")
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per person and organisation: a second invite is a resend, not a copy.
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"
