from django.conf import settings
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, candidate, default=None) -> str:
    """``candidate`` when it points into this site, else ``default`` (Min side): never off-site."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)
