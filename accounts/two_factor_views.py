"""Two-factor authentication pages: set up and manage (/min-side/tofaktor/) and the code step
after the password (/logg-inn/tofaktor/). Views parse, check and render; the writes are in
services.py, the rules in permissions.py."""

import base64
import io
import math
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from portal.redirects import safe_next

from .forms import TotpCodeForm, TotpSetupForm, TwoFactorVerifyForm
from .middleware import PENDING_SESSION_KEY
from .permissions import (
    enrolment_needs_email_code,
    is_two_factor_verified,
    may_turn_off_two_factor,
    requires_two_factor,
)
from .selectors import enrolment_email_code, has_two_factor_device, two_factor_status
from .services import (
    TwoFactorRequired,
    backup_codes_regenerate,
    totp_device_confirm,
    totp_device_start,
    totp_secret_base32,
    two_factor_disable,
    two_factor_email_code_send,
    two_factor_verify,
)

SEND_EMAIL_CODE = "send-email-code"  # the value of the setup page's "send the code by e-mail" button


def redirect_to_two_factor(request, *, next_url: str, has_device: bool):
    """To the code step (a confirmed device exists) or to setting one up, keeping ``next``; staff
    are told why."""
    if requires_two_factor(request.user):
        if has_device:
            messages.warning(
                request,
                _(
                    "Som saksbehandler, fagekspert eller administrator må du bekrefte innloggingen med "
                    "en kode fra autentiseringsappen."
                ),
            )
        else:
            messages.warning(
                request,
                _(
                    "Som saksbehandler, fagekspert eller administrator må du bruke tofaktorautentisering. "
                    "Sett det opp nå."
                ),
            )
    target = reverse("login-verify" if has_device else "two-factor")
    return redirect(f"{target}?{urlencode({'next': next_url})}")


def _mark_verified(request, device) -> None:
    """The session passed the second factor: remember the device, and give the session a new key
    since it now carries more rights."""
    otp_login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)
    request.session.cycle_key()


def _code_error(result) -> str:
    if result.locked_until is not None:
        seconds = max(1, math.ceil((result.locked_until - timezone.now()).total_seconds()))
        return ngettext(
            "Du har skrevet feil kode for mange ganger på rad. Vent %(seconds)d sekund, og prøv igjen.",
            "Du har skrevet feil kode for mange ganger på rad. Vent %(seconds)d sekunder, og prøv igjen.",
            seconds,
        ) % {"seconds": seconds}
    return _("Koden stemmer ikke. Bruk den nyeste koden i appen, og sjekk at klokka på telefonen går riktig.")


def _email_code_error(result) -> str:
    if result.email_code_error == "locked":
        return _code_error(result)
    if result.email_code_error == "not_sent":
        return _("Vi har ikke sendt deg noen kode ennå. Trykk «Send kode på e-post» først.")
    if result.email_code_error == "expired":
        return _("Koden fra e-posten har gått ut. Trykk «Send ny kode», og bruk koden i den nye e-posten.")
    return _("Koden fra e-posten stemmer ikke. Bruk koden i den nyeste e-posten fra oss.")


def _send_email_code(request, *, next_url: str):
    """POST from the setup page's "send the code" button: mail it, say so, back to the page."""
    sent = two_factor_email_code_send(user=request.user)
    if sent.ok:
        messages.success(
            request,
            _("Vi har sendt en kode til %(email)s. Den kan ta et par minutter å komme fram.")
            % {"email": request.user.email},
        )
    elif sent.wait_until is not None:
        seconds = max(1, math.ceil((sent.wait_until - timezone.now()).total_seconds()))
        messages.warning(
            request,
            ngettext(
                "Vi sendte deg en kode for litt siden. Vent %(seconds)d sekund før du ber om en ny.",
                "Vi sendte deg en kode for litt siden. Vent %(seconds)d sekunder før du ber om en ny.",
                seconds,
            )
            % {"seconds": seconds},
        )
    else:
        messages.error(request, _("Vi fikk ikke sendt e-posten. Prøv igjen om litt."))
    return redirect(f"{reverse('two-factor')}?{urlencode({'next': next_url})}")


def _qr_code_data_uri(text: str) -> str:
    """The QR code as an SVG made on the server, for an <img> (the CSP allows data: images)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _next_from(request) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def login_verify(request):
    """The code step after the password: a code from the app or a backup code."""
    next_url = _next_from(request)
    if is_two_factor_verified(request.user):
        request.session.pop(PENDING_SESSION_KEY, None)
        return redirect(next_url)
    if not has_two_factor_device(user=request.user):
        request.session.pop(PENDING_SESSION_KEY, None)
        if requires_two_factor(request.user):
            return redirect_to_two_factor(request, next_url=next_url, has_device=False)
        return redirect(next_url)
    form = TwoFactorVerifyForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        result = two_factor_verify(user=request.user, token=form.cleaned_data["code"])
        if result.ok:
            _mark_verified(request, result.device)
            return redirect(next_url)
        form.add_error("code", _code_error(result))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


def _render_status(request, *, next_url, status=None, disable_form=None):
    return render(
        request,
        "accounts/two_factor_status.html",
        {
            "status": status or two_factor_status(user=request.user),
            "may_turn_off": may_turn_off_two_factor(request.user),
            "disable_form": disable_form or TotpCodeForm(prefix="disable"),
            "next": next_url,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def two_factor(request):
    """Status when two-factor is on; otherwise set it up: QR code, the secret as text, a code to
    confirm (staff: and a code mailed to them, sent when they press the button for it)."""
    next_url = _next_from(request)
    status = two_factor_status(user=request.user)
    if status.enabled:
        if not is_two_factor_verified(request.user):
            return redirect_to_two_factor(request, next_url=request.get_full_path(), has_device=True)
        return _render_status(request, next_url=next_url, status=status)
    needs_email_code = enrolment_needs_email_code(request.user)
    if needs_email_code and request.method == "POST" and request.POST.get("action") == SEND_EMAIL_CODE:
        return _send_email_code(request, next_url=next_url)
    # Idempotent: the same unconfirmed device (and secret) until it is confirmed.
    device = totp_device_start(user=request.user)
    form = TotpSetupForm(
        request.POST if request.method == "POST" else None,
        email_code_required=needs_email_code,
        email_code_minutes=settings.OTP_EMAIL_TOKEN_VALIDITY // 60,
    )
    if form.is_valid():
        result = totp_device_confirm(
            user=request.user,
            device_id=device.pk,
            token=form.cleaned_data["code"],
            email_token=form.cleaned_data.get("email_code", ""),
        )
        if result.ok:
            _mark_verified(request, result.device)
            return render(
                request,
                "accounts/two_factor_backup_codes.html",
                {"codes": result.backup_codes, "next": next_url, "just_enabled": True},
            )
        if result.email_code_error:
            form.add_error("email_code", _email_code_error(result))
        else:
            form.add_error("code", _code_error(result))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_code": _qr_code_data_uri(device.config_url),
            "secret": totp_secret_base32(device),
            "config_url": device.config_url,
            "required": requires_two_factor(request.user),
            "email_code": enrolment_email_code(user=request.user) if needs_email_code else None,
            "send_email_code": SEND_EMAIL_CODE,
            "next": next_url,
        },
    )


@require_POST
@login_required
def two_factor_turn_off(request):
    """Applicants only, with a current code from the app."""
    if not may_turn_off_two_factor(request.user):
        raise PermissionDenied
    if not is_two_factor_verified(request.user):
        return redirect_to_two_factor(
            request, next_url=reverse("two-factor"), has_device=has_two_factor_device(user=request.user)
        )
    form = TotpCodeForm(request.POST, prefix="disable")
    if form.is_valid():
        try:
            result = two_factor_disable(user=request.user, token=form.cleaned_data["code"])
        except TwoFactorRequired as exc:  # a role granted since the page was shown
            raise PermissionDenied from exc
        if result.ok:
            messages.success(request, _("Tofaktorautentisering er slått av."))
            return redirect("my-page")
        form.add_error("code", _code_error(result))
    return _render_status(request, next_url=reverse("my-page"), disable_form=form)


@require_POST
@login_required
def two_factor_backup_codes(request):
    """Ten new backup codes, shown once; the old ones stop working. Needs a verified session."""
    if not is_two_factor_verified(request.user):
        return redirect_to_two_factor(
            request, next_url=reverse("two-factor"), has_device=has_two_factor_device(user=request.user)
        )
    codes = backup_codes_regenerate(user=request.user)
    return render(
        request,
        "accounts/two_factor_backup_codes.html",
        {"codes": codes, "next": reverse("two-factor"), "just_enabled": False},
    )
