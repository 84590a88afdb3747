"""A case's access log: who opened the officer's case page, and who downloaded its attachments or
PDFs, and when — for the scheme's officers and administrators (``views/access.py``). The rows are
internal application events (``CASE_VIEWED`` written by ``services.case_view_record``,
``FILE_DOWNLOADED`` by ``services.staff_download_record``/``staff_read_record``), so they share the
history's database guard: nobody rewrites who looked. The applicant's own people are not logged."""

from django.core.paginator import Page, Paginator

from applications.models import EventKind

ACCESS_KINDS = (EventKind.CASE_VIEWED, EventKind.FILE_DOWNLOADED)
PAGE_SIZE = 100


def case_accesses(*, application):
    """Newest first, with the two columns of the person a row shows."""
    return (
        application.events.filter(kind__in=ACCESS_KINDS)
        .select_related("actor")
        .only("at", "kind", "data", "application_id", "actor__full_name", "actor__email")
        .order_by("-at", "-pk")
    )


def case_access_page(*, application, page_number) -> Page:
    return Paginator(case_accesses(application=application), PAGE_SIZE).get_page(page_number)


def access_what(event) -> str:
    """What was accessed, as a short text: the case page, or the file's name (a PDF's description)."""
    from django.utils.translation import gettext as _

    if event.kind == EventKind.CASE_VIEWED:
        return _("Saksside")
    return (event.data or {}).get("file") or _("Fil")
