"""The seed schemes' application forms, as their owners ask (``load_demo_data``): safe to rerun.

``SCHEME_FORMS`` holds one form per scheme (by scheme slug) and, where a scheme's calls have stages,
one per stage kind (``None``: a call without stages). Each asks what the scheme's owner asks
(PRODUCT.md «The schemes»); a question with ``fact`` gives the eligibility rules their fact. Where
a form has a budget there is no amount question: the amount applied for is the budget's. Calls of
other schemes (an admin's own) get no form from here: admins build those in the form editor.
"""

from django.db import transaction

from schemes.models import Call, CallStage

from .selectors import call_form_for
from .services import call_form_save

K = CallStage.Kind


def t(nb: str, nn: str, en: str) -> dict[str, str]:
    return {"nb": nb, "nn": nn, "en": en}


def q(key, type_, label, help_=None, *, required=True, fact=None, condition=None, **params) -> dict:
    data = {"key": key, "type": type_, "label": label}
    if help_:
        data["help"] = help_
    if fact:
        data["fact"] = fact
    data = {**data, "required": required, "params": params}
    if condition:
        data["condition"] = condition
    return data


def section(key, title, questions, help_=None) -> dict:
    data = {"key": key, "title": title}
    if help_:
        data["help"] = help_
    return {**data, "questions": questions}


def text(key, label, help_=None, *, max_chars=3000, required=True, condition=None) -> dict:
    return q(key, "long-text", label, help_, required=required, condition=condition, max_chars=max_chars)


def when(*terms, match="all") -> dict:
    """A condition (``applications.formdef.conditions``): asked only when the terms hold."""
    return {"match": match, "terms": list(terms)}


DECLARATION_ANCHORED = "declaration:forankret-i-toppledelsen"


# --- Building blocks ----------------------------------------------------------------------------
def about(*, max_months: int, start: bool = True) -> dict:
    questions = [
        q("tittel", "short-text", t("Prosjekttittel", "Prosjekttittel", "Project title"), max_length=150),
        text(
            "sammendrag",
            t("Sammendrag", "Samandrag", "Summary"),
            t(
                "Skriv for folk flest: sammendraget kan bli publisert.",
                "Skriv for folk flest: samandraget kan bli publisert.",
                "Write for a general audience: the summary may be published.",
            ),
            max_chars=1500,
        ),
    ]
    if start:
        questions.append(q("startdato", "date", t("Planlagt oppstart", "Planlagd oppstart", "Planned start")))
    questions.append(
        q(
            "varighet",
            "number",
            t("Varighet (måneder)", "Varigheit (månader)", "Duration (months)"),
            t(f"Høyst {max_months} måneder.", f"Høgst {max_months} månader.", f"At most {max_months} months."),
            fact="duration_months",
            min_value=1,
            max_value=max_months,
        )
    )
    return section("om-prosjektet", t("Om prosjektet", "Om prosjektet", "About the project"), questions)


ANCHORED_QUESTION = q(
    "forankret-i-toppledelsen",
    "yes-no",
    t(
        "Er prosjektet forankret i toppledelsen i virksomheten?",
        "Er prosjektet forankra i toppleiinga i verksemda?",
        "Is the project anchored with the organisation's top management?",
    ),
    t(
        "Svarer dere ja, bekrefter dere at toppledelsen står bak søknaden.",
        "Svarar de ja, stadfestar de at toppleiinga står bak søknaden.",
        "Answering yes confirms that top management stands behind the application.",
    ),
    fact=DECLARATION_ANCHORED,
)


def budget(*, max_years: int, help_=None, extra=()) -> dict:
    return section(
        "budsjett",
        t("Budsjett", "Budsjett", "Budget"),
        [
            q(
                "budsjett",
                "budget",
                t("Kostnader og finansiering", "Kostnader og finansiering", "Costs and funding"),
                help_
                or t(
                    "Beløpet dere søker om, er kostnadene minus egenfinansiering og annen finansiering.",
                    "Beløpet de søkjer om, er kostnadene minus eigenfinansiering og anna finansiering.",
                    "The amount applied for is the costs minus own funding and other funding.",
                ),
                categories=["personal", "innkjop", "utstyr", "annet"],
                max_years=max_years,
            ),
            *extra,
        ],
    )


def attachments(*extra) -> dict:
    return section(
        "vedlegg",
        t("Vedlegg", "Vedlegg", "Attachments"),
        [
            q(
                "prosjektbeskrivelse",
                "attachment",
                t("Prosjektbeskrivelse", "Prosjektskildring", "Project description"),
                t("Høyst 10 sider.", "Høgst 10 sider.", "At most 10 pages."),
                allowed_extensions=["pdf"],
                max_size_mb=10,
                multiple=False,
            ),
            *extra,
        ],
    )


CV_PROJECT_MANAGER = q(
    "cv", "attachment", t("CV for prosjektleder", "CV for prosjektleiar", "CV of the project manager"),
    allowed_extensions=["pdf", "docx"], max_size_mb=5, multiple=False, required=False,
)  # fmt: skip

SDGS = q(
    "baerekraftsmal",
    "multiple-choice",
    t(
        "Hvilke bærekraftsmål bidrar prosjektet til?",
        "Kva berekraftsmål bidreg prosjektet til?",
        "Which SDGs does the project support?",
    ),
    required=False,
    max_selected=3,
    choices=[
        {
            "value": "3",
            "label": t("3 God helse og livskvalitet", "3 God helse og livskvalitet", "3 Good health and well-being"),
        },
        {
            "value": "9",
            "label": t(
                "9 Industri, innovasjon og infrastruktur",
                "9 Industri, innovasjon og infrastruktur",
                "9 Industry, innovation and infrastructure",
            ),
        },
        {
            "value": "11",
            "label": t(
                "11 Bærekraftige byer og lokalsamfunn",
                "11 Berekraftige byar og lokalsamfunn",
                "11 Sustainable cities and communities",
            ),
        },
        {"value": "13", "label": t("13 Stoppe klimaendringene", "13 Stoppe klimaendringane", "13 Climate action")},
        {
            "value": "16",
            "label": t(
                "16 Fred, rettferdighet og velfungerende institusjoner",
                "16 Fred, rettferd og velfungerande institusjonar",
                "16 Peace, justice and strong institutions",
            ),
        },
    ],
)

# --- StimuLab: prequalification, no amount, partners optional ---------------------------------------
STIMULAB = {"sections": [
    section("om-prosjektet", t("Om prosjektet", "Om prosjektet", "About the project"), [
        q("tittel", "short-text", t("Prosjekttittel", "Prosjekttittel", "Project title"), max_length=150),
        text("sammendrag", t("Sammendrag", "Samandrag", "Summary"), max_chars=1500),
    ]),
    section("tjenesten-og-brukerne", t("Tjenesten og brukerne", "Tenesta og brukarane", "The service and its users"), [
        text("tjenesten", t("Hvilken tjeneste vil dere utvikle eller forbedre?", "Kva teneste vil de utvikle eller "
             "forbetre?", "Which service do you want to develop or improve?")),
        text("brukerne", t("Hvem er brukerne av tjenesten?", "Kven er brukarane av tenesta?",
                           "Who are the users of the service?")),
        text("behovet", t("Hva er behovet, sett fra brukernes side?", "Kva er behovet, sett frå brukarane si side?",
                          "What is the need, seen from the users' side?"),
             t("Beskriv hva brukerne opplever i dag, ikke hvilken løsning dere ser for dere.",
               "Skildra kva brukarane opplever i dag, ikkje kva løysing de ser føre dykk.",
               "Describe what users experience today, not the solution you have in mind.")),
    ]),
    section("forankring-og-egeninnsats", t("Forankring og egeninnsats", "Forankring og eigeninnsats",
                                           "Anchoring and own contribution"), [
        ANCHORED_QUESTION,
        text("forankring", t("Hvordan er ledelsen involvert?", "Korleis er leiinga involvert?",
                             "How is management involved?"), max_chars=1500),
        text("egeninnsats", t("Hvem fra virksomheten deltar, og hvor mye tid setter dere av?", "Kven frå verksemda "
             "deltek, og kor mykje tid set de av?", "Who from the organisation takes part, and how much time will "
             "you set aside?"), max_chars=1500),
    ]),
    section("apenhet-og-laering", t("Åpenhet og læring", "Openheit og læring", "Openness and learning"), [
        text("apenhet", t("Hvor åpne er dere for hva løsningen blir?", "Kor opne er de for kva løysinga blir?",
                          "How open are you to what the solution turns out to be?"), max_chars=1500),
        text("laering", t("Hva kan andre offentlige virksomheter lære av prosjektet?", "Kva kan andre offentlege "
             "verksemder lære av prosjektet?", "What can other public bodies learn from the project?"),
             max_chars=1500),
    ]),
    section("samarbeid", t("Samarbeid", "Samarbeid", "Collaboration"), [
        q("partnere", "partners", t("Andre virksomheter som er med (valgfritt)", "Andre verksemder som er med "
          "(valfritt)", "Other organisations taking part (optional)"), required=False, min_partners=0),
    ]),
]}  # fmt: skip

# --- Innovasjonspartnerskap: sketch, then full application ----------------------------------------------
IPA_NEED = section("behovet", t("Behovet", "Behovet", "The need"), [
    text("behov", t("Hvilket behov har dere?", "Kva behov har de?", "What is your need?")),
    text("markedet", t("Hvorfor finnes det ingen løsning i markedet i dag?", "Kvifor finst det inga løysing i "
         "marknaden i dag?", "Why does the market have no solution today?")),
    text("hvem-deler-behovet", t("Hvem andre har det samme behovet?", "Kven andre har det same behovet?",
         "Who else has the same need?"), max_chars=1500),
])  # fmt: skip
IPA_ANCHORING = section("forankring", t("Forankring", "Forankring", "Anchoring"), [
    ANCHORED_QUESTION,
    text("forankring", t("Hvordan er behovet forankret i toppledelsen?", "Korleis er behovet forankra i "
         "toppleiinga?", "How is the need anchored with top management?"), max_chars=1500),
])  # fmt: skip
IPA_PHASES = text("faser", t("Hvilke faser planlegger dere i partnerskapet?", "Kva fasar planlegg de i "
                  "partnarskapet?", "Which phases do you plan in the partnership?"),
                  t("For eksempel behovsavklaring, markedsdialog, konkurranse, utvikling og test.",
                    "Til dømes behovsavklaring, marknadsdialog, konkurranse, utvikling og test.",
                    "For example clarifying the need, market dialogue, competition, development and "
                    "test."))  # fmt: skip
IPA_PARTNERS = section("partnere", t("Partnere", "Partnarar", "Partners"), [
    q("partnere", "partners", t("Andre offentlige virksomheter i partnerskapet", "Andre offentlege verksemder i "
      "partnarskapet", "Other public bodies in the partnership"),
      t("Én virksomhet søker formelt; de andre føres opp her. Små distriktskommuner kan gå sammen.",
        "Éi verksemd søkjer formelt; dei andre blir førte opp her. Små distriktskommunar kan gå saman.",
        "One body applies formally; the others are listed here. Small rural municipalities may join forces."),
      required=False, min_partners=0),
])  # fmt: skip
INNOVASJONSPARTNERSKAP_SKETCH = {"sections": [
    about(max_months=36, start=False),
    IPA_NEED,
    IPA_ANCHORING,
    section("partnerskapet", t("Partnerskapet", "Partnarskapet", "The partnership"), [IPA_PHASES]),
    IPA_PARTNERS,
    budget(max_years=3),
]}  # fmt: skip
INNOVASJONSPARTNERSKAP_FULL = {"sections": [
    about(max_months=36),
    IPA_NEED,
    IPA_ANCHORING,
    section("partnerskapet", t("Partnerskapet", "Partnarskapet", "The partnership"), [
        IPA_PHASES,
        text("gevinster", t("Hvilke gevinster venter dere for brukerne og virksomheten?", "Kva gevinstar ventar de "
             "for brukarane og verksemda?", "Which gains do you expect for the users and the organisation?")),
        text("spredning", t("Hvordan kan løsningen tas i bruk av andre?", "Korleis kan andre ta i bruk løysinga?",
             "How can others adopt the solution?"), max_chars=1500),
    ]),
    IPA_PARTNERS,
    budget(max_years=3),
    attachments(),
]}  # fmt: skip

# --- PCP: pre-project, then main project --------------------------------------------------------------
PCP_CHALLENGE = section("utfordringen", t("Utfordringen", "Utfordringa", "The challenge"), [
    text("utfordring", t("Hvilken utfordring skal løses?", "Kva utfordring skal løysast?",
                         "Which challenge is to be solved?")),
    text("markedet", t("Hvorfor finnes det ingen løsning i markedet?", "Kvifor finst det inga løysing i marknaden?",
                       "Why is there no solution on the market?"), max_chars=1500),
])  # fmt: skip
PCP_DIALOGUE = section("markedsdialog", t("Markedsdialog", "Marknadsdialog", "Market dialogue"), [
    q("markedsdialog-gjennomfort", "yes-no", t("Har dere gjennomført markedsdialog?", "Har de gjennomført "
      "marknadsdialog?", "Have you held a market dialogue?")),
    text("markedsdialog", t("Hva lærte dere av dialogen med markedet, eller hvordan skal den gjøres?", "Kva lærte de "
         "av dialogen med marknaden, eller korleis skal han gjerast?", "What did you learn from the market dialogue, "
         "or how will it be held?"), max_chars=1500),
])  # fmt: skip
PCP_PARTNERS = section("partnere", t("Partnere", "Partnarar", "Partners"), [
    q("partnere", "partners", t("Andre offentlige virksomheter i anskaffelsen", "Andre offentlege verksemder i "
      "innkjøpet", "Other public bodies in the procurement"), t("Offentlige virksomheter kan gå sammen.",
      "Offentlege verksemder kan gå saman.", "Public bodies may join forces."), required=False, min_partners=0),
])  # fmt: skip
PCP_PRE_PROJECT = {"sections": [
    about(max_months=12),
    PCP_CHALLENGE,
    PCP_DIALOGUE,
    PCP_PARTNERS,
    budget(max_years=2),
    attachments(),
]}  # fmt: skip
PCP_MAIN_PROJECT = {"sections": [
    about(max_months=48),
    section("forprosjektet", t("Forprosjektet", "Forprosjektet", "The pre-project"), [
        q("forprosjekt-gjennomfort", "yes-no", t("Har dere gjennomført et forprosjekt?", "Har de gjennomført eit "
          "forprosjekt?", "Have you completed a pre-project?"), t("Hovedprosjektet krever et gjennomført "
          "forprosjekt.", "Hovudprosjektet krev eit gjennomført forprosjekt.", "The main project requires a "
          "completed pre-project."), fact="previous_stage_completed"),
        text("forprosjekt-resultater", t("Hva kom forprosjektet fram til?", "Kva kom forprosjektet fram til?",
             "What did the pre-project find?"), max_chars=1500,
             condition=when({"question": "forprosjekt-gjennomfort", "op": "equals", "value": True})),
    ]),
    PCP_CHALLENGE,
    PCP_DIALOGUE,
    section("konkurransen", t("Konkurransen", "Konkurransen", "The competition"), [
        text("faser", t("Hvordan blir fasene konsept, utvikling og test gjennomført?", "Korleis blir fasane konsept, "
             "utvikling og test gjennomførte?", "How will the concept, development and test phases be run?")),
        q("leverandorer", "number", t("Hvor mange leverandører skal utvikle parallelt?", "Kor mange leverandørar skal "
          "utvikle parallelt?", "How many suppliers will develop in parallel?"), min_value=2, max_value=10),
    ]),
    PCP_PARTNERS,
    budget(max_years=4),
    attachments(),
]}  # fmt: skip

# --- Offentlig sektor-ph.d. -----------------------------------------------------------------------------
PHD = {"sections": [
    about(max_months=48),
    section("kandidaten", t("Kandidaten", "Kandidaten", "The candidate"), [
        q("kandidat-navn", "short-text", t("Kandidatens navn", "Namnet til kandidaten", "The candidate's name"),
          max_length=150),
        q("kandidat-fast-ansatt", "yes-no", t("Er kandidaten fast ansatt hos søkeren?", "Er kandidaten fast tilsett "
          "hos søkjaren?", "Is the candidate permanently employed by the applicant?"),
          fact="candidate_permanently_employed"),
        q("kandidat-doktorgrad", "yes-no", t("Har kandidaten doktorgrad fra før?", "Har kandidaten doktorgrad frå "
          "før?", "Does the candidate already hold a doctorate?"), fact="candidate_has_doctorate"),
        q("kandidat-opptak", "single-choice", t("Opptak til doktorgradsprogram", "Opptak til doktorgradsprogram",
          "Admission to a doctoral programme"), choices=[
              {"value": "opptatt", "label": t("Kandidaten er tatt opp", "Kandidaten er teken opp",
                                              "The candidate has been admitted")},
              {"value": "sokt", "label": t("Kandidaten har søkt opptak", "Kandidaten har søkt opptak",
                                           "The candidate has applied for admission")},
              {"value": "ikke-sokt", "label": t("Kandidaten har ikke søkt ennå", "Kandidaten har ikkje søkt enno",
                                                "The candidate has not applied yet")},
          ]),
        q("kandidat-opptak-nar", "date", t("Når søker kandidaten opptak?", "Når søkjer kandidaten opptak?",
          "When will the candidate apply for admission?"), t("Har kandidaten søkt, skriv datoen søknaden ble "
          "sendt.", "Har kandidaten søkt, skriv datoen søknaden vart send.", "If the candidate has applied, give the "
          "date the application was sent."),
          condition=when({"question": "kandidat-opptak", "op": "one-of", "values": ["sokt", "ikke-sokt"]})),
    ]),
    section("gradsgivende-institusjon", t("Gradsgivende institusjon", "Gradsgivande institusjon",
                                          "Degree-granting institution"), [
        q("gradsgivende-institusjon", "partners", t("Gradsgivende institusjon", "Gradsgivande institusjon",
          "Degree-granting institution"), t("Universitetet eller høyskolen som gir doktorgraden.", "Universitetet "
          "eller høgskulen som gir doktorgraden.", "The university or university college that awards the "
          "doctorate."), min_partners=1, max_partners=2),
        text("samarbeid", t("Hvordan samarbeider arbeidsgiver, institusjon og kandidat?", "Korleis samarbeider "
             "arbeidsgivar, institusjon og kandidat?", "How will employer, institution and candidate work "
             "together?"), max_chars=1500),
    ]),
    section("relevans", t("Relevans for arbeidsgiveren", "Relevans for arbeidsgivaren", "Relevance to the employer"), [
        text("relevans", t("Hvordan er doktorgraden relevant for arbeidsgiverens ansvarsområde?", "Korleis er "
             "doktorgraden relevant for ansvarsområdet til arbeidsgivaren?", "How is the doctorate relevant to the "
             "employer's area of responsibility?")),
    ]),
    budget(max_years=4, help_=t("Forskningsrådet dekker høyst 50 prosent av kostnadene.", "Forskingsrådet dekkjer "
           "høgst 50 prosent av kostnadene.", "The Research Council covers at most 50 per cent of the costs.")),
    attachments(
        q("kandidat-cv", "attachment", t("Kandidatens CV", "CV-en til kandidaten", "The candidate's CV"),
          allowed_extensions=["pdf", "docx"], max_size_mb=5, multiple=False),
        q("opptak-dokumentasjon", "attachment", t("Bekreftelse på opptak eller søknad om opptak", "Stadfesting på "
          "opptak eller søknad om opptak", "Confirmation of admission or of the application for admission"),
          allowed_extensions=["pdf"], max_size_mb=5, multiple=False, required=False),
    ),
]}  # fmt: skip

# --- Innovasjonsprosjekt i offentlig sektor ---------------------------------------------------------------
INNOVASJONSPROSJEKT = {"sections": [
    about(max_months=48),
    section("problemet", t("Problemet og eierskapet", "Problemet og eigarskapen", "The problem and its owner"), [
        text("behov", t("Hvilket problem skal prosjektet løse?", "Kva problem skal prosjektet løyse?",
                        "Which problem will the project solve?")),
        text("eierskap", t("Hvordan eier og leder dere prosjektet?", "Korleis eig og leier de prosjektet?",
                           "How do you own and lead the project?"), max_chars=1500),
        SDGS,
    ]),
    section("forskningspartner", t("Forskningspartner", "Forskingspartnar", "Research partner"), [
        q("partnere", "partners", t("Partnere i prosjektet", "Partnarar i prosjektet", "Project partners"),
          t("Minst én godkjent forskningsorganisasjon.", "Minst éin godkjend forskingsorganisasjon.",
            "At least one approved research organisation."), min_partners=1),
        text("forskningspartnerens-rolle", t("Hva er forskningspartnerens rolle?", "Kva er rolla til "
             "forskingspartnaren?", "What is the research partner's role?"), max_chars=1500),
        q("forskningsorganisasjon-godkjent", "single-choice", t("Er forskningsorganisasjonen godkjent for "
          "basisfinansiering fra Forskningsrådet?", "Er forskingsorganisasjonen godkjend for basisfinansiering frå "
          "Forskingsrådet?", "Is the research organisation approved for basic funding from the Research Council?"),
          choices=[
              {"value": "godkjent", "label": t("Ja, godkjent", "Ja, godkjend", "Yes, approved")},
              {"value": "soknad-sendt", "label": t("Søknad om godkjenning er sendt", "Søknad om godkjenning er "
                                                   "send", "An application for approval has been sent")},
              {"value": "ikke-godkjent", "label": t("Nei", "Nei", "No")},
          ], condition=when({"fact": "partner-kind", "op": "one-of", "values": ["forskning"]})),
    ]),
    section("gjennomforing", t("Gjennomføring", "Gjennomføring", "Implementation"), [
        text("plan", t("Plan og milepæler", "Plan og milepælar", "Plan and milestones"), max_chars=4000),
    ]),
    budget(max_years=4, help_=t("Egenfinansieringen er normalt minst 50 prosent av kostnadene.", "Eigenfinansieringa "
           "er normalt minst 50 prosent av kostnadene.", "Own funding is normally at least 50 per cent of the costs.")),
    # No question «why is own funding below 50 %?»: the scheme's soft rule on the own-funding share
    # asks for that justification at submit, once (schemes/eligibility/presets.py).
    attachments(CV_PROJECT_MANAGER),
]}  # fmt: skip

# --- Offentlig-privat samarbeid -----------------------------------------------------------------------
OPS = {"sections": [
    about(max_months=36),
    section("samfunnsutfordringen", t("Samfunnsutfordringen", "Samfunnsutfordringa", "The societal challenge"), [
        text("utfordring", t("Hvilken samfunnsutfordring gjelder det?", "Kva samfunnsutfordring gjeld det?",
                             "Which societal challenge is it about?")),
        text("aktorer", t("Hvem er aktørene som berøres?", "Kven er aktørane som blir råka?",
                          "Who are the stakeholders?"), max_chars=1500),
        text("gevinstpotensial", t("Hvilket gevinstpotensial ser dere?", "Kva gevinstpotensial ser de?",
                                   "What potential for gains do you see?"), max_chars=1500),
    ]),
    section("forankring", t("Forankring", "Forankring", "Anchoring"), [
        ANCHORED_QUESTION,
        text("strategi", t("Hvordan er prosjektet forankret i virksomhetens langsiktige strategi?", "Korleis er "
             "prosjektet forankra i den langsiktige strategien til verksemda?", "How is the project anchored in the "
             "organisation's long-term strategy?"), max_chars=1500),
    ]),
    section("markedet", t("Markedet", "Marknaden", "The market"), [
        text("marked", t("Hvilket marked finnes for løsningen, og hvilken verdiskaping kan den gi næringslivet?",
             "Kva marknad finst for løysinga, og kva verdiskaping kan ho gi næringslivet?", "What market is there "
             "for the solution, and what value can it create for industry?")),
    ]),
    section("andre-offentlige-aktorer", t("Andre offentlige aktører", "Andre offentlege aktørar",
                                          "Other public actors"), [
        q("partnere", "partners", t("Offentlige aktører med samme utfordring", "Offentlege aktørar med same "
          "utfordring", "Public actors with the same challenge"), t("Minst én annen offentlig aktør.", "Minst éin "
          "annan offentleg aktør.", "At least one other public actor."), min_partners=1),
        text("felles-utfordring", t("Hvordan deler de utfordringen?", "Korleis deler dei utfordringa?",
             "How do they share the challenge?"), max_chars=1500),
    ]),
    budget(max_years=3),
    attachments(),
]}  # fmt: skip

# --- Kompetanseprosjekt for offentlig sektor --------------------------------------------------------------
KOMPETANSEPROSJEKT = {"sections": [
    about(max_months=48),
    section("kunnskapsbehovet", t("Kunnskapsbehovet", "Kunnskapsbehovet", "The knowledge need"), [
        text("kunnskapsbehov", t("Hvilken kunnskap trenger offentlig sektor?", "Kva kunnskap treng offentleg "
             "sektor?", "What knowledge does the public sector need?")),
        text("forskningsplan", t("Hvordan skal kunnskapen bygges?", "Korleis skal kunnskapen byggjast?",
                                 "How will the knowledge be built?")),
    ]),
    section("brukerpartnere", t("Brukerpartnere", "Brukarpartnarar", "User partners"), [
        q("partnere", "partners", t("Offentlige virksomheter som skal bruke kunnskapen", "Offentlege verksemder som "
          "skal bruke kunnskapen", "Public bodies that will use the knowledge"), t("Minst én offentlig "
          "virksomhet.", "Minst éi offentleg verksemd.", "At least one public body."), min_partners=1),
        text("brukernes-rolle", t("Hvordan deltar brukerpartnerne?", "Korleis deltek brukarpartnarane?",
             "How do the user partners take part?"), max_chars=1500),
    ]),
    section("formidling", t("Formidling", "Formidling", "Dissemination"), [
        text("formidling", t("Hvordan skal kunnskapen nå dem som trenger den?", "Korleis skal kunnskapen nå dei som "
             "treng han?", "How will the knowledge reach those who need it?"), max_chars=2000),
    ]),
    budget(max_years=4),
    attachments(CV_PROJECT_MANAGER),
]}  # fmt: skip

# scheme slug -> {stage kind (None: a call without stages) -> form}
SCHEME_FORMS: dict[str, dict[str | None, dict]] = {
    "stimulab": {K.PREQUALIFICATION: STIMULAB, None: STIMULAB},
    "innovasjonspartnerskap": {K.SKETCH: INNOVASJONSPARTNERSKAP_SKETCH, K.FULL: INNOVASJONSPARTNERSKAP_FULL,
                               None: INNOVASJONSPARTNERSKAP_FULL},
    "forkommersielle-anskaffelser": {K.PRE_PROJECT: PCP_PRE_PROJECT, K.MAIN_PROJECT: PCP_MAIN_PROJECT,
                                     None: PCP_MAIN_PROJECT},
    "offentlig-sektor-phd": {None: PHD},
    "innovasjonsprosjekt-offentlig-sektor": {None: INNOVASJONSPROSJEKT},
    "offentlig-privat-samarbeid": {None: OPS},
    "kompetanseprosjekt-offentlig-sektor": {None: KOMPETANSEPROSJEKT},
    "startoff": {None: {"sections": [about(max_months=12), PCP_CHALLENGE]}},
}  # fmt: skip


def scheme_form(*, scheme_slug: str, stage_kind: str | None) -> dict | None:
    """The seed form of a scheme's call (at a stage), or None for a scheme the seed does not know."""
    forms = SCHEME_FORMS.get(scheme_slug)
    if forms is None:
        return None
    return forms.get(stage_kind) or forms.get(None)


@transaction.atomic
def call_forms_seed(*, by_user=None) -> int:
    """Give every call (every stage of it) of a seed scheme its scheme's form when it has none or the
    seed's form changed; returns how many forms were written."""
    written = 0
    for call in Call.objects.select_related("scheme").prefetch_related("stages"):
        for stage in list(call.stages.all()) or [None]:
            definition = scheme_form(scheme_slug=call.scheme.slug, stage_kind=stage.kind if stage else None)
            if definition is None:
                continue
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
# What a demo applicant answers, by question key; the rest is made up from the question's type. A
# question that gives a rule its fact is answered so that the rule passes.
DEMO_TEXTS = {
    "tittel": "Digital tilsynsassistent for hjemmetjenesten",
    "sammendrag": "Vi vil prøve ut en digital assistent som gir hjemmetjenesten bedre oversikt.",
    "kandidat-navn": "Kari Nordmann",
}
PASSING_FACT_ANSWERS = {"candidate_has_doctorate": "nei"}  # every other yes-no fact passes on «ja»


def demo_section_posts(definition: dict, answers: dict | None = None) -> dict[str, dict[str, str | list[str]]]:
    """POST data that answers every question of ``definition`` a section page asks (partners, budget
    and attachments are answered on their own pages), section key -> field -> value; ``answers``
    (question key -> value) replaces the made-up answer of those questions."""
    answers = answers or {}
    posts: dict[str, dict] = {}
    for section_ in definition["sections"]:
        data = {}
        for question in section_["questions"]:
            key, type_, params = question["key"], question["type"], question.get("params") or {}
            if type_ in ("partners", "budget", "attachment"):
                continue
            if type_ == "short-text":
                data[key] = DEMO_TEXTS.get(key, "Demo")
            elif type_ == "long-text":
                data[key] = DEMO_TEXTS.get(key, "Vi har beskrevet dette grundig i prosjektbeskrivelsen.")
            elif type_ == "number":
                low, high = params.get("min_value") or 1, params.get("max_value") or 24
                data[key] = str(min(max(24, low), high) if question.get("fact") == "duration_months" else low)
            elif type_ == "amount":
                data[key] = str(params.get("min_amount") or 100_000)
            elif type_ == "date":
                data[key] = "01.03.2027"
            elif type_ == "yes-no":
                data[key] = PASSING_FACT_ANSWERS.get(question.get("fact"), "ja")
            elif type_ == "single-choice":
                data[key] = params["choices"][0]["value"]
            elif type_ == "multiple-choice":
                data[key] = [params["choices"][0]["value"]]
            if key in data and key in answers:
                data[key] = answers[key]
        if data:
            posts[section_["key"]] = data
    return posts


def demo_budget(call, *, first_year: int = 2027) -> dict:
    """A budget within the call's limits: the amount applied for between its minimum and maximum,
    as much own funding (half the costs, which meets «at least 50 %» and «support at most 50 %»),
    spent in ``first_year`` and the year after."""
    requested = 1_200_000
    if call.max_amount is not None:
        requested = min(requested, int(call.max_amount))
    if call.min_amount is not None:
        requested = max(requested, int(call.min_amount))
    own = requested
    first = requested + own
    personnel_1, personnel_2 = first * 4 // 10, first * 3 // 10
    purchases = first - personnel_1 - personnel_2
    return {
        "rows": {
            "personal": {str(first_year): str(personnel_1), str(first_year + 1): str(personnel_2)},
            "innkjop": {str(first_year): str(purchases)},
        },
        "own_funding": str(own),
        "other_funding": "0",
        "requested": str(requested),
    }


def demo_fill(
    *,
    application,
    user,
    partners: list | tuple = (),
    sections=None,
    files=True,
    answers=None,
    budget_year=2027,
    now=None,
) -> None:
    """Answer ``application``'s form as a demo applicant would, through the services: sections (all,
    or the given keys; ``answers`` by question key replace the made-up ones), each partners question
    with ``partners`` [(organisation, role)], each budget with ``demo_budget`` (from ``budget_year``)
    and each required attachment slot with a small PDF; at ``now`` (default: now)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.http import QueryDict
    from django.utils import timezone

    from .models import Application
    from .services import (
        application_budget_save,
        application_file_add,
        application_partner_add,
        application_section_save,
    )

    now = now or timezone.now()
    definition = application.form["definition"]  # the copy of the call's form (selectors.definition_snapshot)
    for key, values in demo_section_posts(definition, answers).items():
        if sections is not None and key not in sections:
            continue
        data = QueryDict(mutable=True)
        for name, value in values.items():
            data.setlist(name, value if isinstance(value, list) else [value])
        base = Application.objects.get(pk=application.pk).section_version(key)
        result = application_section_save(application_id=application.pk, section_key=key, data=data,
                                          base_version=base, by_user=user, now=now)  # fmt: skip
        if result.rejected or result.conflict:
            raise ValueError(f"The demo answers to {key} were not accepted: {result.form.errors.as_data()}")
    if sections is not None:
        return
    for section_ in definition["sections"]:
        for question in section_["questions"]:
            key, type_, params = question["key"], question["type"], question.get("params") or {}
            if type_ == "partners":
                for organisation, role in partners[: params.get("max_partners") or len(partners)]:
                    application_partner_add(application_id=application.pk, question_key=key,
                                            org_number=organisation.org_number, role=role, by_user=user,
                                            now=now)  # fmt: skip
            elif type_ == "budget":
                application_budget_save(
                    application_id=application.pk, question_key=key,
                    budget_json=demo_budget(application.call, first_year=budget_year),
                    base_version=0, by_user=user, now=now,
                )  # fmt: skip
            elif type_ == "attachment" and files and question.get("required", True):
                upload = SimpleUploadedFile(f"{key}.pdf", DEMO_PDF)
                application_file_add(application_id=application.pk, question_key=key, uploaded_file=upload,
                                     by_user=user, now=now)  # fmt: skip


def demo_benefits(*, application, user) -> None:
    """Three expected benefits (gevinster) for a demo application, dated from its call's deadline."""
    from datetime import timedelta

    from .services.benefits import BenefitRow, application_benefits_save

    year = application.call.closes_at + timedelta(days=730)
    rows = [
        BenefitRow(kind="tid", indicator="Timer brukt på reiser i hjemmetjenesten per måned", baseline="420",
                   target="300", due_on=year.date()),
        BenefitRow(kind="kvalitet", indicator="Andel brukere som føler seg trygge hjemme", baseline="71 %",
                   target="85 %", due_on=year.date()),
        BenefitRow(kind="miljo", indicator="Kjørte kilometer per år", baseline="180 000", target="140 000",
                   due_on=(year + timedelta(days=365)).date()),
    ]  # fmt: skip
    application_benefits_save(application_id=application.pk, by_user=user, rows=rows)


def applications_seed(*, draft_by, submit_by, organisation, partner, public_partner=None) -> list:
    """Two demo applications of ``organisation`` in the first open call without stages that has a
    budget: a draft half filled in by ``draft_by`` and a submitted one by ``submit_by`` (the
    ansvarlig), with ``partner`` (a research organisation) and ``public_partner`` as partners. Skipped
    when the organisation has applications already (rerunning ``make run`` changes nothing)."""
    from django.utils import timezone

    from schemes.models import CallStatus

    from .models import Application
    from .services import application_create, application_submit

    if Application.objects.filter(organisation=organisation).exists():
        return []
    now = timezone.now()

    def has_budget(call) -> bool:
        form = call_form_for(call=call)
        if form is None:
            return False
        questions = [question for section_ in form.definition["sections"] for question in section_["questions"]]
        return any(question["type"] == "budget" for question in questions)

    calls = [c for c in Call.objects.filter(stages__isnull=True).order_by("closes_at")
             if c.status(now=now) == CallStatus.OPEN and has_budget(c)]  # fmt: skip
    if not calls:
        return []
    partners = [(partner, "research-partner")] + ([(public_partner, "partner")] if public_partner else [])
    draft = application_create(call=calls[0], organisation=organisation, by_user=draft_by)
    demo_fill(application=draft, user=draft_by, sections=["om-prosjektet"])
    demo_benefits(application=draft, user=draft_by)
    submitted = application_create(call=calls[0], organisation=organisation, by_user=submit_by)
    demo_fill(application=Application.objects.get(pk=submitted.pk), user=submit_by, partners=partners)
    demo_benefits(application=submitted, user=submit_by)
    application_submit(application_id=submitted.pk, by_user=submit_by, now=timezone.now())
    return [draft, submitted]
