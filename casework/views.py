import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import staff_required
from accounts.permissions import is_reviewer
from applications.workflow import State
from portal.localized import localized

from .forms import ASSIGN, BulkActionForm
from .queue import handles_any_scheme, queue_scope
from .selectors import (
    access_call_for_staff,
    access_scheme_for_staff,
    application_queue,
    call_panel,
    queue_export,
    scheme_staff,
    schemes_handled_by,
    staff_roles_for_user,
)
from .services import applications_transition_bulk, reviewers_assign_for_queue
from .templatetags.casework import _STATE_LABELS
from .templatetags.casework import score as format_score


def _queue_context(request, query, *, form=None):
    """The page: my roles and schemes, and — for whoever handles schemes — the queue with
    ``query`` (filters and cursor) applied."""
    context = {
        "roles": staff_roles_for_user(user=request.user),
        "schemes": schemes_handled_by(user=request.user),
        "is_reviewer": is_reviewer(request.user),
    }
    if handles_any_scheme(request.user):
        filterset, page = application_queue(
            user=request.user, data=query, after=query.get("etter"), before=query.get("for")
        )
        filters = query.copy()
        for key in ("etter", "for"):
            filters.pop(key, None)
        _prepare_rows(page.rows)
        context.update(
            queue=True,
            filterset=filterset,
            page=page,
            filter_query=filters.urlencode(),
            bulk_form=form or BulkActionForm(initial={"tilbake": query.urlencode()}),
        )
    return context


def _prepare_rows(rows) -> None:
    """Everything a row shows, formatted once here: 50 rows × a dozen template filters and URL
    reversals were most of the page's time (``make bench``: the queue within 3× of one raw query)."""
    application_url = reverse("staff-application", args=[0]).replace("/0/", "/%s/")
    panel_url = reverse("staff-call-panel", args=["slug"]).replace("/slug/", "/%s/")
    at = _("kl.")
    for app in rows:
        local = timezone.localtime(app.submitted_at) if app.submitted_at else None
        app.show = {
            "pk": str(app.pk),
            "url": application_url % app.pk,
            "panel_url": panel_url % app.call.slug,
            "call": localized(app.call, "title"),
            "state": _STATE_LABELS.get(app.state, app.state),
            "submitted": f"{local:%d.%m.%Y} {at} {local:%H:%M}" if local else "",
            "score": format_score(app.score),
            "choose": _("Velg %(reference)s") % {"reference": app.reference},
        }


@require_safe
@staff_required
def staff_home(request):
    """The start page of saksbehandling: my roles and schemes, and the work queue of the schemes I
    handle (a reviewer who handles none is pointed to the applications assigned to them)."""
    return render(request, "casework/staff_home.html", _queue_context(request, request.GET))


@staff_required  # first, so a session without two-factor is sent to the code step whatever the method
@require_POST
def staff_queue_action(request):
    """The queue's bulk action (an ordinary form post: works without JavaScript). Invalid input
    shows the page again with what was chosen; otherwise back to the same page of the queue with
    a message naming what was done and what could not be, and why."""
    back = QueryDict(request.POST.get("tilbake", ""), mutable=True)
    if not handles_any_scheme(request.user):
        raise PermissionDenied(_("Bare saksbehandlere for ordningen kan gjøre dette."))
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        return render(request, "casework/staff_home.html", _queue_context(request, back, form=form))
    # Only rows the person may list: anything else posted is ignored, unnamed.
    ids = list(queue_scope(user=request.user).filter(pk__in=form.cleaned_data["soknad"]).values_list("pk", flat=True))
    action = form.cleaned_data["handling"]
    if action == ASSIGN:
        result = reviewers_assign_for_queue(
            application_ids=ids, by_user=request.user, due_date=form.cleaned_data["frist"]
        )
        done = ngettext(
            "%(count)s søknad fikk fageksperter (%(assignments)s tildelinger).",
            "%(count)s søknader fikk fageksperter (%(assignments)s tildelinger).",
            len(result.done),
        ) % {"count": len(result.done), "assignments": result.assignments}
    else:
        result = applications_transition_bulk(application_ids=ids, name=action, by_user=request.user)
        done = _("%(count)s flyttet.") % {"count": len(result.done)}
    if result.refused:
        shown = [f"{a.reference or a.pk}: {why}" for a, why in result.refused[:10]]
        if len(result.refused) > 10:
            shown.append(_("og %(count)s til") % {"count": len(result.refused) - 10})
        refused = _("%(count)s kunne ikke flyttes") % {"count": len(result.refused)}
        if action == ASSIGN:
            refused = _("%(count)s fikk ingen nye fageksperter") % {"count": len(result.refused)}
        messages.warning(request, f"{done} {refused}: {'; '.join(shown)}.")
    else:
        messages.success(request, done)
    return redirect(reverse("staff-home") + (f"?{back.urlencode()}" if back else ""))


# Fixed Norwegian column names whatever the page's language: scripts and spreadsheets rely on them.
_CSV_COLUMNS = (
    "Saksnummer",
    "Tittel",
    "Organisasjon",
    "Utlysning",
    "Status",
    "Sendt inn",
    "Vurderinger levert",
    "Fageksperter tildelt",
    "Karakter",
    "Forsinket vurdering",
)


class _Echo:
    def write(self, value):
        return value


def _cell(text: str) -> str:
    """Text typed by applicants or admins, made inert for spreadsheets: a cell starting with = + - @
    or a tab would be read as a formula (CSV injection), so it gets a leading apostrophe."""
    return "'" + text if text and text[0] in "=+-@\t\r" else text


@require_safe
@staff_required
def staff_queue_csv(request):
    """The filtered queue as CSV (every page), streamed: semicolon-separated UTF-8 with a BOM, so
    Excel in a Norwegian locale opens it as columns; values as the page shows them."""
    rows = queue_export(user=request.user, data=request.GET) if handles_any_scheme(request.user) else iter(())
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yes, no = _("Ja"), _("Nei")

    def lines():
        yield "\ufeff" + writer.writerow(_CSV_COLUMNS)
        for a in rows:
            submitted = timezone.localtime(a.submitted_at)
            yield writer.writerow(
                [
                    a.reference or "",
                    _cell(a.title),
                    _cell(a.organisation_name),
                    _cell(localized(a.call, "title")),
                    State(a.state).label,
                    submitted.strftime("%d.%m.%Y ") + _("kl.") + submitted.strftime(" %H:%M"),
                    a.reviews_done,
                    a.reviews_assigned,
                    format_score(a.score),
                    yes if a.overdue else no,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="soknader.csv"'
    return response


@require_safe
@staff_required
def scheme_overview(request, slug):
    scheme = access_scheme_for_staff(user=request.user, slug=slug)
    return render(request, "casework/scheme_overview.html", {"scheme": scheme, "staff": scheme_staff(scheme=scheme)})


@require_safe
@staff_required
def staff_call_panel(request, slug):
    """The panel of a call: applications ranked by weighted score against the call's budget."""
    call = access_call_for_staff(user=request.user, slug=slug)
    lines, summary = call_panel(call=call)
    return render(request, "casework/call_panel.html", {"call": call, "lines": lines, "summary": summary})
