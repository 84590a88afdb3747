"""Mail sent by the worker, so a request answers in the same time whatever the mail does."""

from celery import shared_task


@shared_task(name="accounts.send_password_reset")
def send_password_reset(email: str, protocol: str, domain: str) -> None:
    """Django's reset form run again in the worker: it finds the active account(s) with a usable
    password for ``email`` (none: nothing is sent) and mails the link through our service."""
    from .forms import PasswordResetRequestForm

    form = PasswordResetRequestForm(data={"email": email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=protocol == "https")
