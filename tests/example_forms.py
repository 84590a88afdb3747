"""Two generic application forms for tests of the form machinery (sections, partners, budget,
attachments): a full one and a short one for a sketch stage. The seed schemes' own forms are in
``applications.seed.SCHEME_FORMS``."""


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
