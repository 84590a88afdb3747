"""The receipt e-mail, end to end: submitting arms one scheduler row per person (the submitter and
every ansvarlig), the live worker on Redis sends each once, with the PDF attached, in the
recipient's language (``Content-Language``, the PDF's ``/Lang``; the words follow once the
translations are in)."""

import re
import zlib
from email import message_from_string
from email.policy import default as default_policy

import pytest
from django.utils import timezone

from applications.handlers import handle_receipt
from applications.models import ApplicationVersion
from applications.services import application_submit
from organisations.models import Membership
from scheduling.models import ScheduledEffect
from tests.applications.helpers import complete_application
from tests.factories import MembershipFactory, make_application
from tests.test_celery_worker import wait_for

SEPARATOR = "-" * 79


def pdf_text(pdf: bytes) -> bytes:
    """The PDF's own bytes with every compressed stream inflated: enough to find its metadata
    (``/Title (Kvittering 2026-…)``, ``/Lang (nn)``) without a PDF library."""
    inflated = [pdf]
    # «stream», not the end of an «endstream»: matching that too swallowed the next stream whole,
    # so which streams were read depended on the PDF's layout (a flaky /Lang check).
    for match in re.finditer(rb"(?<!end)stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def submitted_with_three_readers():
    """Submitted by an English-reading ansvarlig; a nynorsk and a bokmål ansvarlig besides; a
    member who gets nothing."""
    submitter = MembershipFactory(role=Membership.Role.ANSVARLIG, user__language="en")
    organisation = submitter.organisation
    nynorsk = MembershipFactory(organisation=organisation, role=Membership.Role.ANSVARLIG, user__language="nn")
    bokmaal = MembershipFactory(organisation=organisation, role=Membership.Role.ANSVARLIG, user__language="nb")
    member = MembershipFactory(organisation=organisation, user__language="nb")
    application = make_application(organisation=organisation, by_user=member.user)
    complete_application(application, member.user)
    version = application_submit(application_id=application.pk, by_user=submitter.user, now=timezone.now())
    return version, {"en": submitter.user, "nn": nynorsk.user, "nb": bokmaal.user}, member.user


def assert_receipt(message, *, version, user, language):
    assert message["To"] == user.email
    assert message["Content-Language"] == language
    reference = version.content["reference"]
    assert reference in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert reference in body and version.content["title"] in body
    assert f"{timezone.localtime(version.application.deadline):%d.%m.%Y}" in body  # the deadline
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename().endswith(f"{reference}-v1.pdf")
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF")
    inside = pdf_text(pdf)
    assert f"/Lang ({language})".encode() in inside
    assert reference.encode() in inside  # in the document's title


@pytest.mark.django_db
def test_the_handler_mails_each_reader_in_their_language(private_storage, mailoutbox):
    version, readers, _member = submitted_with_three_readers()
    rows = ScheduledEffect.objects.filter(kind="application-receipt").order_by("pk")
    assert sorted(row.payload["user"] for row in rows) == sorted(user.pk for user in readers.values())
    for row in rows:
        handle_receipt(row)
    assert len(mailoutbox) == 3
    by_email = {m.to[0]: m for m in mailoutbox}
    for language, user in readers.items():
        sent = by_email[user.email]
        message = message_from_string(sent.message().as_string(), policy=default_policy)
        assert_receipt(message, version=version, user=user, language=language)


def sent_messages(log_text: str) -> list:
    """E-mails the worker's console mailer wrote into its log (its stdout), each ended by a line of
    79 dashes; Celery may prefix the first line with its log record header."""
    found = []
    for chunk in log_text.split(SEPARATOR):
        start = chunk.find("Content-Type: multipart/mixed")
        if start >= 0:
            found.append(message_from_string(chunk[start:].strip("\n") + "\n", policy=default_policy))
    return found


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_live_worker_sends_one_receipt_to_the_submitter_and_each_ansvarlig(private_storage, celery_worker):
    log_start = celery_worker.log_path.stat().st_size if celery_worker.log_path.exists() else 0
    version, readers, member = submitted_with_three_readers()  # committed: the worker sees it

    def done():
        return ScheduledEffect.objects.filter(kind="application-receipt", state="done").count() == 3

    assert wait_for(done, timeout=60), celery_worker.log_tail()
    assert not ScheduledEffect.objects.filter(kind="application-receipt").exclude(state="done").exists()
    with celery_worker.log_path.open(encoding="utf-8", errors="replace") as log:
        log.seek(log_start)
        messages = [m for m in sent_messages(log.read()) if version.content["reference"] in (m["Subject"] or "")]
    assert sorted(m["To"] for m in messages) == sorted(user.email for user in readers.values())  # once each
    assert member.email not in {m["To"] for m in messages}
    for message in messages:
        language = next(lang for lang, user in readers.items() if user.email == message["To"])
        assert_receipt(message, version=ApplicationVersion.objects.get(pk=version.pk), user=readers[language],
                       language=language)  # fmt: skip


@pytest.mark.django_db
def test_each_reader_gets_the_call_title_in_their_language(private_storage, mailoutbox):
    """The version freezes the call's title in all three languages; each receipt names the call in
    its reader's, and a missing translation falls back to bokmål."""
    submitter = MembershipFactory(role=Membership.Role.ANSVARLIG, user__language="en")
    organisation = submitter.organisation
    nynorsk = MembershipFactory(organisation=organisation, role=Membership.Role.ANSVARLIG, user__language="nn")
    bokmaal = MembershipFactory(organisation=organisation, role=Membership.Role.ANSVARLIG, user__language="nb")
    application = make_application(organisation=organisation, by_user=submitter.user)
    call = application.call
    call.title, call.title_nn, call.title_en = "Utlysning for velferd", "Utlysing for velferd", ""
    call.save(update_fields=["title", "title_nn", "title_en"])
    complete_application(application, submitter.user)
    version = application_submit(application_id=application.pk, by_user=submitter.user, now=timezone.now())
    assert version.content["call"]["title_nn"] == "Utlysing for velferd"
    for row in ScheduledEffect.objects.filter(kind="application-receipt"):
        handle_receipt(row)
    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert "Utlysing for velferd" in bodies[nynorsk.user.email]
    assert "Utlysning for velferd" in bodies[bokmaal.user.email]
    assert "Utlysning for velferd" in bodies[submitter.user.email]  # no English title: bokmål
