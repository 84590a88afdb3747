"""Control characters never crash a form, are never saved, and what was typed is kept (issue 13).

The generic test finds the forms itself: as every role of the authorization matrix's world it opens
every page that role may open (the matrix's GET URLs; the admin's index for the superuser) and
follows the links from there, collecting each form it meets. Each form is then sent back as a
browser would send it, with a NUL and a BEL added to every text field (inputs and textareas). A
form added tomorrow is found the same way, with nothing to list.

The dynamic application forms are also built for every registered question type (the world's call
has the demo's full form, which does not use every type).
"""

import operator
from collections import defaultdict
from functools import reduce
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.urls import Resolver404, resolve, reverse

from applications.formdef import FormDefinition, question_types, section_form_class
from portal.control_characters import MESSAGE, has_control_characters
from tests.applications.helpers import EXAMPLES, definition, section
from tests.otp import force_login_verified
from tests.test_authorization_matrix import MATRIX, NEEDS_TWO_FACTOR, OK, ROLES, world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

DIRTY = "\x00\x07"
TEXT_INPUTS = {"text", "email", "search", "tel", "url", "password", "number", "date", "time", "datetime-local"}
SKIPPED_PATHS = ("/static/", "/media/", "/admin/logout/", "/admin/jsi18n/")
PAGES_PER_ROLE = 300
# Pages of one URL name whose arguments differ only in ids: the admin's change pages of a model are
# one form; the portal's pages of an application differ by its state.
PAGES_PER_KIND = {"admin": 1, "": 25}


# --- Reading pages ------------------------------------------------------------------------------
class _Page(HTMLParser):
    """The links and forms of a page (controls outside their form, with ``form="id"``, included)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms, self._by_id = [], [], {}
        self._form = self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(), "controls": []}
            self.forms.append(self._form)
            if a.get("id"):
                self._by_id[a["id"]] = self._form
        elif tag in {"input", "textarea", "select", "button", "option"}:
            self._control(tag, a)

    def _control(self, tag, a):
        if tag == "option":
            if self._select is not None:
                self._select["options"].append((a.get("value", ""), "selected" in a))
            return
        form = self._by_id.get(a["form"]) if a.get("form") else self._form
        control = {"tag": tag, **a, "text": "", "options": []}
        if form is not None and a.get("name") and "disabled" not in a:
            form["controls"].append(control)
        if tag == "textarea":
            self._textarea = control
        elif tag == "select":
            self._select = control

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._textarea["text"].startswith("\n"):
            self._textarea["text"] = self._textarea["text"][1:]  # as browsers read it (HTML spec)
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def read_page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def is_text(control) -> bool:
    """A field a person types into. (The admin's ``__prefix__`` rows are templates for its
    «add another» script; Django ignores them.)"""
    if "__prefix__" in control["name"]:
        return False
    return control["tag"] == "textarea" or (control["tag"] == "input" and control.get("type", "text") in TEXT_INPUTS)


def is_echoed(control) -> bool:
    """Shown again after a refusal: not a password or a one-time code."""
    return control.get("type") != "password" and control.get("autocomplete") != "one-time-code"


def shown_values(html: str) -> dict[str, list[str]]:
    """What the page's text fields show, by name."""
    shown = defaultdict(list)
    for form in read_page(html).forms:
        for control in form["controls"]:
            if is_text(control) and is_echoed(control):
                value = control["text"] if control["tag"] == "textarea" else control.get("value", "")
                shown[control["name"]].append(value)
    return shown


def browser_data(form) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """What a browser posts when the form's first button is pressed, with ``DIRTY`` typed into every
    text field; and what was typed into those that are shown again, by name."""
    data, typed, radios, button = [], {}, {}, None
    for control in form["controls"]:
        name, kind = control["name"], control.get("type", "")
        if is_text(control):
            value = (control["text"] if control["tag"] == "textarea" else control.get("value", "")) or "Tekst"
            value = f"{value[:1]}{DIRTY}{value[1:]}"
            data.append((name, value))
            if is_echoed(control):
                typed[name] = value
        elif control["tag"] == "select":
            chosen = [v for v, selected in control["options"] if selected] or [v for v, _s in control["options"][:1]]
            data += [(name, value) for value in (chosen if "multiple" in control else chosen[:1])]
        elif kind == "hidden":
            data.append((name, control.get("value", "")))
        elif kind == "checkbox" and "checked" in control:
            data.append((name, control.get("value") or "on"))
        elif kind == "radio" and ("checked" in control or name not in radios):
            radios[name] = control.get("value") or "on"
        elif kind in {"submit", "image"} or (control["tag"] == "button" and kind in {"", "submit"}):
            button = button or (name, control.get("value", ""))
    data += list(radios.items()) + ([button] if button else [])
    return data, typed


# --- Crawling -----------------------------------------------------------------------------------
def log_in(client, the_world, role):
    client.logout()
    client.cookies.clear()
    user = the_world["users"][role]
    if role in NEEDS_TWO_FACTOR:
        force_login_verified(client, user)
    elif user is not None:
        client.force_login(user)


def start_urls(the_world, role) -> list[str]:
    """The matrix's GET pages this role may open; those of an application for every application of
    ``the_world["more"]`` too (each state offers other forms)."""
    urls = []
    for name, (method, args, expected, *_data) in MATRIX.items():
        if method != "get" or name == "admin:*" or expected.get(role) != OK:
            continue
        urls.append(reverse(name, args=[the_world["args"].get(a, a) for a in args]))
        for position, arg in enumerate(args):
            for value in the_world.get("more", {}).get(arg, []):
                urls.append(reverse(name, args=[value if n == position else the_world["args"].get(a, a)
                                                for n, a in enumerate(args)]))  # fmt: skip
    urls = list(dict.fromkeys(urls))
    if MATRIX["admin:*"][2][role] == OK:
        urls.append(reverse("admin:index"))
    return urls


def kind_of(path: str):
    """Pages of one URL name whose arguments differ only in ids are of one kind (each application
    section is its own kind: its key is not a number)."""
    match = resolve(path)
    return match.view_name, tuple(str(v) for v in [*match.args, *match.kwargs.values()] if not str(v).isdigit())


def crawl(client, the_world, role) -> dict:
    """Every form the role meets: ``{(method, view name, text field names): (role, page, form)}``."""
    found, seen, per_kind = {}, set(), defaultdict(int)
    queue = start_urls(the_world, role)
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        page = read_page(response.text)
        for form in page.forms:
            action = urljoin(url, form["action"]) if form["action"] else url
            split = urlsplit(action)
            if split.netloc not in {"", "testserver"}:
                continue
            form["url"] = split.path
            names = tuple(sorted(c["name"] for c in form["controls"] if is_text(c)))
            if names:
                found.setdefault((form["method"], resolve(split.path).view_name, names), (role, url, form))
        for href in page.links:
            split = urlsplit(urljoin(url, href))
            if split.netloc not in {"", "testserver"} or split.path.startswith(SKIPPED_PATHS):
                continue
            link = split.path + (f"?{split.query}" if split.query else "")
            try:
                kind = kind_of(split.path)
            except Resolver404:
                continue
            if link not in seen and per_kind[kind] < PAGES_PER_KIND["admin" if kind[0].startswith("admin:") else ""]:
                per_kind[kind] += 1
                queue.append(link)
    return found


@pytest.fixture
def every_state(world):  # noqa: F811 - the matrix's fixture, imported above
    """Beside the matrix's world, one application of A in call X in each state of the workflow, so
    that the forms each state offers (a reason to reopen, an offer to answer …) are on some page."""
    from applications.models import Application
    from applications.workflow import State
    from organisations.models import Organisation
    from schemes.models import Call
    from tests.factories import make_application

    organisation = Organisation.objects.get(org_number=world["args"]["org_a"])
    call = Call.objects.get(slug=world["args"]["call_x"])
    more = []
    for state in State:
        application = make_application(organisation=organisation, call=call, by_user=world["users"]["ansvarlig_a"])
        Application.objects.filter(pk=application.pk).update(state=state)
        more.append(application.pk)
    return {**world, "more": {"application_s": more, "application_a": more}}


# --- What was stored ----------------------------------------------------------------------------
def stored_control_characters() -> list[str]:
    """``app.Model.field`` for every column (text, or JSON as text) that holds a BEL."""
    hits = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        texts = [f for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        jsons = [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        if not texts and not jsons:
            continue
        annotations = {f"_{f.attname}_as_text": Cast(f.attname, models.TextField()) for f in jsons}
        checks = [Q(**{f"{f.attname}__contains": "\x07"}) for f in texts]
        checks += [Q(**{f"_{f.attname}_as_text__contains": "\\u0007"}) for f in jsons]
        if model._base_manager.annotate(**annotations).filter(reduce(operator.or_, checks)).exists():
            hits.append(model._meta.label)
    return hits


# --- The tests ----------------------------------------------------------------------------------
def send(client, the_world, role, form, data):
    log_in(client, the_world, role)
    if form["method"] == "post":
        return client.post(form["url"], urlencode(data), content_type="application/x-www-form-urlencoded")
    return client.get(f"{form['url']}?{urlencode(data)}")


def problems_with(response, typed) -> list[str]:
    if response.status_code != 200:
        return [f"answered {response.status_code}, not the form again with its errors"]
    problems = []
    text = response.text
    if str(MESSAGE) not in text:
        problems.append("no message about the control characters")
    if has_control_characters(text):
        problems.append("the page shows the control characters back")
    shown = shown_values(text)
    kept = {name: value.replace("\x00", "").replace("\x07", "") for name, value in typed.items() if name in shown}
    if typed and not kept:
        problems.append(f"none of the typed fields ({', '.join(typed)}) is shown again")
    problems += [f"{name}: shows {shown[name]!r}, typed {value!r}" for name, value in kept.items()
                 if value not in shown[name]]  # fmt: skip
    return problems


def test_every_form_refuses_control_characters_and_keeps_what_was_typed(client, every_state):
    the_world = every_state
    client.raise_request_exception = False
    forms = {}
    for role in ROLES:
        log_in(client, the_world, role)
        for key, found in crawl(client, the_world, role).items():
            forms.setdefault(key, found)
    # Not a list of today's forms: only that the crawl reached each kind of place forms live.
    views = {view for _method, view, _names in forms}
    assert len(forms) >= 20, sorted(forms)
    assert "application-section" in views and "login" in views, sorted(views)
    assert any(view.startswith("admin:") and view.endswith("_change") for view in views), sorted(views)

    failures = []
    for (method, view, _names), (role, page, form) in sorted(forms.items()):
        data, typed = browser_data(form)
        with transaction.atomic():
            response = send(client, the_world, role, form, data)
            problems = problems_with(response, typed)
            stored = stored_control_characters()
            transaction.set_rollback(True)
        if stored:
            problems.append(f"stored a control character in {', '.join(stored)}")
        if problems:
            failures.append(f"{method.upper()} {form['url']} ({view}, as {role}, from {page}): " + "; ".join(problems))
    assert not failures, f"{len(failures)} of {len(forms)} forms:\n" + "\n".join(failures)


@pytest.mark.parametrize("type_key", [t.key for t in question_types() if not t.answered_elsewhere])
def test_every_question_type_refuses_control_characters(type_key):
    """The application's section forms are built from the form definition; each type's field,
    given text with a NUL and a BEL, is refused with the message. (Partners, budget and
    attachments are answered on pages of their own, which the crawl finds.)"""
    form_class = section_form_class(FormDefinition.from_json(definition(section("s", EXAMPLES[type_key]))).sections[0])
    key = EXAMPLES[type_key]["key"]
    form = form_class(data={key: f"1{DIRTY}", f"{key}_0": f"a{DIRTY}"}, draft=True)
    assert not form.is_valid()
    assert str(MESSAGE) in form.errors[key], form.errors


def test_a_nul_in_an_application_section_is_refused_and_the_rest_is_kept(client):
    """The real path on PostgreSQL: a member saves a section with a NUL in one answer. The page
    comes back with the reason by that answer, everything typed shown (the NUL taken out), the
    other answers saved, and nothing written that PostgreSQL would refuse."""
    from applications.models import Application
    from tests.factories import MembershipFactory, call_with_form, make_application

    user = MembershipFactory().user
    application = make_application(organisation=user.memberships.get().organisation, call=call_with_form(),
                                   by_user=user)  # fmt: skip
    client.force_login(user)
    url = reverse("application-section", args=[application.pk, "om-prosjektet"])
    typed = {"tittel": "Digital\x00 tilsynsassistent", "sammendrag": "Vi prøver ut.", "startdato": "01.03.2027",
             "varighet": "24", "base_version": "0"}  # fmt: skip
    response = client.post(url, typed)

    assert response.status_code == 200
    shown = shown_values(response.text)
    assert shown["tittel"] == ["Digital tilsynsassistent"]
    assert shown["sammendrag"] == ["Vi prøver ut."] and shown["varighet"] == ["24"]
    assert str(MESSAGE) in response.text and "\x00" not in response.text
    stored = Application.objects.get(pk=application.pk)
    assert stored.answers["sammendrag"] == "Vi prøver ut." and stored.answers["varighet"] == "24"
    assert not stored.answers.get("tittel")
    assert stored.pending_input == {"tittel": "Digital tilsynsassistent"}
    # Opened again later, the typed title is still there, waiting to be saved.
    assert shown_values(client.get(url).text)["tittel"] == ["Digital tilsynsassistent"]


# --- digits only 0–9 in number fields, no direction-turning characters in links (issue 18) -------


@pytest.mark.parametrize("typed", ["١٢٣", "１２３", "१२३", "12３"])
@pytest.mark.parametrize("field", ["IntegerField", "DecimalField", "FloatField"])
def test_a_number_field_refuses_digits_other_than_0_to_9_and_shows_what_was_typed(field, typed):
    from django import forms

    from portal.control_characters import DIGITS_MESSAGE

    form_class = type("NumberForm", (forms.Form,), {"amount": getattr(forms, field)()})
    form = form_class(data={"amount": typed})
    assert not form.is_valid()
    assert form.errors["amount"] == [str(DIGITS_MESSAGE)]
    assert f'value="{typed}"' in str(form["amount"])
    assert form_class(data={"amount": "123"}).is_valid()


@pytest.mark.django_db
def test_the_admins_link_field_refuses_characters_that_turn_the_text_and_keeps_the_rest():
    """A call's public link «https://example.no/\u202egnp.exe» would be shown reversed."""
    from django.contrib import admin
    from django.test import RequestFactory

    from portal.control_characters import BIDI_MESSAGE
    from schemes.models import Scheme
    from tests.factories import UserFactory

    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    form_class = admin.site._registry[Scheme].get_form(request)
    typed = "https://forvalter.example.no/\u202eutlysning"
    form = form_class(data={"url": typed})
    assert not form.is_valid()
    assert form.errors["url"] == [str(BIDI_MESSAGE)]
    assert 'value="https://forvalter.example.no/utlysning"' in str(form["url"])
    form = form_class(data={"url": "https://forvalter.example.no/utlysning"})
    form.is_valid()
    assert "url" not in form.errors
