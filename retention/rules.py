"""The retention rules, one per kind of data (README, «Bevaring og sletting»). Periods are
settings (``RETENTION_*_DAYS``); each rule says which applications are due at a moment, and what
is done to them. Application events are never deleted or changed (they are the case's history,
append-only); submitted versions are the case record and stay for the archive (arkivloven), so
what goes is the working copy, its personal data and the files.

- ``draft``: applications never submitted (utkast, ikke sendt inn), ``RETENTION_DRAFT_DAYS``
  after the later of the last change and the call's deadline: files deleted; answers, title and
  who wrote them cleared.
- ``removed-file``: files removed from an application never submitted,
  ``RETENTION_REMOVED_FILE_DAYS`` after the application's last change: the file deleted.
- ``withdrawn``: ``RETENTION_WITHDRAWN_DAYS`` after the withdrawal: files deleted; the working
  copy and the reason cleared.
- ``rejected`` (formally or on merit, offer declined or lapsed): ``RETENTION_REJECTED_DAYS`` after
  the decision: files deleted; the working copy cleared.
- funded projects (innvilget and later): never by the portal; the archive's disposal rules apply.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import DateTimeField, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from applications.models import Application, ApplicationEvent, ApplicationFile
from applications.workflow import State

REJECTED_STATES = (State.FORMALLY_REJECTED, State.REJECTED, State.OFFER_DECLINED, State.OFFER_LAPSED)
KEPT_STATES = (State.APPROVED, State.OFFER_SENT, State.ACCEPTED, State.IN_REPORTING, State.COMPLETED)


def _days(name: str) -> timedelta:
    return timedelta(days=getattr(settings, name))


@dataclass(frozen=True)
class Rule:
    name: str
    clear_working_copy: bool

    def due(self, *, now: datetime):
        """The applications this rule is due for at ``now`` and has not yet been carried out on."""
        done = Q(pk__in=_done_ids(self.name))
        if self.name == "draft":
            since = Greatest("updated_at", "call__closes_at")
            return (
                Application.objects.filter(state__in=(State.DRAFT, State.NOT_SUBMITTED), submitted_at__isnull=True)
                .alias(since=since)
                .filter(since__lte=now - _days("RETENTION_DRAFT_DAYS"))
                .exclude(done)
            )
        if self.name == "withdrawn":
            return Application.objects.filter(
                state=State.WITHDRAWN, withdrawn_at__lte=now - _days("RETENTION_WITHDRAWN_DAYS")
            ).exclude(done)
        if self.name == "rejected":
            decided = ApplicationEvent.objects.filter(application=OuterRef("pk"), to_state=OuterRef("state"))
            decided_at = Subquery(decided.values("application").annotate(at=Max("at")).values("at")[:1],
                                  output_field=DateTimeField())  # fmt: skip
            return (
                Application.objects.filter(state__in=REJECTED_STATES)
                .alias(decided_at=Coalesce(decided_at, F("updated_at")))
                .filter(decided_at__lte=now - _days("RETENTION_REJECTED_DAYS"))
                .exclude(done)
            )
        raise ValueError(self.name)


RULES = (Rule("draft", True), Rule("withdrawn", True), Rule("rejected", True))


def removed_files_due(*, now: datetime):
    """Files removed from a working copy of an application that was never submitted (no version
    can refer to them), due ``RETENTION_REMOVED_FILE_DAYS`` after the application's last change."""
    return ApplicationFile.objects.filter(
        attached=False,
        application__submitted_at__isnull=True,
        application__versions__isnull=True,
        application__updated_at__lte=now - _days("RETENTION_REMOVED_FILE_DAYS"),
    ).exclude(application__state__in=KEPT_STATES)


def _done_ids(rule: str):
    from .models import RetentionAction

    return RetentionAction.objects.filter(rule=rule).values("application_id")
