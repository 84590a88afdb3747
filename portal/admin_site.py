from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse


class PortalAdminSite(admin.AdminSite):
    """The admin, open only to active staff in a session verified with a second factor.

    It has no login form of its own: the admin's login page sends people through the portal's
    login (password, then the code), so it can never be a way around two-factor.
    """

    def has_permission(self, request):
        from accounts.permissions import is_two_factor_verified

        return super().has_permission(request) and is_two_factor_verified(request.user)

    def login(self, request, extra_context=None):
        from accounts.selectors import has_two_factor_device
        from accounts.two_factor_views import redirect_to_two_factor
        from portal.redirects import safe_next

        next_url = safe_next(
            request, request.GET.get(REDIRECT_FIELD_NAME), default=reverse("admin:index", current_app=self.name)
        )
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url, settings.LOGIN_URL)
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not self.has_permission(request):
            return redirect_to_two_factor(request, next_url=next_url, has_device=has_two_factor_device(user=user))
        return redirect(next_url)
