"""The access log of one case (``review/access_log.py``) for the scheme's officers and
administrators: a page, linked from the case page, and the same rows as CSV. Everyone else gets
the case page's 404 (``access_case``): reviewers, applicants, officers of other schemes."""

import csv

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.decorators import staff_required

from ..access_log import access_what, case_access_page, case_accesses
from ..selectors import access_case


@staff_required
@require_safe
def case_access(request, pk):
    application = access_case(user=request.user, pk=pk)
    page = case_access_page(application=application, page_number=request.GET.get("side"))
    rows = [(event, access_what(event)) for event in page.object_list]
    return render(request, "review/pages/access_log.html", {"application": application, "page": page, "rows": rows})


class _Echo:
    def write(self, value):
        return value


def _cell(text: str) -> str:
    """A file name typed by an applicant, made inert for spreadsheets (CSV injection)."""
    return "'" + text if text and text[0] in "=+-@\t\r" else text


@staff_required
@require_safe
def case_access_csv(request, pk):
    """Every row, streamed: semicolon-separated UTF-8 with a BOM (Excel in a Norwegian locale)."""
    application = access_case(user=request.user, pk=pk)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    header = [_("Tidspunkt"), _("Navn"), _("E-post"), _("Hva")]

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for event in case_accesses(application=application).iterator(chunk_size=500):
            at = timezone.localtime(event.at)
            actor = event.actor
            yield writer.writerow(
                [
                    at.strftime("%d.%m.%Y %H:%M:%S"),
                    _cell(actor.full_name) if actor else "",
                    actor.email if actor else "",
                    _cell(access_what(event)),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = (application.reference or f"soknad-{application.pk}").replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="tilgangslogg-{name}.csv"'
    return response


urlpatterns = [
    path("saksbehandling/soknader/<int:pk>/tilgangslogg/", case_access, name="staff-application-access"),
    path("saksbehandling/soknader/<int:pk>/tilgangslogg.csv", case_access_csv, name="staff-application-access-csv"),
]
