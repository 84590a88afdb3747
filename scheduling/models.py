"""Deadlines as rows (see README, "Deadlines and the scheduler"), and what they produce for people:
what they follow (watch lists) and the notices shown on Min side."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EffectState(models.TextChoices):
    PENDING = "pending", _("Venter")
    RUNNING = "running", _("Kjører")
    DONE = "done", _("Utført")
    FAILED = "failed", _("Feilet")
    CANCELLED = "cancelled", _("Avlyst")  # will never run: what it was for ended (README, the planner)


class ScheduledEffect(models.Model):
    """One timed thing that must happen once: "call 42 opens", "tell user 7 that call 42 opened".

    Life cycle: pending → (claimed by the sweep) running → done, or back to pending with a later
    ``due_at`` after a failure, or failed after ``MAX_ATTEMPTS``; pending or failed → cancelled when
    the event that makes it moot commits (``engine.effects_cancel``). ``attempts`` is counted per arming
    (a reschedule or a manual retry starts again at 0); ``claim_token`` is incremented by every
    claim and never reset: a task carries the value it was sent with, and its state guard only
    matches the row while it is still ``running`` with that token, so a task of an older claim
    (redelivered, duplicated, reclaimed) finds nothing to do.
    """

    kind = models.CharField(_("type"), max_length=50)
    key = models.CharField(_("nøkkel"), max_length=200, unique=True)
    due_at = models.DateTimeField(_("tidspunkt"))
    state = models.CharField(_("tilstand"), max_length=10, choices=EffectState.choices, default=EffectState.PENDING)
    attempts = models.PositiveIntegerField(_("forsøk"), default=0)  # since it was last (re)armed
    claim_token = models.PositiveBigIntegerField(_("fangstnummer"), default=0)  # only ever grows
    claimed_at = models.DateTimeField(_("tatt"), null=True, blank=True)
    done_at = models.DateTimeField(_("utført"), null=True, blank=True)
    failed_at = models.DateTimeField(_("feilet"), null=True, blank=True)
    failure_reason = models.TextField(_("feilårsak"), blank=True)
    cancelled_at = models.DateTimeField(_("avlyst"), null=True, blank=True)
    cancel_reason = models.CharField(_("hvorfor avlyst"), max_length=200, blank=True)
    target_type = models.CharField(_("gjelder type"), max_length=50, blank=True)
    target_id = models.BigIntegerField(_("gjelder id"), null=True, blank=True)
    payload = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("planlagt hendelse")
        verbose_name_plural = _("planlagte hendelser")
        indexes = [
            # The sweep's query: due pending rows, oldest first. Done rows (the vast majority over
            # time) are not in the index.
            models.Index(fields=["due_at"], name="effect_pending_due", condition=Q(state=EffectState.PENDING)),
            models.Index(fields=["claimed_at"], name="effect_running_claimed", condition=Q(state=EffectState.RUNNING)),
            models.Index(fields=["target_type", "target_id"], name="effect_target"),
        ]

    def __str__(self):
        return f"{self.key} ({self.state})"


class CallEvent(models.Model):
    """Bookkeeping: the scheduler saw the call open or close. The catalogue's status and the
    submit guard use the clock, never this log."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Åpnet")
        CLOSED = "closed", _("Stengt")

    call = models.ForeignKey("schemes.Call", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("hendelse"), max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField(_("planlagt"))
    recorded_at = models.DateTimeField(_("registrert"))

    class Meta:
        verbose_name = _("hendelse for utlysning")
        verbose_name_plural = _("hendelser for utlysninger")
        constraints = [
            models.UniqueConstraint(fields=["call", "kind", "due_at"], name="callevent_once_per_moment"),
        ]

    def __str__(self):
        return f"{self.call_id} {self.kind} {timezone.localtime(self.due_at):%Y-%m-%d %H:%M}"


class Watch(models.Model):
    """A person follows a scheme or a theme, and hears when a matching call opens."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    theme = models.ForeignKey("schemes.Theme", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("varsel jeg følger")
        verbose_name_plural = _("varsler jeg følger")
        constraints = [
            models.CheckConstraint(
                condition=Q(scheme__isnull=False, theme__isnull=True) | Q(scheme__isnull=True, theme__isnull=False),
                name="watch_scheme_xor_theme",
            ),
            models.UniqueConstraint(fields=["user", "scheme"], name="watch_once_per_scheme"),
            models.UniqueConstraint(fields=["user", "theme"], name="watch_once_per_theme"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.scheme or self.theme}"


class Notice(models.Model):
    """A message to one person in the portal (Min side). ``key`` makes it once per person and
    cause; the text is rendered when shown, in the reader's language."""

    class Kind(models.TextChoices):
        CALL_OPENED = "call-opened", _("Utlysning åpnet")
        DRAFT_REMINDER = "draft-reminder", _("Påminnelse om utkast")
        DEADLINE_SUMMARY = "deadline-summary", _("Fristen gikk ut")
        REVIEW_REMINDER = "review-reminder", _("Påminnelse om fagvurdering")
        REVIEW_OVERDUE = "review-overdue", _("Fagvurdering forsinket")
        OFFER_REMINDER = "offer-reminder", _("Påminnelse om svar på tilbud")
        REPORT_REMINDER = "report-reminder", _("Påminnelse om prosjektrapport")
        REPORT_OVERDUE = "report-overdue", _("Prosjektrapport forsinket")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    key = models.CharField(_("nøkkel"), max_length=200, unique=True)
    call = models.ForeignKey("schemes.Call", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # What the text needs besides the call and application: {"deadline": iso, "submitted": n, "stage": kind}.
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("opprettet"))
    emailed_at = models.DateTimeField(_("sendt på e-post"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldinger")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="notice_by_user")]

    def __str__(self):
        return self.key

    @property
    def deadline(self):
        """The deadline the notice is about (stored as it was when the notice was written)."""
        value = self.data.get("deadline")
        return datetime.fromisoformat(value) if value else None
