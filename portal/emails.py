"""Every e-mail the portal sends goes through ``send_templated_email``, in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation

from .language import is_supported


def send_templated_email(
    *,
    to_user=None,
    template_prefix: str,
    context: dict | None = None,
    to_email: str | None = None,
    language: str | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> None:
    """Render and send one e-mail to ``to_user`` in the language they chose (``User.language``).

    For someone without an account (an invitation to a new colleague), give ``to_email`` and
    ``language`` instead of ``to_user``.

    Templates live under ``templates/<template_prefix>/``:

    - ``subject.txt`` – one line (line breaks are removed);
    - ``body.txt`` – the plain-text body (required; wrap it in ``{% autoescape off %}``);
    - ``body.html`` – an HTML alternative (optional; sent only if the template exists).

    ``attachments`` are ``(filename, content, mimetype)`` (a PDF receipt).

    ``context`` is passed to all three, with ``user`` (the recipient) added. Rendering happens
    inside ``translation.override(to_user.language)``, so ``{% translate %}`` and date formats
    follow the recipient, not whoever's request caused the mail (an invitation written by a
    bokmål user to a nynorsk user arrives in nynorsk). Links in the context must be absolute.

    Sends at once through Django's default mailer, from DEFAULT_FROM_EMAIL, and lets errors
    propagate: the caller decides whether a failed send matters. Inside a transaction, call it
    from ``transaction.on_commit`` so nothing is mailed about a change that was rolled back.
    """
    if (to_user is None) == (to_email is None):
        raise ValueError("Give exactly one of to_user and to_email.")
    if to_user is not None:
        to_email, language = to_user.email, to_user.language
    message = TemplatedEmail(template_prefix).message(
        to_email=to_email, language=language, context={**(context or {}), "user": to_user}
    )
    for filename, content, mimetype in attachments or ():
        message.attach(filename, content, mimetype)
    message.send()


class TemplatedEmail:
    """The templates of one e-mail (see ``send_templated_email``), loaded once and rendered for many
    recipients, each in their own language: what the batched notices (``scheduling.notices``) use to
    render a batch from one template load, and ``send_templated_email`` for one."""

    def __init__(self, template_prefix: str):
        self.subject = get_template(f"{template_prefix}/subject.txt")
        self.body = get_template(f"{template_prefix}/body.txt")
        try:
            self.html = get_template(f"{template_prefix}/body.html")
        except TemplateDoesNotExist:
            self.html = None

    def message(self, *, to_email: str, language: str | None, context: dict) -> EmailMultiAlternatives:
        """The message to ``to_email`` rendered in ``language`` (the default when not supported),
        not sent: the caller sends it, on a connection of its own if it sends many."""
        language = language if is_supported(language or "") else settings.LANGUAGE_CODE
        with translation.override(language):
            subject = " ".join(self.subject.render(context).split())
            body = self.body.render(context)
            html = self.html.render(context) if self.html else None
        message = EmailMultiAlternatives(subject, body, to=[to_email], headers={"Content-Language": language})
        if html:
            message.attach_alternative(html, "text/html")
        return message
