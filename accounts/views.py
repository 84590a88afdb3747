from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from organisations.selectors import memberships_for_user

from .forms import LoginForm
from .idporten import end_session_url
from .selectors import idporten_identity_for_user


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, idporten_enabled=settings.IDPORTEN_ENABLED)


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"

    def post(self, request, *args, **kwargs):
        # Read before logging out flushes the session: a session from ID-porten is ended there too.
        idporten_logout = end_session_url(request)
        response = super().post(request, *args, **kwargs)
        return redirect(idporten_logout) if idporten_logout else response


@require_safe
@login_required
def my_page(request):
    context = {"memberships": memberships_for_user(user=request.user), "idporten_enabled": settings.IDPORTEN_ENABLED}
    if settings.IDPORTEN_ENABLED:
        context["idporten_identity"] = idporten_identity_for_user(user=request.user)
    return render(request, "accounts/my_page.html", context)
