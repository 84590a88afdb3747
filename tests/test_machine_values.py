"""No machine value is ever localised (issue 18).

Thousand separators are on, so ``{{ version }}`` of 1000 printed «1 000»: a section saved 1000
times could never be saved again (its hidden version was read as −1 and every save was a conflict
with the applicant's own save), as a reviewer with id 2 428 could never be chosen before. The
forms a draft posts back are rendered with versions above 1 000 and ids above 12 000 in every
language and posted back as rendered; and no template writes an id, version, count or index into
an attribute (a value posted back, or an id another attribute points to) without ``unlocalize``.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from applications.models import Application
from tests.applications.test_parts_budget import Q, _form
from tests.factories import call_with_form, make_application
from tests.html import parse, select

pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "nn", "en"]
GROUPED = re.compile(r"\d[\s\u00a0\u202f]\d{3}(?!\d)")
POSTED_BACK = "//input[@type='hidden' or @type='checkbox' or @type='radio'] | //button[@value] | //option[@value]"
POINTING = ("id", "for", "aria-labelledby", "aria-describedby", "aria-controls")


@pytest.fixture
def big_ids():
    """Every table's next id above 12 000 (sequences are not rolled back; ids only grow)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.oid::regclass::text FROM pg_class c WHERE c.relkind = 'S'")
        for (sequence,) in cursor.fetchall():
            cursor.execute("SELECT setval(%s, 12344 + nextval(%s))", [sequence, sequence])


def localised_machine_values(html) -> list[str]:
    """Every posted-back value or pointed-at id on the page that carries a grouped number."""
    root = parse(html)
    found = [f"{e.tag} {e.get('name')}={e.get('value')!r}" for e in root.xpath(POSTED_BACK)
             if GROUPED.search(e.get("value") or "")]  # fmt: skip
    for attribute in POINTING:
        found += [f"{e.tag} {attribute}={e.get(attribute)!r}" for e in root.xpath(f"//*[@{attribute}]")
                  if GROUPED.search(e.get(attribute))]  # fmt: skip
    return found


def as_rendered(form) -> dict[str, list[str]]:
    """What the browser posts for ``form`` untouched."""
    data: dict[str, list[str]] = {}
    for element in form.xpath(".//input[@name] | .//textarea[@name] | .//select[@name]"):
        name, kind = element.get("name"), (element.get("type") or "text").lower()
        if element.tag == "textarea":
            data.setdefault(name, []).append(element.text or "")
        elif element.tag == "select":
            chosen = element.xpath(".//option[@selected]") or element.xpath(".//option")[:1]
            data.setdefault(name, []).extend(option.get("value", option.text or "") for option in chosen)
        elif kind in ("checkbox", "radio"):
            if element.get("checked") is not None:
                data.setdefault(name, []).append(element.get("value", "on"))
        elif kind not in ("submit", "button", "file", "image", "reset"):
            data.setdefault(name, []).append(element.get("value", ""))
    return data


def saved_many_times(application, key: str, times: int = 1234) -> None:
    application.sections = {**application.sections, key: {**application.sections.get(key, {}), "v": times}}
    application.save(update_fields=["sections"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_section_saved_1234_times_is_saved_again_as_rendered(client, big_ids, language):
    application = make_application()
    assert application.pk > 12_000
    key = application.form["definition"]["sections"][0]["key"]
    saved_many_times(application, key)
    client.force_login(application.created_by)
    client.cookies["django_language"] = language
    url = reverse("application-section", args=[application.pk, key])
    page = client.get(url)
    assert localised_machine_values(page) == []
    (form,) = [f for f in select(page, "form") if f.xpath(".//input[@name='base_version']")]
    assert form.xpath(".//input[@name='base_version']")[0].get("value") == "1234"
    response = client.post(url, as_rendered(form))
    assert response.status_code == 302, "not saved: a conflict with the applicant's own save"
    assert Application.objects.get(pk=application.pk).section_version(key) == 1235


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_budget_saved_1234_times_is_saved_again_as_rendered(client, big_ids, language):
    application = make_application(call=call_with_form(definition=_form()))
    saved_many_times(application, f"q:{Q}")
    client.force_login(application.created_by)
    client.cookies["django_language"] = language
    url = reverse("application-budget", args=[application.pk, Q])
    page = client.get(url)
    assert localised_machine_values(page) == []
    (form,) = [f for f in select(page, "form") if f.xpath(".//input[@name='base_version']")]
    data = as_rendered(form) | {"action": "save"}
    response = client.post(url, data)
    assert "lagret budsjettet" not in response.text and response.status_code == 302


def test_the_check_finds_a_localised_id():
    assert localised_machine_values('<input type="hidden" name="v" value="1\xa0000">') != []
    assert localised_machine_values('<h2 id="rapport-12\u202f345">x</h2>') != []
    assert localised_machine_values('<input type="hidden" name="v" value="1000"><h2 id="a-12345">x</h2>') == []


MACHINE = re.compile(r"(?:pk|\bid|_id|version|total|index|counter|length(?:\|add:\d+)?)$")
ATTRIBUTE = re.compile(r'\s(?:value|id|for|aria-[a-z]+|headers|colspan|rowspan|data-[a-z-]+)="([^"]*)"')
STRINGS = ("auto_id", "id_for_label")  # a form field's id: a string
EXPRESSION = re.compile(r"\{\{\s*([^}]+?)\s*\}\}")


def test_no_template_writes_a_machine_number_into_an_attribute_localised():
    """Every ``{{ …pk }}``, ``{{ …version }}``, ``{{ …|length }}`` and the like inside a value,
    an id or an attribute pointing at ids goes through ``unlocalize`` (or ``stringformat``)."""
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    offenders = []
    for root in roots:
        for path in root.rglob("*.html"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                for attribute in ATTRIBUTE.findall(line):
                    for expression in EXPRESSION.findall(attribute):
                        plain = expression.split("|")[0]
                        if plain.endswith(STRINGS) or "unlocalize" in expression or "stringformat" in expression:
                            continue
                        if MACHINE.search(plain if "|length" not in expression else expression):
                            offenders.append(f"{path.relative_to(root)}:{number}: {{{{ {expression} }}}}")
    assert offenders == []
