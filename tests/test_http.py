"""The public pages over HTTP: headers, static caching, language switching, formats, query counts."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "accessibility-statement"]
# The statement reads its open deviations and its last review from the database (pinned in its own test).
PUBLIC_PAGE_QUERIES = {"home": 0, "accessibility-statement": 2}


@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_public_pages_answer_in_bokmaal_by_default_with_few_queries(client, django_assert_max_num_queries, url_name):
    # A browser asking for English still gets bokmål until the person chooses otherwise.
    with django_assert_max_num_queries(PUBLIC_PAGE_QUERIES[url_name]):
        response = client.get(reverse(url_name), headers={"accept-language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    assert response["Content-Language"] == "nb"
    assert '<html lang="nb"' in response.text


@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_security_headers(client, url_name):
    response = client.get(reverse(url_name))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_no_inline_script_or_style_and_nothing_from_a_cdn(client, url_name):
    html = client.get(reverse(url_name)).text
    assert "<script" not in html  # none yet; any added later must carry the CSP nonce
    assert "<style" not in html
    assert " style=" not in html
    # Nothing the page loads comes from elsewhere; a link a person may follow (the statement's
    # route to Uutilsynet) is not a resource.
    for url in re.findall(r'<(?:script|img|link|iframe|source|video|audio)\b[^>]*?(?:href|src)="([^"]+)"', html):
        assert not url.startswith(("http:", "https:", "//")), url


def test_hashed_static_files_are_served_with_far_future_caching(client):
    html = client.get(reverse("home")).text
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert len(stylesheets) == 4
    for url in stylesheets:
        assert re.search(r"\.[0-9a-f]{12}\.css$", url), f"not a hashed name: {url}"
        response = client.get(url)
        assert response.status_code == 200
        assert "max-age=315360000" in response["Cache-Control"]
        assert "immutable" in response["Cache-Control"]
        b"".join(response.streaming_content)
    # A compressed variant exists and is served to clients that accept it.
    response = client.get(stylesheets[-1], headers={"accept-encoding": "br, gzip"})
    assert response["Content-Encoding"] in {"br", "gzip"}
    b"".join(response.streaming_content)


def test_unhashed_static_name_is_not_cached_forever(client):
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert "immutable" not in response.get("Cache-Control", "")
    b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Accessibility statement"), ("nn", "Tilgjengelegheitserklæring")]
)
def test_language_switch_keeps_the_user_on_the_same_page(client, language, heading):
    page = reverse("accessibility-statement")
    response = client.post(reverse("set-language"), {"language": language, "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    response = client.get(page)
    assert response["Content-Language"] == language
    assert f'<h1 class="ds-heading" data-size="xl">{heading}</h1>' in response.text


def test_language_switch_refuses_an_offsite_next_url(client):
    response = client.post(reverse("set-language"), {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_unknown_language_cookie_falls_back_to_bokmaal(client):
    client.cookies["django_language"] = "xx"
    assert client.get(reverse("home"))["Content-Language"] == "nb"


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_norwegian_date_and_number_formats(language):
    moment = datetime(2026, 11, 22, 13, 0, tzinfo=ZoneInfo("Europe/Oslo"))
    template = Template("{% load humanize %}{{ moment|date:'SHORT_DATETIME_FORMAT' }}|{{ amount }}|{{ share }}")
    with translation.override(language):
        rendered = template.render(Context({"moment": moment, "amount": 1250000, "share": 12.5}))
    assert rendered == "22.11.2026 kl. 13:00|1\xa0250\xa0000|12,5"


def test_favicon_ico_points_at_the_collected_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    b"".join(icon.streaming_content)


def test_a_script_with_the_csp_nonce_is_allowed_by_the_policy(rf):
    """Templates that need a script write <script nonce="{{ csp_nonce }}">; the header names it."""
    from django.middleware.csp import ContentSecurityPolicyMiddleware
    from django.template import RequestContext

    def view(request):
        from django.http import HttpResponse

        html = Template('<script nonce="{{ csp_nonce }}" src="/static/x.js"></script>')
        return HttpResponse(html.render(RequestContext(request)))

    request = rf.get("/")
    response = ContentSecurityPolicyMiddleware(view)(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert len(nonce) >= 16
    assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]
