"""Demo application forms for the seeded calls (``load_demo_data``): safe to rerun.

A call's stages decide the form: a sketch or prequalification gets the short form, every other
stage (and a call without stages) the full one, modelled on Forskningsrådet's innovation project
in the public sector.
"""

from django.db import transaction

from schemes.models import Call, CallStage

from .selectors import call_form_for
from .services import call_form_save


def t(nb: str, nn: str, en: str) -> dict[str, str]:
    return {"nb": nb, "nn": nn, "en": en}


def q(key, type_, label, help_=None, *, required=True, **params) -> dict:
    data = {"key": key, "type": type_, "label": label}
    if help_:
        data["help"] = help_
    return {**data, "required": required, "params": params}


ABOUT = {
    "key": "om-prosjektet",
    "title": t("Om prosjektet", "Om prosjektet", "About the project"),
    "help": t("Kort om hva dere vil gjøre.", "Kort om kva de vil gjere.", "Briefly, what you plan to do."),
    "questions": [
        q("tittel", "short-text", t("Prosjekttittel", "Prosjekttittel", "Project title"), max_length=150),
        q("sammendrag", "long-text", t("Sammendrag", "Samandrag", "Summary"),
          t("Skriv for folk flest: sammendraget kan bli publisert.", "Skriv for folk flest: samandraget kan bli "
            "publisert.", "Write for a general audience: the summary may be published."), max_chars=1500),
        q("startdato", "date", t("Planlagt oppstart", "Planlagd oppstart", "Planned start")),
        q("varighet", "number", t("Varighet (måneder)", "Varigheit (månader)", "Duration (months)"),
          min_value=1, max_value=48),
    ],
}  # fmt: skip

NEED = {
    "key": "problemstilling-og-behov",
    "title": t("Problemstilling og behov", "Problemstilling og behov", "Problem and need"),
    "questions": [
        q("behov", "long-text", t("Hvilket behov skal prosjektet løse?", "Kva behov skal prosjektet løyse?",
                                  "Which need will the project meet?"), max_chars=3000),
        q("delt-behov", "yes-no", t("Deler flere offentlige virksomheter behovet?", "Deler fleire offentlege "
                                    "verksemder behovet?", "Do several public bodies share the need?")),
        q("baerekraftsmal", "multiple-choice", t("Hvilke bærekraftsmål bidrar prosjektet til?", "Kva berekraftsmål "
                                                 "bidreg prosjektet til?", "Which SDGs does the project support?"),
          required=False, max_selected=3, choices=[
              {"value": "3", "label": t("3 God helse og livskvalitet", "3 God helse og livskvalitet",
                                        "3 Good health and well-being")},
              {"value": "11", "label": t("11 Bærekraftige byer og lokalsamfunn", "11 Berekraftige byar og "
                                         "lokalsamfunn", "11 Sustainable cities and communities")},
              {"value": "13", "label": t("13 Stoppe klimaendringene", "13 Stoppe klimaendringane",
                                         "13 Climate action")},
              {"value": "16", "label": t("16 Fred, rettferdighet og velfungerende institusjoner", "16 Fred, "
                                         "rettferd og velfungerande institusjonar",
                                         "16 Peace, justice and strong institutions")},
          ]),
    ],
}  # fmt: skip

DELIVERY = {
    "key": "gjennomforing",
    "title": t("Gjennomføring", "Gjennomføring", "Implementation"),
    "questions": [
        q("plan", "long-text", t("Plan og milepæler", "Plan og milepælar", "Plan and milestones"), max_chars=4000),
        q("forankring", "single-choice", t("Er prosjektet forankret i toppledelsen?", "Er prosjektet forankra i "
                                           "toppleiinga?", "Is the project anchored in top management?"), choices=[
              {"value": "ja", "label": t("Ja, vedtatt", "Ja, vedteke", "Yes, decided")},
              {"value": "delvis", "label": t("Delvis", "Delvis", "Partly")},
              {"value": "nei", "label": t("Ikke ennå", "Ikkje enno", "Not yet")},
          ]),
    ],
}  # fmt: skip

PARTNERS = {
    "key": "partnere",
    "title": t("Partnere", "Partnarar", "Partners"),
    "questions": [
        q("partnere", "partners", t("Partnere i prosjektet", "Partnarar i prosjektet", "Project partners"),
          t("Minst én godkjent forskningsorganisasjon.", "Minst éin godkjend forskingsorganisasjon.",
            "At least one approved research organisation."), min_partners=1),
    ],
}  # fmt: skip

BUDGET = {
    "key": "budsjett",
    "title": t("Budsjett", "Budsjett", "Budget"),
    "questions": [
        q("budsjett", "budget", t("Kostnader og finansiering", "Kostnader og finansiering", "Costs and funding"),
          categories=["personal", "innkjop", "utstyr", "annet"], max_years=4),
        q("soknadsbelop", "amount", t("Beløp dere søker om", "Beløp de søkjer om", "Amount applied for"),
          min_amount=100_000, max_amount=16_000_000),
    ],
}  # fmt: skip

ATTACHMENTS = {
    "key": "vedlegg",
    "title": t("Vedlegg", "Vedlegg", "Attachments"),
    "questions": [
        q("prosjektbeskrivelse", "attachment", t("Prosjektbeskrivelse", "Prosjektskildring", "Project description"),
          t("Høyst 10 sider.", "Høgst 10 sider.", "At most 10 pages."), allowed_extensions=["pdf"], max_size_mb=10,
          multiple=False),
        q("cv", "attachment", t("CV for prosjektleder", "CV for prosjektleiar", "CV of the project manager"),
          allowed_extensions=["pdf", "docx"], max_size_mb=5, multiple=True, required=False),
    ],
}  # fmt: skip

FULL_FORM = {"sections": [ABOUT, NEED, DELIVERY, PARTNERS, BUDGET, ATTACHMENTS]}
SHORT_FORM = {"sections": [ABOUT, NEED, PARTNERS]}
SHORT_STAGES = {CallStage.Kind.SKETCH, CallStage.Kind.PREQUALIFICATION}


@transaction.atomic
def call_forms_seed(*, by_user=None) -> int:
    """Give every call (every stage of it) a demo form when it has none or the demo's changed;
    returns how many forms were written."""
    written = 0
    for call in Call.objects.prefetch_related("stages"):
        for stage in list(call.stages.all()) or [None]:
            definition = SHORT_FORM if stage is not None and stage.kind in SHORT_STAGES else FULL_FORM
            current = call_form_for(call=call, stage=stage)
            if current is None or current.definition != definition:
                call_form_save(call=call, stage=stage, definition=definition, by_user=by_user)
                written += 1
    return written


# --- Demo applications ------------------------------------------------------------------------
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
DEMO_ANSWERS = {
    "om-prosjektet": {"tittel": "Digital tilsynsassistent for hjemmetjenesten", "startdato": "01.03.2027",
                      "sammendrag": "Vi vil prøve ut en digital assistent som gir hjemmetjenesten bedre oversikt.",
                      "varighet": "24"},
    "problemstilling-og-behov": {"behov": "Ansatte bruker mye tid på å lete etter informasjon.",
                                 "delt-behov": "ja", "baerekraftsmal": ["3", "11"]},
    "gjennomforing": {"plan": "Kartlegging, utprøving og evaluering.", "forankring": "ja"},
    "budsjett": {"soknadsbelop": "1 200 000"},
}  # fmt: skip
DEMO_BUDGET = {
    "rows": {"personal": {"2027": "900000", "2028": "700000"}, "innkjop": {"2027": "600000", "2028": "200000"}},
    "own_funding": "1200000",
    "other_funding": "0",
    "requested": "1200000",
}


def applications_seed(*, draft_by, submit_by, organisation, partner) -> list:
    """Two demo applications of ``organisation`` in the first open call with a full form: a draft
    half filled in by ``draft_by`` and a submitted one by ``submit_by`` (the ansvarlig). Skipped when
    the organisation has applications already (rerunning ``make run`` changes nothing)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.http import QueryDict
    from django.utils import timezone

    from schemes.models import CallStatus

    from .models import Application
    from .services import (
        application_budget_save,
        application_create,
        application_file_add,
        application_partner_add,
        application_section_save,
        application_submit,
    )

    if Application.objects.filter(organisation=organisation).exists():
        return []
    now = timezone.now()
    calls = [c for c in Call.objects.filter(stages__isnull=True).order_by("closes_at")
             if c.status(now=now) == CallStatus.OPEN and call_form_for(call=c) is not None
             and call_form_for(call=c).definition == FULL_FORM]  # fmt: skip
    if not calls:
        return []

    def fill(application, user, sections):
        for key in sections:
            data = QueryDict(mutable=True)
            for name, value in DEMO_ANSWERS[key].items():
                data.setlist(name, value if isinstance(value, list) else [value])
            base = Application.objects.get(pk=application.pk).section_version(key)
            application_section_save(application_id=application.pk, section_key=key, data=data, base_version=base,
                                     by_user=user)  # fmt: skip

    draft = application_create(call=calls[0], organisation=organisation, by_user=draft_by)
    fill(draft, draft_by, ["om-prosjektet", "problemstilling-og-behov"])
    submitted = application_create(call=calls[0], organisation=organisation, by_user=submit_by)
    fill(submitted, submit_by, list(DEMO_ANSWERS))
    application_partner_add(application_id=submitted.pk, question_key="partnere", org_number=partner.org_number,
                            role="research-partner", by_user=submit_by)  # fmt: skip
    application_budget_save(application_id=submitted.pk, question_key="budsjett", budget_json=DEMO_BUDGET,
                            base_version=0, by_user=submit_by)  # fmt: skip
    upload = SimpleUploadedFile("prosjektbeskrivelse.pdf", DEMO_PDF)
    application_file_add(application_id=submitted.pk, question_key="prosjektbeskrivelse", uploaded_file=upload,
                         by_user=submit_by)  # fmt: skip
    application_submit(application_id=submitted.pk, by_user=submit_by, now=timezone.now())
    return [draft, submitted]
