from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from organisations.selectors import memberships_for_user

from .forms import LoginForm
from .middleware import PENDING_SESSION_KEY
from .permissions import two_factor_step_after_login
from .selectors import has_two_factor_device
from .two_factor_views import redirect_to_two_factor


class LoginView(auth_views.LoginView):
    """The password step. Someone with two-factor on goes on to the code step (the session stays
    pending until then); staff without a device go to set one up."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

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


@require_safe
@login_required
def my_page(request):
    return render(request, "accounts/my_page.html", {"memberships": memberships_for_user(user=request.user)})
