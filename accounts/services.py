from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.language import is_supported

from .models import User


def user_update_settings(*, user: User, full_name: str, language: str) -> User:
    """Save what a person may change about themselves on Min side → Innstillinger."""
    user.full_name = full_name.strip()
    user.language = language
    # Only these fields changed; the unique e-mail check would cost two queries for nothing.
    user.full_clean(validate_unique=False, validate_constraints=False)
    user.save(update_fields=["full_name", "language"])
    return user


def user_set_language(*, user: User, language: str) -> User:
    """Store the language a logged-in person chose with the language switcher."""
    if not is_supported(language):
        raise ValidationError(_("Ukjent språk."), code="invalid_language")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
