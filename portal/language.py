"""The portal's languages in one place: which codes we speak, and the cookie that records a choice."""

from django.conf import settings


def is_supported(language: str | None) -> bool:
    return language in dict(settings.LANGUAGES)


def set_language_cookie(response, language: str) -> None:
    """Remember ``language`` as this browser's choice, exactly as Django's set_language does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
