"""The form editor in the admin: sections and questions with each type's own parameters, added
and removed without JavaScript, everything typed kept on errors, saved through ``call_form_save``;
only the scheme's administrators and superusers may edit."""

from typing import Any

import pytest

from applications.admin import editor_url, preview_url
from applications.formdef import question_types
from applications.models import CallForm
from applications.selectors import call_form_for
from applications.services import call_form_save
from schemes.models import CallStage
from tests.factories import AgencyFactory, CallFactory, SchemeFactory, StaffFactory, StaffRoleFactory, SuperuserFactory
from tests.otp import force_login_verified

from .helpers import definition, every_type_definition, question, section

pytestmark = pytest.mark.django_db


def editor_post(sections: list[dict[str, Any]], **extra) -> dict[str, Any]:
    """``sections``: ``{"key", "title": {...}, "help": {...}, "order", "delete", "questions": [{"type", "key",
    "label": {...}, "help": {...}, "required", "order", "params": {...}, "delete"}]}`` as the page posts them."""
    data: dict[str, Any] = {"sections-TOTAL": str(len(sections)), **extra}
    for i, s in enumerate(sections):
        p = f"s{i}"
        data.update(
            {
                f"{p}-key": s["key"],
                f"{p}-order": s.get("order", (i + 1) * 10),
                f"{p}-questions-TOTAL": str(len(s.get("questions", []))),
                f"{p}-add_type": "short-text",
            }
        )
        data.update({f"{p}-title_{lang}": text for lang, text in s["title"].items()})
        data.update({f"{p}-help_{lang}": text for lang, text in s.get("help", {}).items()})
        if s.get("delete"):
            data[f"{p}-DELETE"] = "on"
        if s.get("condition"):
            data[f"{p}-condition"] = s["condition"]
        for j, q in enumerate(s.get("questions", [])):
            qp = f"{p}-q{j}"
            data.update({f"{qp}-type": q["type"], f"{qp}-key": q["key"], f"{qp}-order": q.get("order", (j + 1) * 10)})
            data.update({f"{qp}-label_{lang}": text for lang, text in q["label"].items()})
            data.update({f"{qp}-help_{lang}": text for lang, text in q.get("help", {}).items()})
            if q.get("required", True):
                data[f"{qp}-required"] = "on"
            if q.get("delete"):
                data[f"{qp}-DELETE"] = "on"
            if q.get("fact"):
                data[f"{qp}-fact"] = q["fact"]
            if q.get("condition"):
                data[f"{qp}-condition"] = q["condition"]
                data[f"{qp}-condition_match"] = q.get("condition_match", "all")
            data.update({f"{qp}-p-{name}": value for name, value in q.get("params", {}).items()})
    return data  # fmt: skip


ABOUT = {
    "key": "om-prosjektet", "title": {"nb": "Om prosjektet", "nn": "Om prosjektet", "en": "About"},
    "help": {"nb": "Kort om prosjektet."},
    "questions": [
        {"type": "long-text", "key": "sammendrag", "label": {"nb": "Sammendrag", "en": "Summary"},
         "help": {"nb": "Kan bli publisert."}, "params": {"max_chars": "1500"}},
        {"type": "single-choice", "key": "forankring", "label": {"nb": "Forankret?"}, "required": False,
         "params": {"choices": "ja | Ja | Ja | Yes\nnei | Nei | Nei | No"}},
    ],
}  # fmt: skip
BUDGET = {
    "key": "budsjett", "title": {"nb": "Budsjett"},
    "questions": [
        {"type": "budget", "key": "budsjett", "label": {"nb": "Budsjett"}, "params": {"categories": ["personal"]}},
        {"type": "attachment", "key": "plan", "label": {"nb": "Plan"},
         "params": {"allowed_extensions": ["pdf"], "max_size_mb": "5"}},
    ],
}  # fmt: skip


def _admin_of(call, agency=None):
    agency = agency or AgencyFactory()
    call.scheme.agencies.add(agency)
    return StaffRoleFactory(user=StaffFactory(), agency=agency, role="administrator").user


def test_the_editor_shows_each_question_with_its_type_s_own_form_and_offers_every_type(client):
    force_login_verified(client, SuperuserFactory())
    call = CallFactory(title="Runde 2026")
    call_form_save(call=call, stage=None, definition=every_type_definition(), by_user=None)
    page = client.get(editor_url(call)).text
    assert "Søknadsskjema: Runde 2026" in page and preview_url(call) in page
    assert 'name="s0-q0-p-max_length" value="20"' in page  # short text's own parameter form
    assert 'name="s0-q2-p-min_value" value="1"' in page
    assert "a | Alfa | Alfa nn | Alpha" in page  # choices one a line
    assert 'name="s0-q10-p-allowed_extensions" value="pdf"' in page
    for question_type in question_types():
        assert f'<option value="{question_type.key}">' in page


def test_saving_a_structured_form_orders_by_the_order_numbers(client):
    admin = SuperuserFactory()
    force_login_verified(client, admin)
    call = CallFactory()
    data = editor_post([{**BUDGET, "order": 5}, {**ABOUT, "order": 1}])
    data["s0-q1-order"] = "1"  # the attachment before the budget
    response = client.post(editor_url(call), data)
    assert response.status_code == 302 and response["Location"] == editor_url(call)
    saved = call_form_for(call=call)
    assert saved.updated_by == admin
    assert [s["key"] for s in saved.definition["sections"]] == ["om-prosjektet", "budsjett"]
    about, budget = saved.definition["sections"]
    assert about["help"] == {"nb": "Kort om prosjektet."}
    assert about["questions"][0] == {
        "key": "sammendrag", "type": "long-text", "label": {"nb": "Sammendrag", "en": "Summary"},
        "help": {"nb": "Kan bli publisert."}, "required": True, "params": {"max_chars": 1500},
    }  # fmt: skip
    assert about["questions"][1]["required"] is False
    assert about["questions"][1]["params"]["choices"][1] == {"value": "nei", "label": {"nb": "Nei", "nn": "Nei",
                                                                                        "en": "No"}}  # fmt: skip
    assert [q["key"] for q in budget["questions"]] == ["plan", "budsjett"]
    assert budget["questions"][0]["params"] == {"allowed_extensions": ["pdf"], "max_size_mb": 5, "multiple": False}
    assert "Skjemaet er lagret." in client.get(editor_url(call)).text


def test_bad_input_keeps_everything_typed_names_the_problems_and_saves_nothing(client):
    force_login_verified(client, SuperuserFactory())
    call = CallFactory()
    bad_about = {**ABOUT, "questions": [
        {**ABOUT["questions"][0], "params": {"max_chars": "0"}},
        {**ABOUT["questions"][1], "key": "sammendrag", "params": {"choices": "ja | Ja"}},
    ]}  # fmt: skip
    response = client.post(editor_url(call), editor_post([bad_about, {**BUDGET, "title": {"nn": "Berre nynorsk"}}]))
    assert response.status_code == 200
    page = response.text
    assert "<title>Feil:" in page and "Rett feilene nedenfor. Ingenting er lagret ennå." in page
    assert "Verdien må være større enn eller lik 1." in page
    assert "Skriv minst to valg, ett på hver linje." in page
    assert 'name="s1-title_nn" value="Berre nynorsk"' in page and 'name="s0-q0-p-max_chars" value="0"' in page
    assert "Kan bli publisert." in page  # the help, as typed
    assert not CallForm.objects.exists()


def test_a_question_provides_a_fact_for_the_rules_and_a_wrong_type_is_a_clear_error(client):
    force_login_verified(client, SuperuserFactory())
    call = CallFactory()
    duration = {"type": "number", "key": "varighet", "label": {"nb": "Varighet"}, "fact": "duration_months"}
    wrong = {"type": "short-text", "key": "kandidat", "label": {"nb": "Fast ansatt?"},
             "fact": "candidate_permanently_employed", "params": {"max_length": "20"}}  # fmt: skip
    about = {**ABOUT, "questions": [duration, wrong]}
    page = client.get(editor_url(call)).text
    response = client.post(editor_url(call), editor_post([about]))
    assert response.status_code == 200
    assert "«Kandidaten er fast ansatt hos søkeren» må gis av et spørsmål av typen «Ja eller nei»." in response.text
    assert not CallForm.objects.exists()
    response = client.post(editor_url(call), editor_post([{**ABOUT, "questions": [duration]}]))
    assert response.status_code == 302
    [saved] = call_form_for(call=call).definition["sections"][0]["questions"]
    assert saved["fact"] == "duration_months"
    assert "Brukes av reglene som" in client.get(editor_url(call)).text
    assert page  # the empty editor renders too


def test_a_condition_is_written_as_lines_checked_when_saved_and_summarised(client):
    force_login_verified(client, SuperuserFactory())
    call = CallFactory()
    admitted = {"type": "yes-no", "key": "opptatt", "label": {"nb": "Kandidaten er tatt opp"}}
    when = {"type": "date", "key": "nar", "label": {"nb": "Når søker kandidaten opptak?"}, "condition": "opptatt = nei"}
    later = {**when, "condition": "senere = ja"}
    itself = {**when, "condition": "nar er besvart"}
    garbled = {**when, "condition": "opptatt er kanskje"}
    impossible = {**when, "condition": "opptatt = kanskje"}
    senere = {"type": "yes-no", "key": "senere", "label": {"nb": "Senere"}}
    for bad, message in [
        (later, "vilkåret bruker «senere», som ikke er et tidligere spørsmål i skjemaet."),
        (itself, "vilkåret kan ikke handle om spørsmålet selv."),
        (garbled, "Linje 1 («opptatt er kanskje») er ikke et vilkår."),
        (impossible, "«kanskje» er ikke et mulig svar på «opptatt»."),
    ]:
        response = client.post(editor_url(call), editor_post([{**ABOUT, "questions": [admitted, bad, senere]}]))
        assert response.status_code == 200, bad
        assert message in response.text
        assert 'value="opptatt"' in response.text  # everything typed is kept
    assert not CallForm.objects.exists()
    other = {**ABOUT, "key": "kommunen", "condition": "@organisasjonstype = kommune", "questions": []}
    response = client.post(editor_url(call), editor_post([{**ABOUT, "questions": [admitted, when]}, other]))
    assert response.status_code == 302
    saved = call_form_for(call=call).definition["sections"]
    assert saved[0]["questions"][1]["condition"] == {
        "match": "all", "terms": [{"question": "opptatt", "op": "equals", "value": False}],
    }  # fmt: skip
    assert saved[1]["condition"]["terms"] == [{"fact": "organisation-kind", "op": "one-of", "values": ["kommune"]}]
    page = client.get(editor_url(call)).text
    assert "Vises bare når: Kandidaten er tatt opp = Nei" in page
    assert "Vises bare når: Søkerens organisasjonstype = Kommune" in page
    assert "opptatt = nei" in page  # the lines, as written


def test_a_key_used_twice_is_named_with_its_section_and_question(client):
    force_login_verified(client, SuperuserFactory())
    call = CallFactory()
    twice = {**ABOUT, "questions": [ABOUT["questions"][0], {**ABOUT["questions"][1], "key": "sammendrag"}]}
    page = client.post(editor_url(call), editor_post([twice])).text
    assert "Del 1 («om-prosjektet»), spørsmål 2: nøkkelen «sammendrag» er brukt før." in page
    assert not CallForm.objects.exists()


def test_adding_a_section_and_a_question_keeps_everything_typed_and_saves_nothing(client):
    force_login_verified(client, SuperuserFactory())
    call = CallFactory()
    half = {**ABOUT, "questions": [{**ABOUT["questions"][0], "params": {"max_chars": "-5"}}]}
    page = client.post(editor_url(call), editor_post([half], add_section="1")).text
    assert 'name="sections-TOTAL" value="2"' in page and "Del 2" in page
    assert 'name="s0-q0-p-max_chars" value="-5"' in page and "errornote" not in page  # no errors until saving
    data = editor_post([half], add_question="0")
    data["s0-add_type"] = "attachment"
    page = client.post(editor_url(call), data).text
    assert 'name="s0-questions-TOTAL" value="2"' in page and 'name="s0-q1-type" value="attachment"' in page
    assert 'name="s0-q1-p-max_size_mb"' in page and 'name="s0-q0-label_nb" value="Sammendrag"' in page
    assert not CallForm.objects.exists()


def test_removing_sections_and_questions(client):
    force_login_verified(client, SuperuserFactory())
    call = CallFactory()
    call_form_save(call=call, stage=None, definition=definition(section("a"), section("b")), by_user=None)
    about = {**ABOUT, "questions": [ABOUT["questions"][0], {**ABOUT["questions"][1], "delete": True,
                                                            "params": {"choices": "ugyldig"}}]}  # fmt: skip
    data = editor_post([about, {**BUDGET, "delete": True, "title": {"nb": ""}}])
    assert client.post(editor_url(call), data).status_code == 302
    saved = call_form_for(call=call).definition
    assert [s["key"] for s in saved["sections"]] == ["om-prosjektet"]
    assert [q["key"] for q in saved["sections"][0]["questions"]] == ["sammendrag"]


def test_a_tampered_post_is_refused(client):
    force_login_verified(client, SuperuserFactory())
    call = CallFactory()
    assert client.post(editor_url(call), {"sections-TOTAL": "100000"}).status_code == 400
    assert client.post(editor_url(call), {"sections-TOTAL": "x"}).status_code == 400
    data = editor_post([{**ABOUT, "questions": [{**ABOUT["questions"][0], "type": "video"}]}])
    assert client.post(editor_url(call), data).status_code == 400
    assert not CallForm.objects.exists()


def test_stages_have_their_own_forms(client):
    force_login_verified(client, SuperuserFactory())
    call = CallFactory()
    sketch = CallStage.objects.create(call=call, kind=CallStage.Kind.SKETCH, order=1)
    assert client.get(editor_url(call)).status_code == 200
    page = client.post(editor_url(call), editor_post([ABOUT])).text  # the whole call, but it has stages
    assert "Utlysningen har trinn: velg hvilket trinn skjemaet gjelder." in page
    assert client.post(editor_url(call, sketch), editor_post([ABOUT])).status_code == 302
    assert call_form_for(call=call, stage=sketch) is not None
    other_stage = CallStage.objects.create(call=CallFactory(), kind=CallStage.Kind.FULL, order=1)
    assert client.get(editor_url(call, other_stage)).status_code == 404


def test_only_the_scheme_s_administrators_and_superusers_edit_not_its_officers(client):
    call = CallFactory(scheme=SchemeFactory())
    agency = AgencyFactory()
    administrator = _admin_of(call, agency)
    officer = StaffRoleFactory(user=StaffFactory(), agency=agency, schemes=[call.scheme]).user
    other_admin = StaffRoleFactory(user=StaffFactory(), agency=AgencyFactory(), role="administrator").user
    data = editor_post([ABOUT])

    for person in (officer, other_admin):
        force_login_verified(client, person)
        assert client.get(editor_url(call)).status_code == 403
        assert client.post(editor_url(call), data).status_code == 403
    assert not CallForm.objects.exists()
    force_login_verified(client, officer)  # an officer of the scheme may preview, not edit
    assert client.get(preview_url(call)).status_code == 200
    force_login_verified(client, other_admin)
    assert client.get(preview_url(call)).status_code == 403

    for person in (administrator, SuperuserFactory()):
        force_login_verified(client, person)
        assert client.get(editor_url(call)).status_code == 200
        assert client.post(editor_url(call), data).status_code == 302
        assert call_form_for(call=call).updated_by == person


def test_the_call_form_list_and_new_form_choice_show_only_calls_the_person_may_edit(client):
    call, other = CallFactory(title="Min runde"), CallFactory(title="Andres runde")
    administrator = _admin_of(call)
    call_form_save(call=call, stage=None, definition=definition(section("a")), by_user=None)
    call_form_save(call=other, stage=None, definition=definition(section("a")), by_user=None)
    force_login_verified(client, administrator)
    listing = client.get("/admin/applications/callform/").text
    assert "Min runde" in listing and "Andres runde" not in listing and editor_url(call) in listing
    new = client.get("/admin/applications/callform/add/").text
    assert f'value="{call.pk}/hele"' in new and f'value="{other.pk}/hele"' not in new
    response = client.post("/admin/applications/callform/add/", {"target": f"{call.pk}/hele"})
    assert response["Location"] == editor_url(call)
    assert client.post("/admin/applications/callform/add/", {"target": f"{other.pk}/hele"}).status_code == 200
    change = client.get(f"/admin/applications/callform/{call_form_for(call=call).pk}/change/")
    assert change["Location"] == editor_url(call)


def test_the_editor_has_a_pinned_query_count(client, django_assert_max_num_queries):
    force_login_verified(client, SuperuserFactory())
    call = CallFactory()
    many = definition(*(section(f"del-{n}", *(question(f"q-{n}-{m}", "short-text") for m in range(8)))
                        for n in range(6)))  # fmt: skip
    call_form_save(call=call, stage=None, definition=many, by_user=None)
    with django_assert_max_num_queries(11):  # session, user, device, roles, call, stage…, the rules (declarations)
        response = client.get(editor_url(call))
    assert response.text.count("form-editor-question") >= 48
