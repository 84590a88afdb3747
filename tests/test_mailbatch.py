"""portal.mailbatch: templates rendered once per language give each recipient the text a render of
their own gives, and the prebuilt bytes parse as the message Django's SMTP backend would send."""

import email
import email.policy
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.smtp import EmailBackend
from django.template import engines

from portal.mailbatch import BatchRenderer, WireMessages, encode_header

SUBJECT = "{% load i18n %}Påminnelse: {{ application.title }} – {% translate 'Min side' %}"
BODY = (
    "{% load i18n %}{% autoescape off %}Søknaden «{{ application }}» fra {{ application.organisation.name }} "
    "til «{{ call }}»: frist {{ deadline|date:'d.m.Y' }}.\n{% translate 'Min side' %}\n{{ url }}\n{% endautoescape %}"
    "Escaped: {{ application.title }}\n"
)


def templates(subject=SUBJECT, body=BODY):
    engine = engines["django"]
    return SimpleNamespace(subject=engine.from_string(subject), body=engine.from_string(body), html=None)


class Application(SimpleNamespace):
    def __str__(self):
        return f"{self.title} ({self.organisation.name})"


def items():
    deadline = datetime(2027, 3, 1, 12, tzinfo=UTC)
    out = []
    for i, language in enumerate(["nb", "nn", "en", "nb", None, "xx"]):
        application = Application(title=f"Tittel {i} & <co>", organisation=SimpleNamespace(name=f"Org {i} AS"))
        out.append((language, {"application": application, "call": "Klima 2027", "deadline": deadline,
                               "url": f"https://portal.example/soknader/{i}/", "user": None}))  # fmt: skip
    return out


def rendered_one_by_one(t, entries):
    from django.utils import translation

    out = []
    for language, context in entries:
        language = language if language in ("nb", "nn", "en") else "nb"
        with translation.override(language):
            out.append((language, " ".join(t.subject.render(context).split()), t.body.render(context)))
    return out


def test_rendered_once_per_language_each_recipient_gets_the_text_of_their_own_render(monkeypatch):
    t = templates()
    entries = items()
    renders = []
    original = BatchRenderer._render_one
    monkeypatch.setattr(BatchRenderer, "_render_one", lambda self, c: renders.append(1) or original(self, c))
    result = BatchRenderer(t, slots=("application", "url", "user")).render(entries)
    assert result == rendered_one_by_one(t, entries)
    assert "Tittel 0 &amp; &lt;co&gt;" in result[0][2] and "«Tittel 0 & <co> (Org 0 AS)»" in result[0][2]
    assert result[1][0] == "nn" and result[4][0] == result[5][0] == "nb"  # unknown language: the default
    # Four bokmål recipients: the skeleton and the first one's check; one each in nynorsk and English.
    assert len(renders) == 2 + 1 + 1


def test_a_slot_used_otherwise_than_printed_falls_back_to_one_render_each():
    t = templates(body="{% if application.title|length > 9 %}lang{% else %}kort{% endif %} {{ url|upper }}")
    entries = items()
    assert BatchRenderer(t, slots=("application", "url", "user")).render(entries) == rendered_one_by_one(t, entries)


@pytest.fixture
def smtp_backend(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": 25}}}  # fmt: skip
    backend = mailers.default
    assert isinstance(backend, EmailBackend)
    return backend


@pytest.mark.parametrize("subject", ["Påminnelse: søknaden til «Klima 2027» er ikke sendt inn", "Kort",
                                     "Reminder: " + "a very long subject line " * 8,
                                     "Vurderingen av søknad 2027-00042 «Bærekraftig ærfugl på Øvre Åsen» "
                                     "er ikke levert ennå – æøå ÆØÅ"])  # fmt: skip
def test_the_prebuilt_message_parses_as_the_one_django_would_send(settings, smtp_backend, subject):
    settings.DEFAULT_FROM_EMAIL = "Innovasjonsportalen <ikke-svar@innovasjonsportalen.no>"
    body = (
        "Søknaden «Bærekraftig ærfugl» fra Øvre Åsen AS er ikke sendt inn ennå. " * 3
        + "\n\n.en linje med punktum først\n   innrykk og mellomrom på slutten   \nhttps://portal.example/s/1/\n"
    )
    wire = WireMessages(smtp_backend)
    raw = wire.build(language="nn", subject=subject, body=body, to="kari.nordmann@example.no")
    ours = email.message_from_bytes(raw, policy=email.policy.default)
    django = EmailMultiAlternatives(subject, body, to=["kari.nordmann@example.no"], headers={"Content-Language": "nn"})
    theirs = email.message_from_bytes(django.message(policy=email.policy.SMTP).as_bytes(), policy=email.policy.default)
    for header in ("Subject", "From", "To", "MIME-Version", "Content-Type", "Content-Language"):
        assert str(ours[header]) == str(theirs[header]), header
    assert ours["Subject"] == subject
    assert ours.get_content_charset() == "utf-8" and ours["Content-Transfer-Encoding"] == "base64"
    assert ours.get_content() == theirs.get_content()  # both with CRLF line ends, as sent
    assert ours.get_content().replace("\r\n", "\n") == body
    assert ours["Date"].datetime.tzinfo is not None and ours["Message-ID"].endswith(">")
    assert all(len(line) <= 998 for line in raw.split(b"\r\n")) and b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.isascii()
    second = email.message_from_bytes(wire.build(language="nb", subject=subject, body=body, to="a@example.no"),
                                      policy=email.policy.default)  # fmt: skip
    assert second["Message-ID"] != ours["Message-ID"] and second["Content-Language"] == "nb"


def test_an_address_it_cannot_write_is_left_to_django_and_a_line_break_in_a_header_is_refused(smtp_backend):
    wire = WireMessages(smtp_backend)
    assert wire.build(language="nb", subject="Emne", body="Tekst", to="kåre@eksempel.no") is None
    assert wire.build(language="nb", subject="Emne", body="Tekst", to="a@example.no\r\nBcc: b@example.no") is None
    with pytest.raises(ValueError):
        encode_header("Subject", "Emne\r\nBcc: b@example.no")
