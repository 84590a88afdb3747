import logging

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.emails import send_templated_email
from portal.language import is_supported

from .models import IDportenIdentity, User, idporten_pid_digest

logger = logging.getLogger(__name__)


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


def reset_link_validity() -> dict:
    """How long a reset link works, for templates/accounts/password_reset_validity.txt."""
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    return {"valid_hours": minutes // 60 if minutes % 60 == 0 else None, "valid_minutes": minutes}


def password_reset_email_send(*, user: User, reset_url: str) -> None:
    """Mail ``user`` the link that lets them choose a new password, in their own language.

    A failed send is logged, not raised: the request page answers the same whether or not an
    account exists, and an error only for existing accounts would tell an attacker which do.
    """
    context = {"reset_url": reset_url, **reset_link_validity()}
    try:
        send_templated_email(to_user=user, template_prefix="accounts/emails/password_reset", context=context)
    except Exception:
        logger.exception("Could not send the password reset e-mail to user %s", user.pk)


@transaction.atomic
def user_password_reset(*, user: User, password: str) -> User:
    """Give ``user`` a new (already validated) password after they followed a reset link.

    Changing the password also ends every other session of the user: each session stores a hash
    derived from the password hash, which ``django.contrib.auth.get_user`` checks on every request.
    The reset link stops working too (its token is bound to the password hash).
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    # The lockout protects the old password from guessing. Whoever set this one proved they read
    # the account's mailbox, i.e. they are the owner; making them wait out the cool-off (often the
    # very reason they reset) would only lock the owner out. Guessing the new password starts
    # from zero failures, with the same limit. django-axes records the username as typed, so
    # attempts under any capitalisation of the address are reset.
    usernames = AccessAttempt.objects.filter(username__iexact=user.email).values_list("username", flat=True)
    for username in set(usernames):
        axes_reset(username=username)
    return user


def user_link_idporten(*, user: User, pid: str) -> IDportenIdentity:
    """Link the person behind a verified ID-porten pid to ``user``, replacing the user's earlier link.

    Raises ValidationError (with the unique message of ``pid_digest``) when another user already
    linked this pid, so one person can never reach two accounts' organisations through ID-porten.
    """
    identity = IDportenIdentity.objects.filter(user=user).first() or IDportenIdentity(user=user)
    identity.pid_digest = idporten_pid_digest(pid)
    identity.linked_at = timezone.now()
    identity.full_clean()
    try:
        with transaction.atomic():
            identity.save()
    except IntegrityError as exc:  # another request linked the same pid between the check and the save
        raise ValidationError(IDportenIdentity._meta.get_field("pid_digest").error_messages["unique"]) from exc
    return identity


def user_unlink_idporten(*, user: User) -> bool:
    """Remove the user's ID-porten link; returns whether there was one."""
    deleted, _ = IDportenIdentity.objects.filter(user=user).delete()
    return deleted > 0
