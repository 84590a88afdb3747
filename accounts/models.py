import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("E-post må oppgis.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not (extra_fields["is_staff"] and extra_fields["is_superuser"]):
            raise ValueError("En superbruker må ha is_staff og is_superuser.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, identified by e-mail (lower-cased; unique regardless of case).

    Created in the foundation so the user model never has to be swapped later; organisations,
    roles and ID-porten identities hang on it in the accounts issue.
    """

    email = models.EmailField(_("e-post"), unique=True)
    full_name = models.CharField(_("fullt navn"), max_length=200, blank=True)
    language = models.CharField(
        _("foretrukket språk"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_staff = models.BooleanField(_("tilgang til admin"), default=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("registrert"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class StaffRole(models.Model):
    """A role at a funding agency, granted by an administrator in the admin (never self-served).

    - saksbehandler: handles the schemes listed (which must be the agency's own);
    - fagekspert: reviews the applications assigned to them, nothing else;
    - administrator: owns all of the agency's schemes (edits them, and handles them).

    Every staff role requires two-factor authentication before a staff page opens.
    """

    class Role(models.TextChoices):
        OFFICER = "saksbehandler", _("Saksbehandler")
        REVIEWER = "fagekspert", _("Fagekspert")
        ADMINISTRATOR = "administrator", _("Administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles", verbose_name=_("person")
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="staff_roles",
        verbose_name=_("virksomhet"),
        limit_choices_to={"is_funding_agency": True},
    )
    schemes = models.ManyToManyField(
        "schemes.Scheme",
        blank=True,
        related_name="staff_roles",
        verbose_name=_("ordninger"),
        help_text=_("For saksbehandlere: ordningene personen behandler. Administratorer har alle virksomhetens."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gitt av"),
    )
    granted_at = models.DateTimeField(_("gitt"), default=timezone.now)

    # Who changed what and when (django-simple-history; shown in the admin's «Historikk»).
    # The schemes too: which cases an officer may open is what an auditor asks about.
    history = HistoricalRecords(m2m_fields=["schemes"])

    class Meta:
        verbose_name = _("rolle i forvaltningen")
        verbose_name_plural = _("roller i forvaltningen")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "agency"], name="staffrole_unique_user_role_agency")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.agency}"


def idporten_pid_digest(pid: str) -> str:
    """The keyed HMAC-SHA256 under which a person's pid (fødselsnummer or d-nummer) is stored.

    We only ever need to recognise a pid we are shown again, never to read it, so the number itself
    is not kept. A plain hash would not protect it: there are only some tens of millions of valid
    fødselsnumre, and hashing them all takes minutes. The key (IDPORTEN_PID_KEY) lives outside the
    database, so a copy of the database alone does not reveal who is linked. It is its own key, not
    SECRET_KEY, so rotating SECRET_KEY does not silently unlink everyone; rotating this key does
    (each person then links again from Min side).
    """
    if not settings.IDPORTEN_PID_KEY:
        raise ImproperlyConfigured("IDPORTEN_PID_KEY is empty.")
    return hmac.new(settings.IDPORTEN_PID_KEY.encode(), pid.encode(), hashlib.sha256).hexdigest()


class IDportenIdentity(models.Model):
    """A user's link to their ID-porten identity, made by the user from Min side (never automatically)."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="idporten_identity", verbose_name=_("bruker")
    )
    pid_digest = models.CharField(
        _("pid (HMAC)"),
        max_length=64,
        unique=True,
        editable=False,
        error_messages={
            "unique": _(
                "Denne ID-porten-innloggingen er allerede koblet til en annen bruker i Innovasjonsportalen. "
                "Kontakt administrativt ansvarlig i organisasjonen din hvis dette er feil."
            )
        },
    )
    linked_at = models.DateTimeField(_("koblet"), default=timezone.now)

    class Meta:
        verbose_name = _("ID-porten-kobling")
        verbose_name_plural = _("ID-porten-koblinger")

    def __str__(self):
        return str(self.user)
