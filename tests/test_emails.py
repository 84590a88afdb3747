"""portal.emails.send_templated_email: the recipient's language, subject on one line, optional HTML."""

import pytest
from django.core import mail
from django.utils import translation

from portal.emails import send_templated_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES = {
    "test/greeting/subject.txt": "{% load i18n %}\n{% translate 'Min side' %}\n– {{ user.email }}\n",
    "test/greeting/body.txt": "{% load i18n %}{% autoescape off %}{% get_current_language as lang %}"
    "{{ lang }}: {% translate 'Min side' %} & {{ note }}{% endautoescape %}",
    "test/with-html/subject.txt": "Emne",
    "test/with-html/body.txt": "Tekst",
    "test/with-html/body.html": "<p>{{ note }}</p>",
}


@pytest.fixture(autouse=True)
def test_templates(settings):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **engine,
            "APP_DIRS": False,
            "OPTIONS": {
                **engine["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", TEMPLATES),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


@pytest.mark.parametrize(("language", "heading"), [("nb", "Min side"), ("nn", "Mi side"), ("en", "My page")])
def test_the_mail_is_in_the_recipients_language_whatever_is_active(language, heading):
    user = UserFactory(email="kari@bergen.kommune.no", language=language)
    with translation.override("nn" if language != "nn" else "en"):
        send_templated_email(to_user=user, template_prefix="test/greeting", context={"note": "R&D"})
        assert translation.get_language() != language  # the caller's language is left alone
    (message,) = mail.outbox
    assert message.to == ["kari@bergen.kommune.no"]
    assert message.subject == f"{heading} – kari@bergen.kommune.no"  # one line
    assert message.body == f"{language}: {heading} & R&D"  # plain text, not HTML-escaped
    assert message.extra_headers["Content-Language"] == language
    assert message.alternatives == []
    assert message.from_email.startswith("Innovasjonsportalen")


def test_an_html_body_is_attached_when_its_template_exists():
    send_templated_email(to_user=UserFactory(), template_prefix="test/with-html", context={"note": "<b>"})
    (message,) = mail.outbox
    assert message.body == "Tekst"
    assert message.alternatives[0].content == "<p>&lt;b&gt;</p>"
    assert message.alternatives[0].mimetype == "text/html"


def test_an_unknown_stored_language_falls_back_to_bokmaal():
    send_templated_email(to_user=UserFactory.build(language="xx"), template_prefix="test/greeting")
    assert mail.outbox[0].extra_headers["Content-Language"] == "nb"
