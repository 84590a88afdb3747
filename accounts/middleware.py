from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .permissions import is_two_factor_verified

PENDING_SESSION_KEY = "two_factor_pending"

# What a session waiting for its code may still open: the code step itself, logging out, the
# language switch (the code page must be readable in nynorsk and English too) and the probes.
ALLOWED_WHILE_PENDING = {"login-verify", "logout", "set-language", "healthz", "favicon"}


class TwoFactorPendingMiddleware:
    """After a right password, a person with two-factor on is logged in but not yet verified; the
    login view marks the session pending. Until a code is given, every other page sends them back
    to the code step, so the second factor cannot be skipped by typing another address.

    Costs nothing for sessions that are not pending: it reads a flag from the session only.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.session.get(PENDING_SESSION_KEY):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_WHILE_PENDING:
            return None
        if not request.user.is_authenticated or is_two_factor_verified(request.user):
            request.session.pop(PENDING_SESSION_KEY, None)
            return None
        return redirect(f"{reverse('login-verify')}?{urlencode({'next': request.get_full_path()})}")
