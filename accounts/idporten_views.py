"""Logging in with ID-porten, and linking it to an account from Min side. All 404 while IDPORTEN_ENABLED is off."""

import functools
import logging

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from . import idporten
from .middleware import PENDING_SESSION_KEY
from .permissions import can_log_in, idporten_acr_is_sufficient
from .selectors import has_two_factor_device, user_for_idporten_pid
from .services import user_link_idporten, user_unlink_idporten
from .two_factor_views import redirect_to_two_factor

logger = logging.getLogger(__name__)

FAILED = _("Innloggingen med ID-porten kunne ikke fullføres. Prøv igjen.")
CANCELLED = _("Innloggingen med ID-porten ble avbrutt.")
ACR_TOO_LOW = _(
    "Du logget inn med for lavt sikkerhetsnivå. Innovasjonsportalen krever sikkerhetsnivå «betydelig» eller "
    "«høyt» i ID-porten. Prøv igjen med en elektronisk ID på et av disse nivåene, for eksempel MinID eller BankID."
)
NOT_LINKED = _(
    "Du har ikke koblet ID-porten til en bruker i Innovasjonsportalen ennå. Logg inn med e-post og passord "
    "først, og koble til ID-porten fra Min side. Deretter kan du logge inn med ID-porten."
)
INACTIVE = _("Denne kontoen er deaktivert. Kontakt administrativt ansvarlig i organisasjonen din.")
LINKED = _("ID-porten er nå koblet til brukeren din. Neste gang kan du logge inn med ID-porten.")
UNLINKED = _("Koblingen til ID-porten er fjernet.")


def idporten_enabled_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.IDPORTEN_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@method_decorator(idporten_enabled_required, name="dispatch")
class IDportenLoginView(idporten.IDportenStartView):
    """GET: a plain link from the login page starts the code flow."""

    def get(self, request):
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        request.session.pop(idporten.LINK_SESSION_KEY, None)
        return super().get(request)


@method_decorator([idporten_enabled_required, login_required], name="dispatch")
class IDportenLinkView(idporten.IDportenStartView):
    """POST from Min side: the same flow, whose callback links the identity to the logged-in user."""

    http_method_names = ["post"]

    def post(self, request):
        request.session[idporten.LINK_SESSION_KEY] = request.user.pk
        return super().get(request)


@require_safe
@idporten_enabled_required
def idporten_callback(request):
    linking = request.user.is_authenticated and request.session.pop(idporten.LINK_SESSION_KEY, None) == request.user.pk
    back = "my-page" if linking else "login"
    try:
        callback = idporten.claims_for_callback(request)
    except idporten.IDportenError as exc:
        messages.error(request, CANCELLED if exc.reason == "cancelled" else FAILED)
        return redirect(back)
    acr, pid = callback.claims.get("acr"), callback.claims.get("pid")
    if not idporten_acr_is_sufficient(acr):
        logger.info("ID-porten login refused: acr %r is below substantial", acr)
        messages.error(request, ACR_TOO_LOW)
        return redirect(back)
    if not isinstance(pid, str) or not pid:
        logger.warning("ID-porten login refused: the ID token has no pid")
        messages.error(request, FAILED)
        return redirect(back)
    if linking:
        return _link(request, pid=pid)
    return _log_in(request, pid=pid, id_token=callback.id_token)


def _link(request, *, pid):
    try:
        user_link_idporten(user=request.user, pid=pid)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, LINKED)
    return redirect("my-page")


def _log_in(request, *, pid, id_token):
    user = user_for_idporten_pid(pid=pid)
    if user is None:
        messages.error(request, NOT_LINKED)
        return redirect("login")
    if not can_log_in(user):
        messages.error(request, INACTIVE)
        return redirect("login")
    next_url = request.session.pop("oidc_login_next", None)  # checked for our host by the start view
    # auth.login cycles the session key, as the password login does. The model backend restores
    # the user on later requests (and refuses a user deactivated meanwhile).
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[idporten.ID_TOKEN_SESSION_KEY] = id_token
    if has_two_factor_device(user=user):
        # Whoever turned two-factor on gives the code after every login, ID-porten's included, so
        # the rule is the same for everyone (and staff pages ask for it anyway).
        request.session[PENDING_SESSION_KEY] = True
        return redirect_to_two_factor(request, next_url=next_url or resolve_url(settings.LOGIN_REDIRECT_URL),
                                      has_device=True)  # fmt: skip
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


@require_POST
@idporten_enabled_required
@login_required
def idporten_unlink(request):
    if user_unlink_idporten(user=request.user):
        messages.success(request, UNLINKED)
    return redirect("my-page")


@require_safe
@idporten_enabled_required
def idporten_logged_out(request):
    """Where ID-porten sends the person back after ending its own session on logout."""
    return render(request, "accounts/logged_out.html")
