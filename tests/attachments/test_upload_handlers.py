"""The portal-wide cap: a request carrying a file above MAX_UPLOAD_BYTES stops while it streams in."""

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import RequestFactory

from tests.attachments.conftest import upload


def multipart_request(size: int):
    return RequestFactory().post("/", {"vedlegg": upload("a.pdf", b"x" * size), "felt": "verdi"})


def test_a_file_within_the_cap_arrives(settings):
    settings.MAX_UPLOAD_BYTES = 10_000
    request = multipart_request(10_000)
    assert request.FILES["vedlegg"].size == 10_000
    assert request.POST["felt"] == "verdi"


def test_a_file_over_the_cap_stops_the_request(settings):
    settings.MAX_UPLOAD_BYTES = 10_000
    request = multipart_request(10_001)
    with pytest.raises(RequestDataTooBig):
        request.FILES  # noqa: B018 - reading it parses the body


def test_a_body_far_over_the_cap_is_refused_before_it_is_read(settings):
    settings.MAX_UPLOAD_BYTES = 10_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    request = multipart_request(50_000)
    with pytest.raises(RequestDataTooBig):
        request.FILES  # noqa: B018


def test_the_default_cap_is_twenty_megabytes():
    from portal import settings as project

    assert project.MAX_UPLOAD_MB == 20
    assert project.MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    assert project.FILE_UPLOAD_HANDLERS[0] == "attachments.upload_handlers.UploadSizeLimitHandler"
