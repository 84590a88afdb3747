from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from accounts.models import StaffRole
from accounts.permissions import can_handle_scheme, staff_access
from review.selectors import PanelRow, panel_ranking
from schemes.models import Call, Scheme

from .filters import QueueFilter
from .queue import Cursor, for_table, keyset_page, oslo_today, queue_scope, with_figures


def staff_roles_for_user(*, user) -> tuple[StaffRole, ...]:
    return staff_access(user).role_rows


def schemes_handled_by(*, user):
    access = staff_access(user)
    schemes = Scheme.objects.all() if access.all_schemes else Scheme.objects.filter(pk__in=access.handled_scheme_ids)
    return schemes.only("pk", "name", "slug", "is_active").order_by("-is_active", "name")


def access_scheme_for_staff(*, user, slug: str) -> Scheme:
    """The scheme, if the person handles it; otherwise 404 (as if it did not exist to them)."""
    scheme = Scheme.objects.prefetch_related("agencies").filter(slug=slug).first()
    if scheme is None or not can_handle_scheme(user, scheme):
        raise Http404
    return scheme


def scheme_staff(*, scheme: Scheme):
    """Who works on the scheme: its saksbehandlere and the administrators of its agencies."""
    return (
        StaffRole.objects.filter(
            Q(role=StaffRole.Role.OFFICER, schemes=scheme)
            | Q(role=StaffRole.Role.ADMINISTRATOR, agency__in=scheme.agencies.all())
        )
        .select_related("user", "agency")
        .distinct()
        .order_by("role", "user__full_name", "user__email")
    )


# --- The work queue (casework/queue.py builds the SQL) -----------------------------------------------
def application_queue(*, user, data, after: str | None = None, before: str | None = None, today=None):
    """One page of the person's queue with the filters in ``data`` (a QueryDict): the FilterSet (for
    the form) and a ``QueuePage``. Invalid filter values filter nothing (the form shows why). Two
    queries for the form's choices when rendered, one for the page."""
    filterset = queue_filter(user=user, data=data, today=today)
    page = keyset_page(
        for_table(filterset.qs), after=Cursor.parse(after), before=None if after else Cursor.parse(before)
    )
    return filterset, page


def queue_filter(*, user, data, today=None) -> QueueFilter:
    today = today or oslo_today()
    return QueueFilter(data or None, with_figures(queue_scope(user=user), today=today), user=user, today=today)


def queue_export(*, user, data, today=None):
    """Every row of the filtered queue, newest submission first, for the CSV (streamed in chunks)."""
    filterset = queue_filter(user=user, data=data, today=today)
    return for_table(filterset.qs).order_by("-submitted_at", "-pk").iterator(chunk_size=2000)


# --- The panel of a call ---------------------------------------------------------------------------
def access_call_for_staff(*, user, slug: str) -> Call:
    """The call, if the person handles its scheme; otherwise 404 (as if it did not exist to them)."""
    call = Call.objects.select_related("scheme").filter(slug=slug).first()
    if call is None or not can_handle_scheme(user, call.scheme):
        raise Http404
    return call


@dataclass
class PanelLine:
    rank: int
    row: PanelRow
    cells: list[tuple]  # (criterion, score or None, consensus?)
    budget_ends_before: bool = False  # the first row the call's budget no longer covers


def call_panel(*, call: Call) -> tuple[list[PanelLine], dict]:
    """``review.selectors.panel_ranking`` laid out for the table: per-criterion cells in the
    criteria's order, and where the budget runs out."""
    rows, summary = panel_ranking(call=call)
    criteria = summary["criteria"]
    lines, budget_line_drawn = [], False
    for rank, row in enumerate(rows, start=1):
        line = PanelLine(
            rank=rank,
            row=row,
            cells=[(c, row.criterion_scores.get(c.pk), c.pk in row.consensus) for c in criteria],
        )
        if not row.within_budget and not budget_line_drawn:
            line.budget_ends_before = budget_line_drawn = True
        lines.append(line)
    return lines, summary
