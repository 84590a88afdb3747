"""Applications and the forms they are written in.

A call's form (``CallForm``) is edited by administrators; an application stores its own copy of it
when it is created (``selectors.definition_snapshot``), so later edits never change one in progress.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .formdef import FormDefinition, FormDefinitionError
from .workflow import EDITABLE_STATES, State, applicant_label


def empty_definition() -> dict:
    return {"sections": []}


class CallForm(models.Model):
    """The application form of a call, or of one stage of it (sketch, full application, …).

    ``stage`` is empty for a call without stages: the form is then the whole call's. ``definition``
    is a form definition's JSON (``applications.formdef``), checked on ``full_clean``.
    """

    call = models.ForeignKey(
        "schemes.Call", on_delete=models.CASCADE, related_name="forms", verbose_name=_("utlysning")
    )
    stage = models.ForeignKey(
        "schemes.CallStage", on_delete=models.CASCADE, null=True, blank=True, related_name="forms",
        verbose_name=_("trinn"), help_text=_("Tomt når utlysningen ikke har trinn."),
    )  # fmt: skip
    definition = models.JSONField(_("skjema"), default=empty_definition)
    updated_at = models.DateTimeField(_("endret"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("endret av"),
    )  # fmt: skip

    # Who changed what and when (django-simple-history; shown in the admin's «Historikk»).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("søknadsskjema")
        verbose_name_plural = _("søknadsskjemaer")
        ordering = ["call", "stage__order"]
        constraints = [
            models.UniqueConstraint(fields=["call", "stage"], condition=Q(stage__isnull=False),
                                    name="callform_unique_call_stage"),
            models.UniqueConstraint(fields=["call"], condition=Q(stage__isnull=True),
                                    name="callform_unique_call_without_stage"),
        ]  # fmt: skip

    def __str__(self):
        if self.stage_id:
            return f"{self.call.title} – {self.stage.get_kind_display()}"
        return str(self.call.title)

    def clean(self):
        errors = {}
        if self.stage_id and self.call_id and self.stage.call_id != self.call_id:
            errors["stage"] = _("Trinnet hører til en annen utlysning.")
        elif not self.stage_id and self.call_id and self.call.stages.exists():
            errors["stage"] = _("Utlysningen har trinn: velg hvilket trinn skjemaet gjelder.")
        try:
            FormDefinition.from_json(self.definition)
        except FormDefinitionError as error:
            errors["definition"] = error.messages
        if errors:
            raise ValidationError(errors)


# --- Applications ---------------------------------------------------------------------------------
class AppendOnlyQuerySet(models.QuerySet):
    """Rows written once by the services; no update or delete through the ORM (audit, versions)."""

    def update(self, **kwargs):
        raise PermissionError(f"{self.model.__name__} rows are append-only.")

    def delete(self):
        raise PermissionError(f"{self.model.__name__} rows are append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(f"{type(self).__name__} rows are append-only.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{type(self).__name__} rows are append-only.")


class Application(models.Model):
    """An organisation's application to a call (to one stage of it).

    ``form`` is the application's own copy of the call's form (``selectors.definition_snapshot``).
    ``answers`` maps question keys to stored answers; ``pending_input`` keeps what was typed into a
    field that was rejected, so it is shown again with the reason and never lost. ``sections`` holds
    each section's save version (``{"om-prosjektet": {"v": 3, "at": iso, "by": "Kari"}}``): a save
    carries the version it was based on, and a different one means a colleague saved in between.
    """

    # Indexes: see Meta (no single-column index where a composite one starts with the column).
    call = models.ForeignKey("schemes.Call", on_delete=models.PROTECT, related_name="applications",
                             verbose_name=_("utlysning"), db_index=False)  # fmt: skip
    stage = models.ForeignKey("schemes.CallStage", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="applications", verbose_name=_("trinn"), db_index=False)  # fmt: skip
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="applications", verbose_name=_("søker"), db_index=False)  # fmt: skip
    title = models.CharField(_("prosjekttittel"), max_length=200, blank=True)
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.DRAFT)
    form = models.JSONField(_("skjema"), default=dict, editable=False)
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    pending_input = models.JSONField(_("avvist inndata"), default=dict, blank=True)
    sections = models.JSONField(_("delversjoner"), default=dict, blank=True)
    # Rule identity → the applicant's justification for a soft rule («normally …») it does not meet.
    justifications = models.JSONField(_("begrunnelser for avvik"), default=dict, blank=True)
    # Part (``publicity.PUBLIC_PARTS``) → whether the project bank may show it, chosen at submit.
    publicity = models.JSONField(_("offentlig i prosjektbanken"), default=dict, blank=True)
    # NULL until the first submit gives one (unique among those that have one: Meta.constraints).
    reference = models.CharField(_("saksnummer"), max_length=30, null=True, blank=True)  # noqa: DJ001
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("opprettet av"))  # fmt: skip
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)
    updated_at = models.DateTimeField(_("sist endret"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("sist endret av"))  # fmt: skip
    submitted_at = models.DateTimeField(_("sendt inn"), null=True, blank=True)
    approval_requested_at = models.DateTimeField(_("sendt til godkjenning"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("trukket"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("begrunnelse for tilbaketrekking"), blank=True)
    creation_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, db_index=False,
                                    related_name="copies", verbose_name=_("kopiert fra"))  # fmt: skip
    # Kept by the review services in the transaction that changes their sources (review/figures.py),
    # so the officers' queue filters on them with an index instead of grouping every score per request.
    weighted_score = models.DecimalField(_("vektet karakter"), max_digits=12, decimal_places=6, null=True,
                                         blank=True, editable=False)  # fmt: skip
    review_due_first = models.DateField(_("første frist for åpen fagvurdering"), null=True, blank=True,
                                        editable=False)  # fmt: skip

    class Meta:
        verbose_name = _("søknad")
        verbose_name_plural = _("søknader")
        ordering = ["-updated_at", "-pk"]
        # ``state`` is in no index, and the table leaves half of each page free (fillfactor 50,
        # migration 0012 on PostgreSQL): closing a call's 100 000 drafts at the deadline changes only
        # ``state``, so PostgreSQL writes each new row version on the same page with no index entry
        # at all (a HOT update), instead of one entry per index and draft: 1.8 s instead of 3.4 s
        # (applications.services.deadlines, `make bench` close-100k). The price is a heap about twice
        # as large. A query on a call's applications in a state reads the call's rows by
        # ``application_call`` and filters them. No index where a composite one starts with the
        # column (organisation), and partial indexes on the columns a draft leaves empty (reference,
        # submitted_at, the review figures, stage, copied_from): a draft's row has no entry in them,
        # and every query on them filters or joins on a value, which excludes NULL.
        indexes = [
            models.Index(fields=["organisation", "-updated_at"], name="application_org_updated"),
            models.Index(fields=["call"], name="application_call"),
            # The officers' queue pages by (submitted_at, id) with a keyset (casework/queue.py); its
            # scope is submitted applications (``submitted_at__isnull=False``).
            models.Index(fields=["-submitted_at", "-id"], name="application_submitted_keyset",
                         condition=Q(submitted_at__isnull=False)),
            models.Index(fields=["weighted_score"], name="application_weighted_score",
                         condition=Q(weighted_score__isnull=False)),
            models.Index(fields=["review_due_first"], name="application_review_due_first",
                         condition=Q(review_due_first__isnull=False)),
            models.Index(fields=["stage"], name="application_stage", condition=Q(stage__isnull=False)),
            models.Index(fields=["copied_from"], name="application_copied_from",
                         condition=Q(copied_from__isnull=False)),
        ]  # fmt: skip
        constraints = [
            # A reference number is given at the first submit; drafts have none (NULL).
            models.UniqueConstraint(fields=["reference"], condition=Q(reference__isnull=False),
                                    name="application_reference_unique"),
        ]  # fmt: skip

    def __str__(self):
        return self.reference or self.title or gettext("Søknad %(pk)s") % {"pk": self.pk}

    @property
    def deadline(self):
        """The moment after which nothing can be submitted: the stage's deadline, else the call's."""
        if self.stage_id and self.stage.closes_at:
            return self.stage.closes_at
        return self.call.closes_at

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def applicant_state_label(self) -> str:
        return applicant_label(self.state)

    def section_version(self, key: str) -> int:
        return int((self.sections.get(key) or {}).get("v", 0))


class PartnerRole(models.TextChoices):
    PARTNER = "partner", _("Partner")
    RESEARCH = "research-partner", _("Forskningspartner")
    COMPANY = "company-partner", _("Bedriftspartner")
    CO_FUNDER = "co-funder", _("Medfinansiør")


class ApplicationPartner(models.Model):
    """A partner organisation of an application (also kept in the answers, for the form's checks).
    Its members may read the application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="partnerships", verbose_name=_("organisasjon"))  # fmt: skip
    role = models.CharField(_("rolle"), max_length=20, choices=PartnerRole.choices)
    question_key = models.CharField(max_length=50)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partnere")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "organisation"], name="application_partner_unique")
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class ApplicationFile(models.Model):
    """A stored file in one of an application's attachment slots (``question_key``). Files of a
    submitted version stay: a later change only detaches them from the working copy."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    stored_file = models.ForeignKey("attachments.StoredFile", on_delete=models.PROTECT, related_name="+")
    question_key = models.CharField(max_length=50)
    attached = models.BooleanField(default=True)  # False: removed from the working copy, kept for versions
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "stored_file"], name="application_file_unique")]
        indexes = [models.Index(fields=["stored_file"], name="application_file_stored")]

    def __str__(self):
        return f"{self.question_key}: {self.stored_file_id}"


class ApplicationVersion(AppendOnlyModel):
    """A frozen submission: everything that was sent, as it was (``content``), written once."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versjon"))
    submitted_at = models.DateTimeField(_("sendt inn"))
    # PROTECT, not SET_NULL: the database refuses to rewrite a version (audit_guard), so deleting a
    # person who submitted is refused up front; retention anonymises people instead.
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                     related_name="+", verbose_name=_("sendt inn av"))  # fmt: skip
    content = models.JSONField(_("innhold"))
    content_sha256 = models.CharField(_("SHA-256 av innholdet"), max_length=64)

    class Meta:
        verbose_name = _("innsendt versjon")
        verbose_name_plural = _("innsendte versjoner")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="application_version_unique")]

    def __str__(self):
        return f"{self.content.get('reference', '')} v{self.number}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Opprettet")
    COPIED = "copied", _("Kopiert fra en annen søknad")
    SAVED = "saved", _("Lagret")
    PARTNER_ADDED = "partner-added", _("Partner lagt til")
    PARTNER_REMOVED = "partner-removed", _("Partner fjernet")
    FILE_ADDED = "file-added", _("Vedlegg lastet opp")
    FILE_REMOVED = "file-removed", _("Vedlegg fjernet")
    BUDGET_SAVED = "budget-saved", _("Budsjett lagret")
    APPROVAL_REQUESTED = "approval-requested", _("Sendt til ansvarlig for godkjenning")
    SUBMITTED = "submitted", _("Sendt inn")
    RESUBMITTED = "resubmitted", _("Sendt inn på nytt")
    REOPENED = "reopened", _("Åpnet for endring")
    WITHDRAWN = "withdrawn", _("Trukket")
    NOT_SUBMITTED = "not-submitted", _("Ikke sendt inn før fristen")
    DEADLINE_PASSED = "deadline-passed", _("Fristen gikk ut; siste innsendte versjon gjelder")
    STATE_CHANGED = "state-changed", _("Status endret")
    FORMAL_CHECK = "formal-check", _("Formell kontroll")
    REVIEWER_ASSIGNED = "reviewer-assigned", _("Fagekspert tildelt")
    CONFLICT_DECLARED = "conflict-declared", _("Fagekspert meldte seg inhabil")
    REVIEW_SAVED = "review-saved", _("Vurdering endret")
    REVIEW_SUBMITTED = "review-submitted", _("Vurdering levert")
    CONSENSUS_SET = "consensus-set", _("Omforent karakter satt")
    DECISION_PREPARED = "decision-prepared", _("Vedtak forberedt")
    DECISION_CANCELLED = "decision-cancelled", _("Forberedt vedtak trukket")
    DECISION_CONFIRMED = "decision-confirmed", _("Vedtak bekreftet")
    OFFER_ANSWERED = "offer-answered", _("Tilbud besvart")
    FILE_DOWNLOADED = "file-downloaded", _("Vedlegg lastet ned av saksbehandler")
    REPORT_SUBMITTED = "report-submitted", _("Prosjektrapport levert")
    CASE_VIEWED = "case-viewed", _("Saken åpnet av saksbehandler")


class ApplicationEvent(AppendOnlyModel):
    """The application's timeline: one row per thing that happened, written by the services.
    Append-only in the ORM (``AppendOnlyModel``) and in the database (``audit_guard``)."""

    # PROTECT on both keys: the database refuses to delete or rewrite an event (audit_guard), so
    # deleting an application or a person with a history is refused up front, with Django's
    # «protected» message rather than a database error. Retention anonymises inside
    # audit_guard.audit_maintenance instead.
    # Indexes: see Meta (application_event_at starts with the application; system events have no actor).
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events", db_index=False)
    kind = models.CharField(_("hendelse"), max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("av"), db_index=False)  # fmt: skip
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Internal rows (reviewers, scores, staff downloads) are the agency's audit: never shown to applicants.
    internal = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("hendelse")
        verbose_name_plural = _("hendelser")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["application", "at"], name="application_event_at"),
            models.Index(fields=["actor"], name="application_event_actor", condition=Q(actor__isnull=False)),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class ReferenceCounter(models.Model):
    """The last reference number given per year and scheme code (``2026-IPOS-00042``); incremented
    under a row lock inside the submitting transaction, so numbers are unique and gapless."""

    year = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=10)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="reference_counter_unique")]

    def __str__(self):
        return f"{self.year}-{self.code}: {self.last}"


class BenefitKind(models.TextChoices):
    ECONOMIC = "okonomisk", _("Økonomisk")
    QUALITY = "kvalitet", _("Kvalitet")
    TIME = "tid", _("Tid")
    ENVIRONMENT = "miljo", _("Miljø")


class ExpectedBenefit(models.Model):
    """A benefit (gevinst) the application expects: what is measured (``indicator``), from what
    (``baseline``) to what (``target``) by when (``due_on``). Written as the draft's rows by
    ``services.application_benefits_save``; the benefits report records what was realised."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="benefits")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("type gevinst"), max_length=12, choices=BenefitKind.choices)
    indicator = models.CharField(_("indikator"), max_length=200)
    baseline = models.CharField(_("nullpunkt (i dag)"), max_length=100)
    target = models.CharField(_("mål"), max_length=100)
    due_on = models.DateField(_("når målet skal nås"))

    class Meta:
        verbose_name = _("forventet gevinst")
        verbose_name_plural = _("forventede gevinster")
        ordering = ["application", "position", "pk"]

    def __str__(self):
        return self.indicator
