from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login attempt sees (django-axes calls this): a page that says how long to wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
