from .models import IDportenIdentity, User, idporten_pid_digest


def user_for_idporten_pid(*, pid: str) -> User | None:
    """The user who linked this ID-porten identity, if anyone did."""
    return User.objects.filter(idporten_identity__pid_digest=idporten_pid_digest(pid)).first()


def idporten_identity_for_user(*, user: User) -> IDportenIdentity | None:
    return IDportenIdentity.objects.filter(user=user).first()
