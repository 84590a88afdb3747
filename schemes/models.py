"""Schemes (ordninger), their calls (utlysninger), assessment criteria and versioned eligibility rules.

All of it is data edited by administrators in the admin; nothing about a particular scheme lives in
code. Texts shown to the public come in bokmål (the plain field) with nynorsk and English beside it
(``_nn``/``_en``), read through ``portal.localized.localized``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organisations.models import OrganisationKind  # the kinds rules name; shared with organisations

from .eligibility.text import LocalizedText
from .reminders import DEFAULT_DRAFT_REMINDERS, validate_offsets


class Theme(models.Model):
    slug = models.SlugField(_("kortnavn"), max_length=60, unique=True)
    name = models.CharField(_("navn (bokmål)"), max_length=100)
    name_nn = models.CharField(_("navn (nynorsk)"), max_length=100, blank=True)
    name_en = models.CharField(_("navn (engelsk)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("temaer")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SustainableDevelopmentGoal(models.Model):
    """One of the UN's 17 goals (bærekraftsmål); loaded by a data migration."""

    number = models.PositiveSmallIntegerField(
        _("nummer"), primary_key=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    name = models.CharField(_("navn (bokmål)"), max_length=120)
    name_nn = models.CharField(_("navn (nynorsk)"), max_length=120, blank=True)
    name_en = models.CharField(_("navn (engelsk)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("bærekraftsmål")
        verbose_name_plural = _("bærekraftsmål")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Instrument(models.TextChoices):
    GRANT = "tilskudd", _("Tilskudd")
    PCP = "forkommersiell-anskaffelse", _("Førkommersiell anskaffelse")
    INNOVATION_PARTNERSHIP = "innovasjonspartnerskap", _("Innovasjonspartnerskap")
    PHD = "phd", _("Ph.d.-stipend")
    PREQUALIFIED_SUPPORT = "prekvalifisert-stotte", _("Prekvalifisert støtte")
    OTHER = "annet", _("Annet")


class Scheme(models.Model):
    """An ordning (StimuLab, Innovasjonspartnerskap, …), run by one or more funding agencies."""

    name = models.CharField(_("navn (bokmål)"), max_length=200)
    name_nn = models.CharField(_("navn (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("navn (engelsk)"), max_length=200, blank=True)
    slug = models.SlugField(_("kortnavn i adressen"), max_length=80, unique=True)
    reference_code = models.CharField(
        _("kode i saksnummer"), max_length=6, blank=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}$", _("Skriv 2–6 store bokstaver (A–Z)."))],
        help_text=_("Står i søknadenes saksnummer, for eksempel IPOS i 2026-IPOS-00042. "
                    "Tomt: laget av kortnavnet."),
    )  # fmt: skip
    short_description = models.CharField(_("kort beskrivelse (bokmål)"), max_length=300, blank=True)
    short_description_nn = models.CharField(_("kort beskrivelse (nynorsk)"), max_length=300, blank=True)
    short_description_en = models.CharField(_("kort beskrivelse (engelsk)"), max_length=300, blank=True)
    description = models.TextField(_("beskrivelse (bokmål)"), blank=True)
    description_nn = models.TextField(_("beskrivelse (nynorsk)"), blank=True)
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    agencies = models.ManyToManyField(
        "organisations.Organisation",
        related_name="schemes",
        verbose_name=_("forvaltes av"),
        limit_choices_to={"is_funding_agency": True},
    )
    instrument = models.CharField(_("virkemiddel"), max_length=40, choices=Instrument.choices, default=Instrument.GRANT)
    themes = models.ManyToManyField(Theme, blank=True, related_name="schemes", verbose_name=_("temaer"))
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal, blank=True, related_name="schemes", verbose_name=_("bærekraftsmål")
    )
    url = models.URLField(_("lenke til forvalterens side"), blank=True)
    is_active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_("Arkiverte ordninger vises med historikken sin, men tar ikke imot søknader."),
    )
    # The catalogue's search documents: stems of the texts in all three languages, strongest place
    # first (``schemes.search``). Written only by ``services.scheme_search_refresh``, which runs
    # whenever the scheme's texts or its calls' titles and descriptions change.
    search_name = models.TextField(editable=False, blank=True, default="")
    search_summary = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True, default="")
    search_calls = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("ordning")
        verbose_name_plural = _("ordninger")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def code_for_references(self) -> str:
        """``reference_code``, or initials of the slug's words («innovasjonsprosjekt-offentlig-sektor»
        → «IOS»; one word: its first four letters)."""
        if self.reference_code:
            return self.reference_code
        words = [w for w in self.slug.split("-") if w]
        code = "".join(w[0] for w in words) if len(words) > 1 else (words[0][:4] if words else "X")
        return "".join(c for c in code.upper() if "A" <= c <= "Z")[:6] or "X"


class SchemeApplicantKind(models.Model):
    """Who may apply, denormalised from the scheme's current rules so the catalogue can filter on it.

    One row per organisation kind the scheme's ``applicant-kind`` rule admits; no rows when the
    scheme has no such rule (it is open to all kinds). Written only by
    ``services.scheme_applicant_kinds_refresh``, which runs whenever the scheme's rules change.
    A call's own rules are not reflected here: the catalogue lists schemes.
    """

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="applicant_kinds")
    kind = models.CharField(_("type virksomhet"), max_length=20, choices=OrganisationKind.choices)

    class Meta:
        verbose_name = _("hvem kan søke")
        verbose_name_plural = _("hvem kan søke")
        constraints = [models.UniqueConstraint(fields=["scheme", "kind"], name="scheme_applicant_kind_unique")]
        indexes = [models.Index(fields=["kind", "scheme"], name="scheme_applicant_kind_by_kind")]

    def __str__(self):
        return f"{self.scheme}: {self.get_kind_display()}"


class CallQuerySet(models.QuerySet):
    def open(self, *, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def upcoming(self, *, now=None):
        return self.filter(opens_at__gt=now or timezone.now())

    def closed(self, *, now=None):
        return self.filter(closes_at__lte=now or timezone.now())


class CallStatus(models.TextChoices):
    UPCOMING = "kommende", _("Kommende")
    OPEN = "apen", _("Åpen")
    CLOSED = "stengt", _("Stengt")


class Call(models.Model):
    """An utlysning: one round of a scheme, with its own dates, money and criteria.

    ``closes_at`` is a moment (stored in UTC, entered and shown in Europe/Oslo). The deadline is
    decided by comparing it with the server's clock, never by a task having run.
    """

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="calls", verbose_name=_("ordning"))
    title = models.CharField(_("tittel (bokmål)"), max_length=200)
    title_nn = models.CharField(_("tittel (nynorsk)"), max_length=200, blank=True)
    title_en = models.CharField(_("tittel (engelsk)"), max_length=200, blank=True)
    slug = models.SlugField(_("kortnavn i adressen"), max_length=100, unique=True)
    description = models.TextField(_("beskrivelse (bokmål)"), blank=True)
    description_nn = models.TextField(_("beskrivelse (nynorsk)"), blank=True)
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    opens_at = models.DateTimeField(_("åpner"))
    closes_at = models.DateTimeField(_("søknadsfrist"), help_text=_("Norsk tid. Vanligvis kl. 13:00."))
    allows_early_drafts = models.BooleanField(
        _("tillat utkast før åpning"),
        default=False,
        help_text=_("Søkere kan begynne på søknaden før utlysningen åpner."),
    )
    budget = models.DecimalField(
        _("samlet budsjett (kr)"), max_digits=14, decimal_places=0, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    min_amount = models.DecimalField(
        _("minste beløp per søknad (kr)"), max_digits=14, decimal_places=0, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    max_amount = models.DecimalField(
        _("største beløp per søknad (kr)"), max_digits=14, decimal_places=0, null=True, blank=True,
        validators=[MinValueValidator(0)], help_text=_("Tomt når søkerne ikke ber om et beløp (som i StimuLab)."),
    )  # fmt: skip
    own_funding_min_percent = models.DecimalField(
        _("krav til egenfinansiering (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    max_duration_months = models.PositiveSmallIntegerField(
        _("lengste prosjektvarighet (måneder)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    url = models.URLField(_("lenke til utlysningen hos forvalteren"), blank=True)
    draft_reminders = models.CharField(
        _("påminnelser om utkast"), max_length=100, blank=True, default=DEFAULT_DRAFT_REMINDERS,
        validators=[validate_offsets],
        help_text=_("Hvor lenge før fristen søkere med et utkast får påminnelse, skilt med komma: d er dager, "
                    "h er timer (for eksempel 7d,1d,2h). Tomt: ingen påminnelser."),
    )  # fmt: skip

    objects = CallQuerySet.as_manager()

    # Who changed what and when (django-simple-history; shown in the admin's «Historikk»).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utlysning")
        verbose_name_plural = _("utlysninger")
        ordering = ["closes_at"]
        indexes = [models.Index(fields=["closes_at", "opens_at"], name="call_dates")]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opens"),
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True) | Q(max_amount__isnull=True)
                | Q(max_amount__gte=models.F("min_amount")),
                name="call_amounts_ordered",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.scheme}: {self.title}"

    def status(self, *, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return CallStatus.UPCOMING
        return CallStatus.OPEN if now < self.closes_at else CallStatus.CLOSED

    def get_status_display(self) -> str:
        return CallStatus(self.status()).label

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("Søknadsfristen må være etter at utlysningen åpner.")
        if self.min_amount is not None and self.max_amount is not None and self.max_amount < self.min_amount:
            errors["max_amount"] = _("Største beløp kan ikke være mindre enn minste beløp.")
        if self.budget is not None and self.max_amount is not None and self.max_amount > self.budget:
            errors["max_amount"] = _("Største beløp per søknad kan ikke være større enn hele budsjettet.")
        if errors:
            raise ValidationError(errors)


class CallStage(models.Model):
    class Kind(models.TextChoices):
        SKETCH = "skisse", _("Skisse")
        FULL = "hovedsoknad", _("Hovedsøknad")
        PRE_PROJECT = "forprosjekt", _("Forprosjekt")
        MAIN_PROJECT = "hovedprosjekt", _("Hovedprosjekt")
        PREQUALIFICATION = "prekvalifisering", _("Prekvalifisering")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="stages", verbose_name=_("utlysning"))
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=1)
    kind = models.CharField(_("trinn"), max_length=20, choices=Kind.choices)
    closes_at = models.DateTimeField(_("frist for trinnet"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trinn")
        verbose_name_plural = _("trinn")
        ordering = ["call", "order"]
        constraints = [models.UniqueConstraint(fields=["call", "order"], name="callstage_unique_order")]

    def __str__(self):
        return f"{self.order}. {self.get_kind_display()}"


class AssessmentCriterion(models.Model):
    """A criterion the call is assessed on, with its scale and weight (the weights of a call sum to 100 %)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("utlysning"))
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=1)
    name = models.CharField(_("navn (bokmål)"), max_length=200)
    name_nn = models.CharField(_("navn (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("navn (engelsk)"), max_length=200, blank=True)
    description = models.TextField(_("beskrivelse (bokmål)"), blank=True)
    description_nn = models.TextField(_("beskrivelse (nynorsk)"), blank=True)
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    scale_min = models.PositiveSmallIntegerField(_("skala fra"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("skala til"), default=7)
    scale_labels = models.JSONField(
        _("navn på trinnene"), default=dict, blank=True,
        help_text=_('F.eks. {"7": "Fremragende", "1": "Dårlig"}.'),
    )  # fmt: skip
    scale_labels_nn = models.JSONField(
        _("navn på trinnene (nynorsk)"), default=dict, blank=True,
        help_text=_('F.eks. {"7": "Framifrå", "1": "Dårleg"}. Trinn uten navn her vises på bokmål.'),
    )  # fmt: skip
    scale_labels_en = models.JSONField(
        _("navn på trinnene (engelsk)"), default=dict, blank=True,
        help_text=_('F.eks. {"7": "Exceptional", "1": "Poor"}. Trinn uten navn her vises på bokmål.'),
    )  # fmt: skip
    weight = models.DecimalField(
        _("vekt (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vurderingskriterium")
        verbose_name_plural = _("vurderingskriterier")
        ordering = ["call", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="criterion_scale_sane"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.scale_min is not None and self.scale_max is not None:
            if self.scale_max <= self.scale_min:
                errors["scale_max"] = _("Skalaen må gå fra et lavere til et høyere tall.")
            elif self.scale_max - self.scale_min > 20:
                errors["scale_max"] = _("Skalaen kan ha høyst 21 trinn.")
        for field in ("scale_labels", "scale_labels_nn", "scale_labels_en"):
            if error := self._scale_labels_error(getattr(self, field)):
                errors[field] = error
        if errors:
            raise ValidationError(errors)

    def _scale_labels_error(self, labels) -> str | None:
        if isinstance(labels, dict) and self.scale_min is not None and self.scale_max is not None:
            low, high = self.scale_min, self.scale_max
            outside = [k for k in labels if not str(k).isdigit() or not low <= int(k) <= high]
            if outside:
                return _("Trinn utenfor skalaen: %(steps)s.") % {"steps": ", ".join(map(str, outside))}
        elif labels not in (None, {}):
            return _("Navnene på trinnene må være et oppslag fra trinn til navn.")
        return None

    def scale_steps(self) -> list[tuple[int, LocalizedText]]:
        """The named steps, highest first, each name in the active language when shown (a step
        without a nynorsk or English name falls back to bokmål, marked ``lang="nb"`` in HTML)."""
        per_language = {
            language: labels if isinstance(labels, dict) else {}
            for language, labels in (("nb", self.scale_labels), ("nn", self.scale_labels_nn),
                                     ("en", self.scale_labels_en))
        }  # fmt: skip
        steps = {int(step) for step, label in per_language["nb"].items() if str(step).isdigit() and label}
        return [
            (step, LocalizedText(**{language: str(labels.get(str(step)) or "")
                                    for language, labels in per_language.items()}))
            for step in sorted(steps, reverse=True)
        ]  # fmt: skip

    def scale_label(self, step: int) -> LocalizedText | None:
        return dict(self.scale_steps()).get(step)


class RuleSetVersion(models.Model):
    """One version of the eligibility rules of a scheme, or of a call's overrides. Append-only:
    editing rules writes a new version with who, when and why; old versions stay readable, and
    every evaluation names the versions it used."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, null=True, blank=True, related_name="rule_versions", verbose_name=_("ordning")
    )
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, null=True, blank=True, related_name="rule_versions", verbose_name=_("utlysning")
    )
    version = models.PositiveIntegerField(_("versjon"))
    rules = models.JSONField(_("regler"), default=list, blank=True)
    reason = models.CharField(_("hvorfor endret"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("endret av"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("endret"), default=timezone.now)

    class Meta:
        verbose_name = _("versjon av reglene")
        verbose_name_plural = _("versjoner av reglene")
        ordering = ["-created_at", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(scheme__isnull=False) & Q(call__isnull=True))
                | (Q(scheme__isnull=True) & Q(call__isnull=False)),
                name="ruleset_for_scheme_xor_call",
            ),
            models.UniqueConstraint(fields=["scheme", "version"], condition=Q(scheme__isnull=False),
                                    name="ruleset_unique_scheme_version"),
            models.UniqueConstraint(fields=["call", "version"], condition=Q(call__isnull=False),
                                    name="ruleset_unique_call_version"),
        ]  # fmt: skip

    def __str__(self):
        owner = self.scheme or self.call
        return f"{owner} – v{self.version}"
