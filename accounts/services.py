from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import IDportenIdentity, User, idporten_pid_digest


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
