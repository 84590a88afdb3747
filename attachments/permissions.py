"""Who may download a stored file.

A file belongs to whatever feature uses it (an application's attachment slot, later others). Each
such feature registers an *owner check* — ``check(user, stored_file) -> bool | None`` — answering
``None`` for files that are not its own and ``True``/``False`` for those that are; the applications
app will register one in its ``AppConfig.ready`` ("members of the applicant organisation and the
staff handling the call"). ``can_download`` then decides:

- a superuser in a session verified by two-factor may download any file;
- a file claimed by any owner: allowed if any claiming owner says yes (the uploader has no
  special right then: someone who left the organisation loses access with it);
- a file nobody claims (uploaded, not yet attached): only its uploader.
"""

from collections.abc import Callable

from accounts.permissions import is_two_factor_verified

from .models import StoredFile

OwnerCheck = Callable[[object, StoredFile], bool | None]
_owner_checks: list[OwnerCheck] = []


def register_owner_check(check: OwnerCheck) -> OwnerCheck:
    """Register ``check``; usable as a decorator. Registering the same function twice is a no-op."""
    if check not in _owner_checks:
        _owner_checks.append(check)
    return check


def unregister_owner_check(check: OwnerCheck) -> None:
    if check in _owner_checks:
        _owner_checks.remove(check)


# Download observers: ``observer(user, stored_file)`` runs after a permitted download starts (the
# applications' audit records staff downloads with one). Attachments knows nothing of what they do.
DownloadObserver = Callable[[object, StoredFile], None]
_download_observers: list[DownloadObserver] = []


def register_download_observer(observer: DownloadObserver) -> DownloadObserver:
    """Register ``observer``; usable as a decorator. Registering the same function twice is a no-op."""
    if observer not in _download_observers:
        _download_observers.append(observer)
    return observer


def download_observed(user, stored_file: StoredFile) -> None:
    for observer in _download_observers:
        observer(user, stored_file)


def can_download(user, stored_file: StoredFile) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser and is_two_factor_verified(user):
        return True
    answers = [answer for check in _owner_checks if (answer := check(user, stored_file)) is not None]
    if answers:
        return any(answers)
    return stored_file.uploaded_by_id == user.pk
