"""Project reports: the applicant's page (members of the applicant organisation: the reports
due, and a form per open report) and the officers' list of late and soon due reports in the
schemes they handle."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import staff_required
from applications.errors import ApplicationError
from applications.permissions import is_applicant_member
from applications.selectors import access_application
from applications.workflow import State
from attachments.errors import UploadRejected

from ..forms import ReportForm
from ..report_selectors import application_reports, benefits_for_officer, reports_for_officer
from ..reports import report_submit


@require_http_methods(["GET", "HEAD", "POST"])
def application_reports_page(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = access_application(user=request.user, pk=pk)
    if not is_applicant_member(request.user, application):
        raise Http404  # partners and staff: the applicant's own page
    reports = application_reports(application=application)
    benefits = list(application.benefits.order_by("position", "pk"))
    bound = None
    if request.method == "POST":
        report = next((r for r in reports if str(r.pk) == request.POST.get("report")), None)
        if report is None:
            raise Http404
        bound = ReportForm(request.POST, request.FILES, report=report, benefits=benefits)
        if bound.is_valid():
            try:
                report_submit(report_id=report.pk, by_user=request.user, text=bound.cleaned_data["text"],
                              uploaded_file=bound.cleaned_data["file"], realised=bound.realised())  # fmt: skip
            except UploadRejected as error:
                bound.add_error("file", error.messages[0])
            except ApplicationError as error:
                bound.add_error(None, error.message)
            else:
                messages.success(request, _("%(kind)s er levert.") % {"kind": report.get_kind_display()})
                return redirect("application-reports", application.pk)
    open_reports = application.state == State.IN_REPORTING
    today = timezone.localdate()
    rows = [
        {
            "report": report,
            "late": not report.submitted_at and report.due_date < today,
            "form": None if report.submitted_at or not open_reports
            else bound if bound is not None and bound.report.pk == report.pk
            else ReportForm(report=report, benefits=benefits),
        }
        for report in reports
    ]  # fmt: skip
    return render(request, "review/pages/reports.html", {"application": application, "rows": rows})


@require_safe
@staff_required
def staff_reports_page(request):
    return render(request, "review/pages/staff_reports.html", reports_for_officer(user=request.user))


@require_safe
@staff_required
def staff_benefits_page(request):
    return render(request, "review/pages/staff_benefits.html", benefits_for_officer(user=request.user))


urlpatterns = [
    path("soknader/<int:pk>/rapporter/", application_reports_page, name="application-reports"),
    path("saksbehandling/rapporter/", staff_reports_page, name="staff-reports-overdue"),
    path("saksbehandling/gevinster/", staff_benefits_page, name="staff-benefits"),
]
