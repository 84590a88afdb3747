import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import FileKind


class StoredFile(models.Model):
    """One uploaded file in the private storage. The file on disk is named ``storage_name``
    (derived from the id, never from anything the uploader sent); ``display_name`` is the
    sanitised name shown to people and offered on download.

    Who may download it is decided by ``permissions.can_download``, which asks the features that
    use the file (an application's attachment slot) through their registered owner checks."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    storage_name = models.CharField(_("lagringsnavn"), max_length=64, unique=True, editable=False)
    display_name = models.CharField(_("filnavn"), max_length=255)
    kind = models.CharField(_("filtype"), max_length=8, choices=FileKind)
    content_type = models.CharField(_("innholdstype"), max_length=100)
    size = models.PositiveBigIntegerField(_("størrelse (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lastet opp av"),
        null=True,
        blank=True,  # the file outlives a deleted account: it belongs to an application too
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("lastet opp"), default=timezone.now)

    class Meta:
        verbose_name = _("lagret fil")
        verbose_name_plural = _("lagrede filer")

    def __str__(self):
        return self.display_name
