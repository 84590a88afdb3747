"""The answers given on their own pages: partners, the budget table, attachment slots.

Everyone who may see the application (``access_application``: its organisation, partner
organisations, staff once it is submitted) gets the GET pages; only those who may edit it
(``can_edit_application``) see forms, and a POST from anyone else is refused (403). Writes go
through ``applications.services``; a refused input is shown again as it was typed.
"""

from datetime import date, datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from attachments.errors import UploadRejected
from attachments.kinds import KINDS
from organisations.models import Organisation
from organisations.validators import clean_organisation_number
from portal.numbers import format_kroner, format_percent

from ..budget import BudgetDataError, budget_from_json, budget_problems, budget_to_json
from ..forms_parts import FIRST_YEAR, LAST_YEAR, AttachmentUploadForm, BudgetForm, BudgetYearsForm, PartnerAddForm
from ..models import ApplicationFile
from ..permissions import can_edit_application
from ..selectors import access_application
from ..services import (
    ApplicationError,
    application_budget_save,
    application_file_add,
    application_file_remove,
    application_partner_add,
    application_partner_remove,
    definition_of,
)


def _question(application, question_key: str, type_key: str):
    for _section, question in definition_of(application).questions():
        if question.key == question_key and question.type.key == type_key:
            return question
    raise Http404


def _editable_or_403(request, application) -> None:
    if not can_edit_application(request.user, application):
        raise PermissionDenied(_("Du kan ikke endre denne søknaden."))


def _context(application, question, **extra) -> dict:
    return {"app": application, "question": question, **extra}


# --- Partners -------------------------------------------------------------------------------------
def _partners_page(request, application, question, form, *, status=200):
    partners = list(
        application.partners.filter(question_key=question.key).select_related("organisation").order_by("added_at", "pk")
    )
    unknown = bool(form is not None and form.errors and ({"name", "kind"} & set(form.errors)))
    context = _context(
        application,
        question,
        partners=partners,
        form=form,
        unknown=unknown,
        min_partners=question.params.get("min_partners"),
        max_partners=question.params.get("max_partners"),
        editable=can_edit_application(request.user, application),
    )
    return render(request, "applications/parts/partners.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def partners(request, pk: int, question_key: str):
    application = access_application(user=request.user, pk=pk)
    question = _question(application, question_key, "partners")
    editable = can_edit_application(request.user, application)
    if request.method != "POST":
        return _partners_page(request, application, question, PartnerAddForm() if editable else None)
    _editable_or_403(request, application)
    form = PartnerAddForm(request.POST)
    if form.is_valid():
        try:
            partner = application_partner_add(
                application_id=application.pk,
                question_key=question.key,
                org_number=form.cleaned_data["org_number"],
                role=form.cleaned_data["role"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                by_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s er lagt til som partner.") % {"name": partner.organisation.name})
            return redirect("application-partners", application.pk, question.key)
    return _partners_page(request, application, question, form)


@require_safe
@login_required
def partner_lookup(request, pk: int, question_key: str):
    """The htmx answer to «whose number is this?» while an editor types: only for editors."""
    application = access_application(user=request.user, pk=pk)
    _question(application, question_key, "partners")
    _editable_or_403(request, application)
    typed = request.GET.get("org_number", "").strip()
    organisation, problem = None, ""
    if typed:
        try:
            number = clean_organisation_number(typed)
        except ValidationError as error:
            problem = error.messages[0]
        else:
            organisation = Organisation.objects.filter(org_number=number).only("name", "kind").first()
    context = {"typed": typed, "organisation": organisation, "problem": problem}
    return render(request, "applications/parts/_partner_lookup.html", context)


@require_POST
@login_required
def partner_remove(request, pk: int, question_key: str, partner_id: int):
    application = access_application(user=request.user, pk=pk)
    _question(application, question_key, "partners")
    _editable_or_403(request, application)
    partner = (
        application.partners.filter(pk=partner_id, question_key=question_key).select_related("organisation").first()
    )
    if partner is None:
        raise Http404
    try:
        application_partner_remove(application_id=application.pk, partner_id=partner.pk, by_user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s er fjernet som partner.") % {"name": partner.organisation.name})
    return redirect("application-partners", application.pk, question_key)


# --- Budget -------------------------------------------------------------------------------------
def _stored_budget(application, question_key):
    try:
        return budget_from_json(application.answers.get(question_key))
    except BudgetDataError:
        return budget_from_json(None)


def _default_years(application, stored, max_years: int) -> tuple[int, int]:
    if stored.years:
        first = stored.years[0]
        return first, min(max(stored.years[-1] - first + 1, 1), max_years)
    start = application.answers.get("startdato")
    if isinstance(start, str):
        try:
            return date.fromisoformat(start).year, max_years
        except ValueError:
            pass
    return timezone.localdate().year + 1, max_years


def _budget_summary(application, budget) -> dict:
    """Totals, shares and the call's rule checks, formatted for the page (and its live fragment)."""
    call = application.call
    problems = budget_problems(
        budget,
        own_funding_min_percent=call.own_funding_min_percent,
        min_amount=call.min_amount,
        max_amount=call.max_amount,
    )

    def share(amount: Decimal) -> str:
        value = budget.share(amount)
        return "—" if value is None else format_percent(value, 1)

    return {
        "total": format_kroner(budget.total_costs),
        "funding": [
            (_("Egenfinansiering"), format_kroner(budget.own_funding), share(budget.own_funding)),
            (_("Annen finansiering"), format_kroner(budget.other_funding), share(budget.other_funding)),
            (_("Omsøkt beløp"), format_kroner(budget.requested), share(budget.requested)),
        ],
        "total_financing": format_kroner(budget.total_financing),
        "problems": problems,
        "rules": {
            "own_min": format_percent(call.own_funding_min_percent, 1)
            if call.own_funding_min_percent is not None
            else "",
            "min_amount": format_kroner(call.min_amount) if call.min_amount is not None else "",
            "max_amount": format_kroner(call.max_amount) if call.max_amount is not None else "",
        },
    }


def _table(form: BudgetForm, budget) -> list:
    """Rows of the table: (category, label, [(bound field, amount as text) per year], row total)."""
    return [
        (
            category,
            label,
            [
                (field, format_kroner(budget.costs.get((category, year), 0)))
                for field, year in zip(fields, form.years, strict=True)
            ],
            format_kroner(budget.category_total(category)),
        )
        for category, label, fields in form.rows()
    ]


def _column_totals(budget, years) -> list[tuple[int, str]]:
    return [(year, format_kroner(budget.year_total(year))) for year in years]


def _conflict(application, question_key) -> dict:
    """Who saved the budget in between, when, and their totals."""
    saved = application.sections.get(f"q:{question_key}") or {}
    at = datetime.fromisoformat(saved["at"]) if saved.get("at") else None
    theirs = _stored_budget(application, question_key)
    return {
        "by": saved.get("by") or _("en kollega"),
        "at": date_format(timezone.localtime(at), "H:i") if at else "",
        "total": format_kroner(theirs.total_costs),
        "requested": format_kroner(theirs.requested),
        "own_funding": format_kroner(theirs.own_funding),
    }


def _max_years(question) -> int:
    return int(question.params.get("max_years") or 5)


def _years_of(request, application, question, stored) -> tuple[BudgetYearsForm, list[int]]:
    """The years the table shows. Saving and the live preview read the cells of the years on the
    screen (the hidden ``shown``), even if the year fields were changed without pressing «Oppdater
    år»; «Oppdater år» and a GET take the year fields; otherwise the default."""
    max_years = _max_years(question)
    first, count = _default_years(application, stored, max_years)
    if request.method == "POST":
        source = request.POST
        shown = _shown_years(source.get("shown", ""), max_years=max_years)
        if shown and source.get("action") != "years":
            source = {"first_year": shown[0], "years": len(shown)}
    else:
        source = request.GET
    data = {"first_year": source.get("first_year", first), "years": source.get("years", count)}
    years_form = BudgetYearsForm(data, max_years=max_years)
    if years_form.is_valid():
        first, count = years_form.cleaned_data["first_year"], years_form.cleaned_data["years"]
    return years_form, list(range(first, first + count))


def _shown_years(value: str, *, max_years: int) -> list[int]:
    """The years the page showed, from its hidden ``shown`` field («2027:5»); [] when unreadable."""
    first, _sep, count = value.partition(":")
    if not (first.isdigit() and count.isdigit()):
        return []
    first, count = int(first), int(count)
    if not (first >= FIRST_YEAR and 1 <= count <= max_years and first + count - 1 <= LAST_YEAR):
        return []
    return list(range(first, first + count))


def _int_or(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def budget(request, pk: int, question_key: str):
    application = access_application(user=request.user, pk=pk)
    question = _question(application, question_key, "budget")
    categories = list(question.params.get("categories") or [])
    editable = can_edit_application(request.user, application)
    stored = _stored_budget(application, question.key)
    years_form, years = _years_of(request, application, question, stored)
    if not editable and stored.years:
        years = list(range(stored.years[0], stored.years[-1] + 1))  # readers see every stored year
    base_version = application.section_version(f"q:{question.key}")
    conflict, page_error = None, ""
    if request.method == "POST":
        _editable_or_403(request, application)
        form = BudgetForm(request.POST, categories=categories, years=years)
        valid = form.is_valid()
        current = form.readable_budget()
        if request.GET.get("preview") or request.POST.get("preview"):
            context = {
                "summary": _budget_summary(application, current),
                "unreadable": form.unreadable,
                "requested": format_kroner(current.requested),
                "table": _table(form, current),
                "column_totals": _column_totals(current, years),
            }
            return render(request, "applications/parts/_budget_live.html", context)
        typed_version = _int_or(request.POST.get("base_version"), -1)
        if valid and request.POST.get("action") != "years":
            try:
                saved, version = application_budget_save(
                    application_id=application.pk,
                    question_key=question.key,
                    budget_json=budget_to_json(current),
                    base_version=typed_version,
                    by_user=request.user,
                )
            except ApplicationError as error:
                page_error = error.message
            else:
                if saved:
                    now = date_format(timezone.localtime(), "H:i")
                    messages.success(request, _("Budsjettet er lagret kl. %(time)s.") % {"time": now})
                    url = reverse("application-budget", args=[application.pk, question.key])
                    return redirect(f"{url}?first_year={years[0]}&years={len(years)}")
                application.refresh_from_db(fields=["answers", "sections"])
                conflict = _conflict(application, question.key)
                base_version = version  # saving again overwrites the colleague's budget, knowingly
        if not conflict and typed_version >= 0:
            base_version = typed_version  # what was typed is still based on the version it was loaded from
    else:
        initial = BudgetForm.initial_from(stored, categories=categories, years=years)
        form = BudgetForm(initial=initial, categories=categories, years=years)
        current = stored
    hidden_years = sorted(set(stored.years) - set(years))
    context = _context(
        application,
        question,
        form=form if editable else None,
        years_form=years_form,
        years=years,
        table=_table(form, current),
        column_totals=_column_totals(current, years),
        summary=_budget_summary(application, current),
        requested=format_kroner(current.requested),
        base_version=base_version,
        conflict=conflict,
        page_error=page_error,
        hidden_years_text=", ".join(str(year) for year in hidden_years),
        editable=editable,
    )
    return render(request, "applications/parts/budget.html", context)


# --- Attachments ----------------------------------------------------------------------------------
def _attachments_page(request, application, question, form, *, untouched=False):
    files = list(
        application.files.filter(question_key=question.key, attached=True)
        .select_related("stored_file", "added_by")
        .order_by("added_at", "pk")
    )
    allowed = list(question.params.get("allowed_extensions") or [])
    context = _context(
        application,
        question,
        files=files,
        form=form,
        allowed_labels=[str(KINDS[code].code.label) for code in allowed if code in KINDS],
        max_size_mb=question.params.get("max_size_mb", 10),
        multiple=bool(question.params.get("multiple")),
        untouched=untouched,
        editable=can_edit_application(request.user, application),
    )
    return render(request, "applications/parts/attachments.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def attachments(request, pk: int, question_key: str):
    application = access_application(user=request.user, pk=pk)
    question = _question(application, question_key, "attachment")
    allowed = list(question.params.get("allowed_extensions") or [])
    editable = can_edit_application(request.user, application)
    if request.method != "POST":
        return _attachments_page(
            request, application, question, AttachmentUploadForm(allowed=allowed) if editable else None
        )
    _editable_or_403(request, application)
    form = AttachmentUploadForm(request.POST, request.FILES, allowed=allowed)
    if form.is_valid():
        try:
            added = application_file_add(
                application_id=application.pk,
                question_key=question.key,
                uploaded_file=form.cleaned_data["file"],
                by_user=request.user,
            )
        except UploadRejected as error:
            form.add_error("file", error.messages[0])
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s er lastet opp.") % {"name": added.stored_file.display_name})
            return redirect("application-attachments", application.pk, question.key)
    return _attachments_page(request, application, question, form, untouched=True)


@require_POST
@login_required
def file_remove(request, pk: int, file_id: int):
    application = access_application(user=request.user, pk=pk)
    _editable_or_403(request, application)
    attached = (
        ApplicationFile.objects.filter(application=application, pk=file_id, attached=True)
        .select_related("stored_file")
        .first()
    )
    if attached is None:
        raise Http404
    try:
        application_file_remove(application_id=application.pk, file_id=attached.pk, by_user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s er fjernet.") % {"name": attached.stored_file.display_name})
    return redirect("application-attachments", application.pk, attached.question_key)


urlpatterns = [
    path("soknader/<int:pk>/partnere/<slug:question_key>/", partners, name="application-partners"),
    path("soknader/<int:pk>/partnere/<slug:question_key>/oppslag/", partner_lookup, name="application-partner-lookup"),
    path(
        "soknader/<int:pk>/partnere/<slug:question_key>/<int:partner_id>/fjern/",
        partner_remove,
        name="application-partner-remove",
    ),
    path("soknader/<int:pk>/budsjett/<slug:question_key>/", budget, name="application-budget"),
    path("soknader/<int:pk>/vedlegg/<slug:question_key>/", attachments, name="application-attachments"),
    path("soknader/<int:pk>/vedlegg/fil/<int:file_id>/fjern/", file_remove, name="application-file-remove"),
]
