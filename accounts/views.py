from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from organisations.selectors import invitations_for_user, memberships_for_user

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


@require_safe
@login_required
def my_page(request):
    return render(
        request,
        "accounts/my_page.html",
        {
            "memberships": memberships_for_user(user=request.user),
            "invitations": invitations_for_user(user=request.user),
        },
    )
