"""Submitting and following applications: «Mine søknader», the submit page (and asking the
ansvarlig for approval), reopening, withdrawing, the timeline, submitted versions and their PDF
receipts. Views: see applications/views/__init__.py."""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from portal.forms import DesignsystemetMixin
from review.services import staff_read_record
from schemes.views.catalogue import wants_partial

from ..display import after_deadline
from ..models import Application, EventKind
from ..permissions import (
    can_edit_application,
    can_reopen_application,
    can_submit_application,
    can_withdraw_application,
    deadline_allows,
    is_applicant_ansvarlig,
    is_applicant_member,
)
from ..publicity import PUBLIC_PARTS, chosen_parts
from ..receipts import receipt_context, receipt_filename, receipt_pdf
from ..selectors import access_application, application_timeline, application_versions, applications_of_person
from ..services import (
    ApplicationError,
    NotApplicantMember,
    SoftWarning,
    SubmissionRefused,
    application_reopen,
    application_request_approval,
    application_submit,
    application_withdraw,
    definition_of,
    submission_check,
)
from ..services.common import moment
from ..timeline import timeline_rows
from ..workflow import WITHDRAW


# --- Helpers ------------------------------------------------------------------------------------
def application_page_url(application) -> str:
    """The application's overview page. Until that page exists (it is built beside this module),
    the timeline stands in, so a redirect never fails."""
    try:
        return reverse("application-detail", args=[application.pk])
    except NoReverseMatch:
        return reverse("application-timeline", args=[application.pk])


def short_moment(value: datetime) -> str:
    """22.11.2026 kl. 14:03 in Norwegian time."""
    local = timezone.localtime(value)
    return _("%(date)s kl. %(time)s") % {"date": date_format(local, "d.m.Y"), "time": local.strftime("%H:%M")}


def deadline_countdown(deadline: datetime, *, now: datetime) -> str:
    """What is left, by the server's clock and in Norwegian time: «3 dager igjen» (calendar days),
    «i morgen kl. 13:00», «i dag kl. 13:00», or «fristen gikk ut 22.11.2026»."""
    local, today = timezone.localtime(deadline), timezone.localtime(now).date()
    if deadline < now:
        return _("fristen gikk ut %(date)s") % {"date": date_format(local, "d.m.Y")}
    days = (local.date() - today).days
    if days == 0:
        return _("i dag kl. %(time)s") % {"time": local.strftime("%H:%M")}
    if days == 1:
        return _("i morgen kl. %(time)s") % {"time": local.strftime("%H:%M")}
    return ngettext("%(n)s dag igjen", "%(n)s dager igjen", days) % {"n": days}


def _require_member(user, application) -> None:
    """Partners and staff may read the application, but not act on it."""
    if not is_applicant_member(user, application):
        raise PermissionDenied(_("Bare søkerorganisasjonen kan gjøre dette."))


# --- «Mine søknader» -----------------------------------------------------------------------------
@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@login_required
def application_list(request):
    result = applications_of_person(user=request.user, data=request.GET, page_number=request.GET.get("side"))
    for application in result.page.object_list:
        application.countdown = deadline_countdown(application.deadline, now=result.now)
    partial = wants_partial(request) and result.has_any
    return render(
        request,
        "applications/list/_results.html" if partial else "applications/list/list.html",
        {
            "partial": partial,
            "filterset": result.filterset,
            "form": result.filterset.form,
            "page": result.page,
            "count": result.count,
            "has_any": result.has_any,
            "filtered": any(request.GET.get(name) for name in result.filterset.form.fields),
        },
    )


# --- Submitting ----------------------------------------------------------------------------------
ELSEWHERE_PAGES = {"partners": "application-partners", "budget": "application-budget"}
CHOICE_TYPES = {"yes-no", "single-choice", "multiple-choice"}


def _fix_url(application, item, question) -> str:
    """Where to put the item right: the page of a partners/budget/attachment question, else the
    question's field on its section page (a choice group's first choice). Empty when the item is
    about the whole application, or while that page does not exist (it is built beside this)."""
    if item.url:
        return item.url
    try:
        if question is not None and question.type.answered_elsewhere:
            name = ELSEWHERE_PAGES.get(question.type.key, "application-attachments")
            return reverse(name, args=[application.pk, question.key])
        if item.section_key:
            url = reverse("application-section", args=[application.pk, item.section_key])
            if question is not None:
                url += f"#id_{question.key}_0" if question.type.key in CHOICE_TYPES else f"#id_{question.key}"
            return url
    except NoReverseMatch:
        pass
    return ""


def _check_rows(application, check) -> list[dict]:
    questions = {question.key: (section, question) for section, question in definition_of(application).questions()}
    sections = {section.key: section for section in definition_of(application).sections}
    rows = []
    for item in check.items:
        section, question = questions.get(item.question_key, (sections.get(item.section_key), None))
        where = " – ".join(str(part) for part in (section and section.title, question and question.label) if part)
        rows.append(
            {
                "message": item.message,
                "where": where or (_("Organisasjonen") if item.url else ""),
                "url": _fix_url(application, item, question),
            }
        )
    return rows


class PublicityForm(DesignsystemetMixin, forms.Form):
    """What the project bank may show if the application is funded, beyond the owner, scheme,
    amount and title that are always public."""

    public_parts = forms.MultipleChoiceField(
        label=gettext_lazy("Dette kan vises i den offentlige prosjektbanken hvis prosjektet får tilskudd"),
        help_text=gettext_lazy(
            "Eier, ordning, beløp og tittel er alltid offentlige. Kryss av for det andre dere vil dele."
        ),
        choices=list(PUBLIC_PARTS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


PUBLICITY_MARKER = "publicity_shown"  # the form held the choice (an empty choice is a choice too)


def _publicity_form(application, data=None) -> PublicityForm:
    if data is not None and PUBLICITY_MARKER in data:
        return PublicityForm(data)
    chosen = chosen_parts(application.publicity)
    return PublicityForm(initial={"public_parts": [part for part, public in chosen.items() if public]})


def _chosen_publicity(request) -> set[str] | None:
    """The parts the bank may show, as chosen in the submit form (None: the form did not hold the
    choice, or it was not valid); the submit keeps them in its own transaction."""
    if PUBLICITY_MARKER not in request.POST:
        return None
    form = PublicityForm(request.POST)
    return set(form.cleaned_data["public_parts"]) if form.is_valid() else None


def _submit_context(request, application, *, refused: SubmissionRefused | None = None) -> dict:
    now = timezone.now()
    deadline_passed = now > application.deadline
    check = submission_check(application) if application.is_editable and not deadline_passed else None
    if refused is not None and refused.check is not None:
        check = refused.check
    blocking = [item for item in check.items if item.kind != "justification"] if check else []
    return {
        "application": application,
        "check_rows": _check_rows(application, check) if check else [],
        "blocking": blocking,
        "warnings": check.warnings if check else [],
        "officer_items": check.officer_items if check else [],
        "deadline": moment(application.deadline),
        "deadline_passed": deadline_passed,
        "after_deadline": after_deadline(
            application, now=now, is_member=is_applicant_member(request.user, application)
        ),
        "check": check,
        "outcomes": list(check.evaluation.outcomes) if check and check.evaluation else [],
        "rule_versions": check.rules.versions if check and check.rules else {},
        "may_submit": can_submit_application(request.user, application),
        "is_ansvarlig": is_applicant_ansvarlig(request.user, application),
        "may_edit": can_edit_application(request.user, application),
        "refused": refused,
        "approval_requested_at": application.approval_requested_at,
        "may_reopen": can_reopen_application(request.user, application),
        "may_withdraw": can_withdraw_application(request.user, application)
        and deadline_allows(application, WITHDRAW, now=now),
        "publicity_form": _publicity_form(application),
        "publicity_marker": PUBLICITY_MARKER,
    }


def _typed_justifications(request) -> dict[str, str]:
    """The justifications typed for the soft rules the application does not meet, by field name;
    the submit keeps them before it is tried, so they are shown again if it is refused."""
    return {name: value for name, value in request.POST.items() if name.startswith(SoftWarning.FIELD_PREFIX)}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def application_submit_view(request, pk):
    now = timezone.now()  # first: the deadline is decided by when the request arrived
    if request.method == "POST":
        return _submit(request, pk, now=now)
    application = access_application(user=request.user, pk=pk)
    _require_member(request.user, application)
    return render(request, "applications/submission/submit.html", _submit_context(request, application))


def _submit(request, pk: int, *, now) -> HttpResponse:
    """The submit itself. The service reads and locks the application once and refuses anyone not
    of the applicant (``NotApplicantMember``) before it writes anything; only then is the
    application read again for the answer: 404 for someone who may not see it, 403 for a partner
    or an officer, the page with the reasons for a refused submit. So a member's submit (the
    deadline rush) reads the application once, not twice."""
    try:
        version = application_submit(
            application_id=pk,
            by_user=request.user,
            now=now,
            justifications=_typed_justifications(request),
            public_parts=_chosen_publicity(request),
            members_only=True,
        )
    except (Application.DoesNotExist, NotApplicantMember):
        _require_member(request.user, access_application(user=request.user, pk=pk))  # 404 or 403
        raise  # a member after all: cannot happen, but never a silent success
    except SubmissionRefused as refused:
        application = access_application(user=request.user, pk=pk)
        return render(
            request, "applications/submission/submit.html", _submit_context(request, application, refused=refused)
        )
    messages.success(
        request,
        _("Søknaden er sendt inn. Saksnummeret er %(reference)s. Du får en kvittering på e-post.")
        % {"reference": version.content["reference"]},
    )
    return redirect(application_page_url(version.application))


@require_POST
@login_required
def application_request_approval_view(request, pk):
    application = access_application(user=request.user, pk=pk)
    _require_member(request.user, application)
    try:
        application_request_approval(application_id=application.pk, by_user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("application-submit", pk=application.pk)
    asked = application.events.filter(kind=EventKind.APPROVAL_REQUESTED).order_by("-at", "-pk").values("data").first()
    names = (asked or {}).get("data", {}).get("to") or []
    messages.success(
        request,
        _("Søknaden er sendt til %(names)s for godkjenning og innsending.") % {"names": ", ".join(names)},
    )
    return redirect(application_page_url(application))


@require_POST
@login_required
def application_reopen_view(request, pk):
    now = timezone.now()
    application = access_application(user=request.user, pk=pk)
    if not can_reopen_application(request.user, application):
        raise PermissionDenied(_("Bare administrativt ansvarlig kan åpne en innsendt søknad for endring."))
    try:
        application_reopen(application_id=application.pk, by_user=request.user, now=now)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Søknaden er åpnet for endring. Den innsendte versjonen gjelder til du sender inn på nytt, "
                "senest %(deadline)s."
            )
            % {"deadline": moment(application.deadline)},
        )
    return redirect(application_page_url(application))


class WithdrawForm(DesignsystemetMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Hvorfor trekkes søknaden?"),
        help_text=gettext_lazy("Begrunnelsen lagres i søknadens historikk."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Skriv hvorfor søknaden trekkes.")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def application_withdraw_view(request, pk):
    now = timezone.now()
    application = access_application(user=request.user, pk=pk)
    if not can_withdraw_application(request.user, application):
        raise PermissionDenied(_("Bare administrativt ansvarlig kan trekke søknaden."))
    if not deadline_allows(application, WITHDRAW, now=now):
        # Nothing to withdraw: say what happened (a late POST included) instead of a form that cannot work.
        notice = after_deadline(application, now=now, is_member=True)
        return render(request, "applications/submission/withdraw.html", {"application": application,
                                                                         "after_deadline": notice})  # fmt: skip
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(
                application_id=application.pk, by_user=request.user, reason=form.cleaned_data["reason"], now=now
            )
        except ApplicationError as error:
            form.add_error("reason" if error.code == "reason" else None, error.message)
        else:
            messages.success(request, _("Søknaden er trukket."))
            return redirect(application_page_url(application))
    return render(request, "applications/submission/withdraw.html", {"application": application, "form": form})


# --- Following it --------------------------------------------------------------------------------
def _event_details(event, *, section_titles: dict[str, str]) -> list[str]:
    data, kind = event.data or {}, event.kind
    if kind in (EventKind.SAVED, EventKind.BUDGET_SAVED) and data.get("section"):
        return [section_titles.get(data["section"], data["section"])]
    if kind in (EventKind.PARTNER_ADDED, EventKind.PARTNER_REMOVED, EventKind.FILE_ADDED, EventKind.FILE_REMOVED):
        return [data["name"]] if data.get("name") else []
    if kind in (EventKind.SUBMITTED, EventKind.RESUBMITTED):
        return [
            _("Saksnummer %(reference)s, versjon %(version)s")
            % {"reference": data.get("reference", ""), "version": data.get("version", "")}
        ]
    if kind == EventKind.WITHDRAWN and data.get("reason"):
        return [_("Begrunnelse: %(reason)s") % {"reason": data["reason"]}]
    if kind == EventKind.APPROVAL_REQUESTED and data.get("to"):
        return [_("Sendt til %(names)s") % {"names": ", ".join(data["to"])}]
    return []


@require_safe
@login_required
def application_timeline_view(request, pk):
    application = access_application(user=request.user, pk=pk)
    definition = definition_of(application)
    section_titles = {section.key: str(section.title) for section in definition.sections}
    section_titles.update({q.key: str(q.label) for _section, q in definition.questions()})
    events = timeline_rows(application, application_timeline(application=application))
    for row in events:
        row["when"] = short_moment(row["event"].at)
        row["details"] = _event_details(row["event"], section_titles=section_titles)
    versions = list(application_versions(application=application))
    return render(
        request,
        "applications/submission/timeline.html",
        {"application": application, "events": events, "versions": versions},
    )


def _version(request, pk, number):
    application = access_application(user=request.user, pk=pk)
    version = get_object_or_404(application_versions(application=application), number=number)
    return application, version


@require_safe
@login_required
def application_version_view(request, pk, number):
    application, version = _version(request, pk, number)
    context = receipt_context(version=version)
    context.update(
        {
            "application": application,
            "versions": list(application_versions(application=application)),
            "submitted": short_moment(context["submitted_at"]),
            "deadline_text": moment(context["deadline"]),
        }
    )
    return render(request, "applications/submission/version.html", context)


@require_safe
@login_required
def application_receipt_view(request, pk, number):
    application, version = _version(request, pk, number)
    filename = receipt_filename(version=version)
    staff_read_record(request.user, application, what=filename)  # the agency's audit of staff downloads
    response = HttpResponse(receipt_pdf(version=version), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("soknader/", application_list, name="application-list"),
    path("soknader/<int:pk>/send-inn/", application_submit_view, name="application-submit"),
    path(
        "soknader/<int:pk>/be-om-godkjenning/",
        application_request_approval_view,
        name="application-request-approval",
    ),
    path("soknader/<int:pk>/apne/", application_reopen_view, name="application-reopen"),
    path("soknader/<int:pk>/trekk/", application_withdraw_view, name="application-withdraw"),
    path("soknader/<int:pk>/historikk/", application_timeline_view, name="application-timeline"),
    path("soknader/<int:pk>/versjoner/<int:number>/", application_version_view, name="application-version"),
    path(
        "soknader/<int:pk>/versjoner/<int:number>/kvittering.pdf",
        application_receipt_view,
        name="application-receipt",
    ),
]
