"""Formal check, reviewers, scores, decisions and offers: what happens to an application after it
is submitted. State changes go through ``applications.services.application_transition``; the rows
here hold what each step decided. Every change is also a row on the application's timeline."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ReviewSettings(models.Model):
    """A call's review settings (one row per call; ``review.selectors.settings_for`` gives defaults)."""

    call = models.OneToOneField("schemes.Call", on_delete=models.CASCADE, related_name="review_settings")
    appeal_weeks = models.PositiveSmallIntegerField(_("klagefrist (uker)"), default=3)
    offer_days = models.PositiveSmallIntegerField(_("svarfrist på tilbud (dager)"), default=21)
    review_working_days = models.PositiveSmallIntegerField(_("frist for fagvurdering (virkedager)"), default=15)
    reviewers_per_application = models.PositiveSmallIntegerField(_("fageksperter per søknad"), default=2)
    share_scores = models.BooleanField(_("søkeren ser karakterene"), default=True)
    share_comments = models.BooleanField(_("søkeren ser fageksperte(ne)s kommentarer"), default=False)
    # The call's own paragraph in each decision letter, per outcome and language (empty: none).
    letter_approve = models.TextField(_("tekst i brev om innvilgelse (bokmål)"), blank=True)
    letter_approve_nn = models.TextField(_("tekst i brev om innvilgelse (nynorsk)"), blank=True)
    letter_approve_en = models.TextField(_("tekst i brev om innvilgelse (engelsk)"), blank=True)
    letter_reject = models.TextField(_("tekst i brev om avslag (bokmål)"), blank=True)
    letter_reject_nn = models.TextField(_("tekst i brev om avslag (nynorsk)"), blank=True)
    letter_reject_en = models.TextField(_("tekst i brev om avslag (engelsk)"), blank=True)
    letter_waitlist = models.TextField(_("tekst i brev om venteliste (bokmål)"), blank=True)
    letter_waitlist_nn = models.TextField(_("tekst i brev om venteliste (nynorsk)"), blank=True)
    letter_waitlist_en = models.TextField(_("tekst i brev om venteliste (engelsk)"), blank=True)

    LETTER_FIELDS = {"innvilg": "letter_approve", "avsla": "letter_reject", "venteliste": "letter_waitlist"}

    # Who changed what and when (django-simple-history; shown in the admin's «Historikk»).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vurderingsinnstillinger")
        verbose_name_plural = _("vurderingsinnstillinger")

    def __str__(self):
        return str(self.call)


class FormalReason(models.TextChoices):
    MISSING_ATTACHMENT = "mangler-vedlegg", _("Påkrevd vedlegg mangler")
    NOT_ELIGIBLE = "ikke-kvalifisert", _("Søkeren oppfyller ikke kravene til hvem som kan søke")
    BUDGET = "budsjett", _("Budsjettet følger ikke utlysningens regler")
    OUT_OF_SCOPE = "utenfor-tema", _("Prosjektet er utenfor utlysningens tema")
    INCOMPLETE = "ufullstendig", _("Søknaden er ufullstendig")
    OTHER = "annet", _("Annen grunn (se begrunnelsen)")


class FormalCheck(models.Model):
    """An officer's formal check of a submitted application: confirmed, or rejected with reasons
    and the appeal deadline the applicant is told. A new row after an appeal; the newest counts."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="formal_checks")
    approved = models.BooleanField(_("godkjent"))
    reasons = models.JSONField(_("grunner"), default=list, blank=True)  # FormalReason values
    comment = models.TextField(_("begrunnelse"), blank=True)
    findings = models.JSONField(_("automatiske funn"), default=list, blank=True)
    appeal_deadline = models.DateField(_("klagefrist"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("formell kontroll")
        verbose_name_plural = _("formelle kontroller")
        ordering = ["application", "-checked_at"]
        constraints = [
            models.CheckConstraint(condition=Q(approved=True) | ~Q(reasons=[]), name="formal_rejection_has_reasons"),
        ]

    def __str__(self):
        return f"{self.application_id}: {'ok' if self.approved else 'avvist'}"


class AssignmentState(models.TextChoices):
    AWAITING_DECLARATION = "venter", _("Venter på habilitetserklæring")
    ACTIVE = "aktiv", _("Til vurdering")
    CONFLICT = "inhabil", _("Inhabil")
    SUBMITTED = "levert", _("Vurdering levert")


class ReviewAssignment(models.Model):
    """A reviewer (fagekspert) asked to assess one application. The content opens only after the
    reviewer has declared no conflict of interest (state ACTIVE)."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    state = models.CharField(
        max_length=10, choices=AssignmentState.choices, default=AssignmentState.AWAITING_DECLARATION
    )
    due_date = models.DateField(_("frist"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    declared_at = models.DateTimeField(null=True, blank=True)
    conflict_note = models.TextField(_("om inhabiliteten"), blank=True)

    class Meta:
        verbose_name = _("tildeling")
        verbose_name_plural = _("tildelinger")
        ordering = ["application", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="assignment_unique_reviewer"),
        ]
        indexes = [models.Index(fields=["reviewer", "state"], name="assignment_reviewer_state")]

    def __str__(self):
        return f"{self.reviewer} → {self.application_id}"


class Recommendation(models.TextChoices):
    FUND = "stott", _("Bør få støtte")
    MAYBE = "kanskje", _("Kan få støtte om det er midler")
    DO_NOT_FUND = "ikke", _("Bør ikke få støtte")


class Review(models.Model):
    """A reviewer's assessment: a score per criterion (``Score``), an overall recommendation and
    comment; a draft until ``submitted_at``."""

    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.CASCADE, related_name="review")
    recommendation = models.CharField(_("anbefaling"), max_length=10, choices=Recommendation.choices, blank=True)
    comment = models.TextField(_("samlet vurdering"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("vurdering")
        verbose_name_plural = _("vurderinger")

    def __str__(self):
        return str(self.assignment)


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("schemes.AssessmentCriterion", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("karakter"), null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="score_unique_criterion")]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class ConsensusScore(models.Model):
    """The officer's agreed score for one criterion, after the individual reviews."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="consensus")
    criterion = models.ForeignKey("schemes.AssessmentCriterion", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("karakter"))
    comment = models.TextField(_("kommentar"), blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="consensus_unique_criterion"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class Outcome(models.TextChoices):
    APPROVE = "innvilg", _("Innvilg")
    REJECT = "avsla", _("Avslå")
    WAITLIST = "venteliste", _("Venteliste")


class Decision(models.Model):
    """A decision prepared by one officer and confirmed by another (four-eyes), only then fired as
    the workflow transition the applicant sees. A prepared decision can be withdrawn (cancelled)
    and a new one prepared; at most one open or confirmed decision per application at a time."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("utfall"), max_length=12, choices=Outcome.choices)
    granted_amount = models.DecimalField(
        _("innvilget beløp"), max_digits=14, decimal_places=0, null=True, blank=True, validators=[MinValueValidator(1)]
    )
    comment = models.TextField(_("begrunnelse"), blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("vedtak")
        verbose_name_plural = _("vedtak")
        ordering = ["application", "-prepared_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(confirmed_by=F("prepared_by")), name="decision_four_eyes"),
            models.CheckConstraint(
                condition=~Q(outcome="innvilg") | Q(granted_amount__isnull=False), name="decision_approval_has_amount"
            ),
            models.UniqueConstraint(
                fields=["application"], condition=Q(cancelled_at__isnull=True), name="decision_one_open_per_application"
            ),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.get_outcome_display()}"


class Offer(models.Model):
    """The offer of a grant, answered by the applicant's ansvarlig before ``deadline``."""

    class Answer(models.TextChoices):
        ACCEPTED = "ja", _("Akseptert")
        DECLINED = "nei", _("Takket nei")
        LAPSED = "bortfalt", _("Falt bort")

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE, related_name="offer")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="offer")
    amount = models.DecimalField(_("beløp"), max_digits=14, decimal_places=0)
    sent_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(_("svarfrist"))
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tilbud")
        verbose_name_plural = _("tilbud")

    def __str__(self):
        return f"{self.application_id}: {self.amount}"


class ProjectReport(models.Model):
    """A report the applicant owes on a funded project, due on a date set from the accepted offer
    (``review.reports.reports_schedule``); submitted once by a member of the applicant."""

    class Kind(models.TextChoices):
        PROGRESS = "framdrift", _("Framdriftsrapport")
        FINAL = "slutt", _("Sluttrapport")
        BENEFITS = "gevinst", _("Gevinstrapport")

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    due_date = models.DateField(_("frist"))
    submitted_at = models.DateTimeField(_("levert"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("rapport"), blank=True)
    file = models.ForeignKey(
        "attachments.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("prosjektrapport")
        verbose_name_plural = _("prosjektrapporter")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "due_date"], name="report_once_per_due_date"),
        ]
        indexes = [
            # The officers' list: reports not yet in, by due date.
            models.Index(fields=["due_date"], name="report_open_due", condition=Q(submitted_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.kind} {self.due_date:%Y-%m-%d}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class RealisedBenefit(models.Model):
    """What a project realised of one expected benefit (``applications.ExpectedBenefit``), as the
    benefits report (or the final report) states it; written with the report by ``report_submit``."""

    report = models.ForeignKey(ProjectReport, on_delete=models.CASCADE, related_name="realised_benefits")
    benefit = models.ForeignKey("applications.ExpectedBenefit", on_delete=models.CASCADE, related_name="realisations")
    value = models.CharField(_("realisert verdi"), max_length=100)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("realisert gevinst")
        verbose_name_plural = _("realiserte gevinster")
        constraints = [models.UniqueConstraint(fields=["report", "benefit"], name="realised_once_per_report")]

    def __str__(self):
        return f"{self.benefit_id}: {self.value}"
