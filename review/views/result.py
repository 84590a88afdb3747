"""The applicant's «Vedtak og tilbud» page: the decision, the letter, what the call shares of the
assessment (never who wrote it, never the agency's internal notes), and the offer's answer by the
administrativt ansvarlig; or the formal rejection with its reasons and appeal deadline. Only
members of the applicant organisation see it (partners and staff: 404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications.errors import ApplicationError
from applications.permissions import actors_for, is_applicant_member
from applications.selectors import access_application
from applications.workflow import ACCEPT_OFFER, available

from ..forms import OfferAnswerForm
from ..letters import letter_filename, letter_pdf
from ..selectors import applicant_result
from ..services import offer_answer


def _applicant_application(request, pk):
    if not request.user.is_authenticated:
        return None
    application = access_application(user=request.user, pk=pk)
    if not is_applicant_member(request.user, application):
        raise Http404
    return application


def _may_answer(user, application) -> bool:
    return any(t.name == ACCEPT_OFFER for t in available(state=application.state, actors=actors_for(user, application)))


def _render(request, application, *, form=None, status=200):
    result = applicant_result(application=application)
    offer = result["offer"]
    open_offer = offer is not None and not offer.answer and _may_answer(request.user, application)
    context = {
        "application": application,
        **result,
        "offer_deadline": timezone.localtime(offer.deadline) if offer else None,
        "answer_form": (form or OfferAnswerForm()) if open_offer else None,
        "awaiting_answer": offer is not None and not offer.answer,
    }
    return render(request, "review/pages/result.html", context, status=status)


def _login(request):
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(request.get_full_path())


@require_safe
def result_page(request, pk):
    application = _applicant_application(request, pk)
    if application is None:
        return _login(request)
    return _render(request, application)


@require_POST
def answer(request, pk):
    application = _applicant_application(request, pk)
    if application is None:
        return _login(request)
    if not _may_answer(request.user, application):
        raise PermissionDenied(_("Bare administrativt ansvarlig i organisasjonen kan svare på tilbudet."))
    form = OfferAnswerForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["answer"] == OfferAnswerForm.ACCEPT
        try:
            offer_answer(
                application_id=application.pk, by_user=request.user, accept=accept, comment=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Dere har akseptert tilbudet.") if accept else _("Dere har takket nei til tilbudet.")
            )
            return redirect(reverse("application-offer", args=[application.pk]))
    return _render(request, application, form=form)


@require_safe
def letter(request, pk):
    application = _applicant_application(request, pk)
    if application is None:
        return _login(request)
    decision = applicant_result(application=application)["decision"]
    if decision is None:
        raise Http404
    response = HttpResponse(letter_pdf(decision=decision), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(decision=decision)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("soknader/<int:pk>/tilbud/", result_page, name="application-offer"),
    path("soknader/<int:pk>/tilbud/svar/", answer, name="application-offer-answer"),
    path("soknader/<int:pk>/vedtak.pdf", letter, name="application-decision-letter"),
]
