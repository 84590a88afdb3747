from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login attempt sees (django-axes calls this): a page that says how long to wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def lockout_username(request, credentials=None) -> str:
    """The name django-axes counts failures under: the e-mail as the login matches it (trimmed,
    lower-cased), so "Kari@…" and "kari@…" share one counter and a capital letter does not buy an
    attacker five more guesses."""
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    return str(username).strip().lower()
