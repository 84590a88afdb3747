from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_safe

from organisations.selectors import invitations_for_user, memberships_for_user
from portal import throttle
from portal.language import set_language_cookie
from scheduling.selectors import notices_for_user

from .forms import LoginForm, NewPasswordForm, PasswordResetRequestForm, SettingsForm
from .idporten import end_session_url
from .middleware import PENDING_SESSION_KEY
from .permissions import two_factor_step_after_login
from .selectors import has_two_factor_device, idporten_identity_for_user
from .services import reset_link_validity, user_password_reset, user_update_settings
from .tasks import send_password_reset
from .two_factor_views import redirect_to_two_factor


class LoginView(auth_views.LoginView):
    """The password step. Someone with two-factor on goes on to the code step (the session stays
    pending until then); staff without a device go to set one up."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, idporten_enabled=settings.IDPORTEN_ENABLED)

    def post(self, request, *args, **kwargs):
        # Password spraying: too many failed logins from one address, whatever the accounts.
        if wait := throttle.check("login-ip", throttle.client_ip(request)):
            return throttle.throttled_response(request, wait)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.hit("login-ip", throttle.client_ip(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        has_device = has_two_factor_device(user=self.request.user)
        step = two_factor_step_after_login(self.request.user, has_device=has_device)
        if step is None:
            return response
        if step == "verify":
            self.request.session[PENDING_SESSION_KEY] = True
        return redirect_to_two_factor(self.request, next_url=self.get_success_url(), has_device=has_device)


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"

    def get_default_redirect_url(self):
        """Without a safe ``next`` (none, or one to another site), the «logged out» page itself:
        Django would redirect to the logout address without the query, which answers GET with 405."""
        if self.next_page or settings.LOGOUT_REDIRECT_URL:
            return super().get_default_redirect_url()
        return self.request.get_full_path()

    def post(self, request, *args, **kwargs):
        # Read before logging out flushes the session: a session from ID-porten is ended there too.
        idporten_logout = end_session_url(request)
        response = super().post(request, *args, **kwargs)
        return redirect(idporten_logout) if idporten_logout else response


@require_safe
@login_required
def my_page(request):
    context = {
        "memberships": memberships_for_user(user=request.user),
        "invitations": invitations_for_user(user=request.user),
        "notices": notices_for_user(user=request.user, limit=5),
        "idporten_enabled": settings.IDPORTEN_ENABLED,
    }
    if settings.IDPORTEN_ENABLED:
        context["idporten_identity"] = idporten_identity_for_user(user=request.user)
    return render(request, "accounts/my_page.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def my_settings(request):
    if request.method != "POST":
        form = SettingsForm(initial={"full_name": request.user.full_name, "language": request.user.language})
        return render(request, "accounts/settings.html", {"form": form})
    form = SettingsForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/settings.html", {"form": form})
    user_update_settings(user=request.user, **form.cleaned_data)
    language = form.cleaned_data["language"]
    with translation.override(language):  # the confirmation is shown in the language just chosen
        messages.success(request, translation.gettext("Innstillingene er lagret."))
    response = redirect("my-settings")
    # This browser's cookie would otherwise keep showing the old language (it wins over the stored one).
    set_language_cookie(response, language)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an e-mail address and always answers the same, whether or not an account has it."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("password-reset-done")

    def form_valid(self, form):
        """Throttled per address asked for and per address asking; the mail is sent by the worker,
        so the answer takes the same time whether or not an account has the address."""
        email = form.cleaned_data["email"]
        wait = throttle.hit_all([("reset-ip", throttle.client_ip(self.request)), ("reset-account", email)])
        if wait:
            return throttle.throttled_response(self.request, wait)
        protocol = "https" if self.request.is_secure() else "http"
        send_password_reset.delay_on_commit(email, protocol, self.request.get_host())
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **reset_link_validity()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the e-mail. Django moves the token into the session and redirects to a URL
    without it, so the token does not leak through the Referer header; an expired or used link
    shows an explanation with a way to ask for a new one."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    reset_url_token = "nytt-passord"  # noqa: S105 - a URL segment, not a password
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form):
        user_password_reset(user=self.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
