"""The call's form as a row: checked on full_clean, saved by ``call_form_save``, copied by
``definition_snapshot``, and seeded for the demo calls."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from applications.formdef import FormDefinition
from applications.models import CallForm
from applications.seed import call_forms_seed
from applications.selectors import call_form_for, definition_hash, definition_snapshot
from applications.services import call_form_save
from schemes.models import CallStage
from tests.factories import CallFactory, SuperuserFactory

from .helpers import definition, every_type_definition, question, section

pytestmark = pytest.mark.django_db


def _stage(call, kind=CallStage.Kind.SKETCH, order=1):
    return CallStage.objects.create(call=call, kind=kind, order=order)


def test_full_clean_refuses_a_definition_naming_the_section_and_question():
    form = CallForm(call=CallFactory(), definition=definition(section("om", question("x", "video"))))
    with pytest.raises(ValidationError) as caught:
        form.full_clean()
    (message,) = caught.value.message_dict["definition"]
    assert message.startswith("Del 1 («om»), spørsmål 1 («x») har en ukjent spørsmålstype «video».")


def test_a_stage_must_be_of_the_call_and_a_call_with_stages_needs_one():
    call, other = CallFactory(), CallFactory()
    stage = _stage(call)
    with pytest.raises(ValidationError) as caught:
        CallForm(call=other, stage=stage).full_clean()
    assert caught.value.message_dict["stage"] == ["Trinnet hører til en annen utlysning."]
    with pytest.raises(ValidationError) as caught:
        CallForm(call=call).full_clean()
    assert caught.value.message_dict["stage"] == ["Utlysningen har trinn: velg hvilket trinn skjemaet gjelder."]
    CallForm(call=call, stage=stage).full_clean()


def test_one_form_per_call_and_stage_also_in_the_database():
    call = CallFactory()
    stage = _stage(call)
    CallForm.objects.create(call=call, stage=stage)
    with pytest.raises(IntegrityError):
        CallForm.objects.create(call=call, stage=stage)


def test_one_form_for_a_call_without_stages_also_in_the_database():
    call = CallFactory()
    CallForm.objects.create(call=call)
    with pytest.raises(IntegrityError):
        CallForm.objects.create(call=call)


def test_call_form_save_creates_then_replaces_and_records_who():
    call, admin = CallFactory(), SuperuserFactory()
    first = call_form_save(call=call, stage=None, definition=every_type_definition(), by_user=admin)
    second = call_form_save(call=call, stage=None, definition=definition(section("om")), by_user=admin)
    assert first.pk == second.pk and CallForm.objects.count() == 1
    assert call_form_for(call=call).definition == definition(section("om"))
    assert second.updated_by == admin and second.updated_at >= first.updated_at


def test_call_form_save_writes_nothing_for_a_bad_definition():
    call = CallFactory()
    with pytest.raises(ValidationError):
        call_form_save(call=call, stage=None, definition={"sections": "nei"}, by_user=None)
    assert not CallForm.objects.exists()
    assert call_form_for(call=call) is None


def test_the_snapshot_is_a_deep_copy_that_later_edits_do_not_change():
    call = CallFactory()
    call_form = call_form_save(call=call, stage=None, definition=every_type_definition(), by_user=None)
    snapshot = definition_snapshot(call_form)
    assert snapshot["format"] == 1 and snapshot["call_form_id"] == call_form.pk
    assert snapshot["sha256"] == definition_hash(every_type_definition())
    call_form.definition["sections"][0]["questions"].clear()  # a later edit, in place
    call_form_save(call=call, stage=None, definition=definition(section("ny")), by_user=None)
    assert snapshot["definition"] == every_type_definition()
    assert FormDefinition.from_json(snapshot["definition"]).to_json() == every_type_definition()
    assert definition_snapshot(call_form_for(call=call))["sha256"] != snapshot["sha256"]


def test_seed_gives_each_seed_schemes_calls_its_own_form_per_stage_and_reruns_without_writing():
    from applications.seed import SCHEME_FORMS

    partnership = CallFactory(scheme__slug="innovasjonspartnerskap")
    sketch = _stage(partnership, CallStage.Kind.SKETCH, 1)
    full = _stage(partnership, CallStage.Kind.FULL, 2)
    phd = CallFactory(scheme__slug="offentlig-sektor-phd")
    own = CallFactory(scheme__slug="en-ordning-admin-har-laget")
    assert call_forms_seed() == 3
    assert call_form_for(call=partnership, stage=sketch).definition == SCHEME_FORMS["innovasjonspartnerskap"]["skisse"]
    assert (
        call_form_for(call=partnership, stage=full).definition == SCHEME_FORMS["innovasjonspartnerskap"]["hovedsoknad"]
    )
    assert call_form_for(call=phd).definition == SCHEME_FORMS["offentlig-sektor-phd"][None]
    assert call_form_for(call=own) is None  # an admin's own scheme: its form is built in the form editor
    titles = [s.title.nb for s in FormDefinition.from_json(SCHEME_FORMS["offentlig-sektor-phd"][None]).sections]
    assert titles == ["Om prosjektet", "Kandidaten", "Gradsgivende institusjon", "Relevans for arbeidsgiveren",
                      "Budsjett", "Vedlegg"]  # fmt: skip
    assert call_forms_seed() == 0


def test_the_demo_data_gives_every_call_its_forms(settings):
    from django.core.management import call_command

    from schemes.models import Call

    settings.DEBUG = True
    call_command("load_demo_data", "--quiet-logins")
    for call in Call.objects.prefetch_related("stages"):
        for stage in list(call.stages.all()) or [None]:
            FormDefinition.from_json(call_form_for(call=call, stage=stage).definition)
    assert CallForm.objects.filter(updated_by__email="admin@demo.innovasjonsportalen.no").exists()
