"""The eight starting schemes (PRODUCT.md) as data: texts in bokmål, nynorsk and English, owners,
instrument, themes, goals, and their calls with dates given relative to the day the data is loaded.

Amounts, dates and weights are realistic examples for the demo, not the agencies' figures for a
particular year; the agencies publish those per call.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from .models import CallStage, Instrument

NFR, IN, DIGDIR, DOGA, DFO = "970141669", "986399445", "991825827", "971268603", "986252932"

# (org number, name, kind) – created if missing; the demo data may already have them.
AGENCIES = [
    (NFR, "Norges forskningsråd", "statlig"),
    (IN, "Innovasjon Norge", "statlig"),
    (DIGDIR, "Digitaliseringsdirektoratet", "statlig"),
    (DOGA, "Stiftelsen Design og arkitektur Norge (DOGA)", "annen-offentlig"),
    (DFO, "Direktoratet for forvaltning og økonomistyring (DFØ)", "statlig"),
]

Text = tuple[str, str, str]  # bokmål, nynorsk, English


@dataclass(frozen=True)
class Moment:
    """Days from the day of loading, at a time of day in Norwegian time (or a fixed date, for history)."""

    days: int = 0
    hour: int = 13
    minute: int = 0
    fixed: datetime | None = None


@dataclass(frozen=True)
class Criterion:
    name: Text
    description: Text
    weight: Decimal
    scale: tuple[int, int] = (1, 7)
    labels: dict[str, str] = field(default_factory=dict)
    labels_nn: dict[str, str] = field(default_factory=dict)  # a step left out shows in bokmål
    labels_en: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CallSeed:
    slug: str
    opens: Moment
    closes: Moment
    criteria: tuple[Criterion, ...]
    budget: int | None = None
    min_amount: int | None = None
    max_amount: int | None = None
    own_funding_min_percent: int | None = None
    max_duration_months: int | None = None
    allows_early_drafts: bool = False
    stages: tuple[tuple[str, Moment | None], ...] = ()
    description: Text = ("", "", "")


@dataclass(frozen=True)
class SchemeSeed:
    slug: str
    name: Text
    short: Text
    description: Text
    agencies: tuple[str, ...]
    instrument: str
    themes: tuple[str, ...]
    sdgs: tuple[int, ...]
    calls: tuple[CallSeed, ...]
    is_active: bool = True


# --- Assessment criteria ------------------------------------------------------------------------
NFR_LABELS = {
    "7": "Fremragende", "6": "Svært god", "5": "God", "4": "Nokså god", "3": "Middels", "2": "Svak", "1": "Dårlig",
}  # fmt: skip
NFR_LABELS_NN = {
    "7": "Framifrå", "6": "Svært god", "5": "God", "4": "Nokså god", "3": "Middels", "2": "Svak", "1": "Dårleg",
}  # fmt: skip
NFR_LABELS_EN = {  # the Research Council's own English scale
    "7": "Exceptional", "6": "Excellent", "5": "Very good", "4": "Good", "3": "Fair", "2": "Weak", "1": "Poor",
}  # fmt: skip

# Forskningsrådet scores the three criteria separately on 1–7; the weights only make them comparable.
NFR_CRITERIA = (
    Criterion(
        ("Forskning og innovasjon", "Forsking og innovasjon", "Research and innovation"),
        ("Hvor nytt og ambisiøst prosjektet er, og kvaliteten på metodene.",
         "Kor nytt og ambisiøst prosjektet er, og kvaliteten på metodane.",
         "How novel and ambitious the project is, and the quality of its methods."),
        Decimal(34), labels=NFR_LABELS, labels_nn=NFR_LABELS_NN, labels_en=NFR_LABELS_EN,
    ),
    Criterion(
        ("Virkninger og effekter", "Verknader og effektar", "Impact"),
        ("Nytten for brukerne og samfunnet, og hvordan resultatene blir tatt i bruk.",
         "Nytta for brukarane og samfunnet, og korleis resultata blir tekne i bruk.",
         "The benefit to users and society, and how the results will be put to use."),
        Decimal(33), labels=NFR_LABELS, labels_nn=NFR_LABELS_NN, labels_en=NFR_LABELS_EN,
    ),
    Criterion(
        ("Gjennomføring", "Gjennomføring", "Implementation"),
        ("Prosjektgruppen, organiseringen, planen og budsjettet.",
         "Prosjektgruppa, organiseringa, planen og budsjettet.",
         "The project team, its organisation, the plan and the budget."),
        Decimal(33), labels=NFR_LABELS, labels_nn=NFR_LABELS_NN, labels_en=NFR_LABELS_EN,
    ),
)  # fmt: skip

# Innovasjon Norge scores the sketch for an innovation partnership on four equally weighted criteria.
IN_CRITERIA = tuple(
    Criterion(name, description, Decimal(25), scale=(1, 6))
    for name, description in [
        (("Effekt", "Effekt", "Impact"),
         ("Gevinstene for brukerne og virksomheten, og potensialet for å spre løsningen.",
          "Gevinstane for brukarane og verksemda, og potensialet for å spreie løysinga.",
          "The gains for users and the organisation, and the potential to spread the solution.")),
        (("Relevans", "Relevans", "Relevance"),
         ("Behovet er reelt, felles for flere og uten løsning i markedet i dag.",
          "Behovet er reelt, felles for fleire og utan løysing i marknaden i dag.",
          "The need is real, shared by several bodies and not met by the market today.")),
        (("Gjennomføringsevne", "Gjennomføringsevne", "Capacity to deliver"),
         ("Forankring i toppledelsen, ressurser og plan for anskaffelsen.",
          "Forankring i toppleiinga, ressursar og plan for innkjøpet.",
          "Anchoring with top management, resources and a plan for the procurement.")),
        (("Kunnskap", "Kunnskap", "Knowledge"),
         ("Kunnskap om behovet, brukerne og markedet.",
          "Kunnskap om behovet, brukarane og marknaden.",
          "Knowledge of the need, the users and the market.")),
    ]
)  # fmt: skip

# Offentlig-privat samarbeid is assessed on its own four, equally weighted.
OPS_CRITERIA = tuple(
    Criterion(name, description, Decimal(25), scale=(1, 6))
    for name, description in [
        (("Større samfunnsutfordring", "Større samfunnsutfordring", "Major societal challenge"),
         ("Utfordringen er stor, har mange aktører og et tydelig gevinstpotensial.",
          "Utfordringa er stor, har mange aktørar og eit tydeleg gevinstpotensial.",
          "The challenge is large, has many stakeholders and a clear potential for gains.")),
        (("Gjennomføringsevne", "Gjennomføringsevne", "Capacity to deliver"),
         ("Forankring i toppledelsen og i en langsiktig strategi, ressurser og plan.",
          "Forankring i toppleiinga og i ein langsiktig strategi, ressursar og plan.",
          "Anchoring with top management and in a long-term strategy, resources and a plan.")),
        (("Verdiskapingspotensial for næringslivet", "Verdiskapingspotensial for næringslivet",
          "Value creation potential for industry"),
         ("Markedet for løsningen og mulighetene for næringslivet.",
          "Marknaden for løysinga og moglegheitene for næringslivet.",
          "The market for the solution and the opportunities for industry.")),
        (("Samarbeid", "Samarbeid", "Collaboration"),
         ("Flere offentlige aktører deler utfordringen og samarbeider om den.",
          "Fleire offentlege aktørar deler utfordringa og samarbeider om henne.",
          "Several public actors share the challenge and work on it together.")),
    ]
)  # fmt: skip

# A pre-commercial procurement call states its own criteria (the demo's, after Forskningsrådet's
# PCP calls), scored 1–7 like Forskningsrådet's other calls.
PCP_CRITERIA = tuple(
    Criterion(name, description, Decimal(25), labels=NFR_LABELS, labels_nn=NFR_LABELS_NN, labels_en=NFR_LABELS_EN)
    for name, description in [
        (("Behov og innovasjonshøyde", "Behov og innovasjonshøgd", "Need and degree of innovation"),
         ("Behovet er reelt og viktig, og markedet har ingen løsning på det i dag.",
          "Behovet er reelt og viktig, og marknaden har inga løysing på det i dag.",
          "The need is real and important, and the market has no solution for it today.")),
        (("Markedsdialog og konkurranse", "Marknadsdialog og konkurranse", "Market dialogue and competition"),
         ("Markedsdialogen og en konkurranse i faser der flere leverandører utvikler parallelt.",
          "Marknadsdialogen og ein konkurranse i fasar der fleire leverandørar utviklar parallelt.",
          "The market dialogue and a phased competition where several suppliers develop in parallel.")),
        (("Virkninger og effekter", "Verknader og effektar", "Impact"),
         ("Gevinstene for virksomhetene og brukerne, og muligheten for at flere tar løsningen i bruk.",
          "Gevinstane for verksemdene og brukarane, og moglegheita for at fleire tek løysinga i bruk.",
          "The gains for the bodies and users, and the chance that others adopt the solution.")),
        (("Gjennomføring", "Gjennomføring", "Implementation"),
         ("Organiseringen, kompetansen i anskaffelser, planen og budsjettet.",
          "Organiseringa, kompetansen i innkjøp, planen og budsjettet.",
          "The organisation, procurement competence, the plan and the budget.")),
    ]
)  # fmt: skip

# StimuLab selects by prequalification; the weights are the demo's own.
STIMULAB_CRITERIA = tuple(
    Criterion(name, ("", "", ""), Decimal(weight), scale=(1, 5))
    for name, weight in [
        (("Brukernes behov", "Brukarane sine behov", "User needs"), 20),
        (("Forankring i ledelsen", "Forankring i leiinga", "Management anchoring"), 15),
        (("Egeninnsats", "Eigeninnsats", "Own contribution"), 10),
        (("Innovasjonspotensial", "Innovasjonspotensial", "Innovation potential"), 15),
        (("Samfunnsnytte", "Samfunnsnytte", "Societal benefit"), 15),
        (("Læringsverdi", "Læringsverdi", "Learning value"), 15),
        (("Åpenhet for løsninger", "Openheit for løysingar", "Openness to solutions"), 10),
    ]
)  # fmt: skip

# StartOff (the demo's own criteria for its archived round): need, green profile, delivery.
STARTOFF_CRITERIA = tuple(
    Criterion(name, ("", "", ""), Decimal(weight), scale=(1, 5))
    for name, weight in [
        (("Behovet og nytten", "Behovet og nytta", "Need and benefit"), 40),
        (("Grønn profil", "Grøn profil", "Green profile"), 30),
        (("Gjennomføring", "Gjennomføring", "Implementation"), 30),
    ]
)  # fmt: skip

S = CallStage.Kind
STARTOFF_OPENS = datetime.fromisoformat("2023-03-01T09:00:00+01:00")
STARTOFF_CLOSES = datetime.fromisoformat("2023-04-14T12:00:00+02:00")

# --- The schemes --------------------------------------------------------------------------------
SCHEMES = (
    SchemeSeed(
        slug="stimulab",
        name=("StimuLab", "StimuLab", "StimuLab"),
        short=(
            "Støtte til tjenestedesign og brukerrettet eksperimentering i statlige virksomheter og kommuner.",
            "Støtte til tenestedesign og brukarretta eksperimentering i statlege verksemder og kommunar.",
            "Support for service design and user-centred experimentation in state bodies and municipalities.",
        ),
        description=(
            "StimuLab hjelper offentlige virksomheter å utvikle tjenester sammen med brukerne. Pengene kjøper "
            "kompetanse i markedet, og Digdir og DOGA gir veiledning underveis. Søkerne ber ikke om et beløp: "
            "prosjektene velges ut ved prekvalifisering, blant annet etter brukernes behov, forankring i "
            "ledelsen, egeninnsats, innovasjonspotensial, samfunnsnytte, læringsverdi og åpenhet for løsninger.",
            "StimuLab hjelper offentlege verksemder å utvikle tenester saman med brukarane. Pengane kjøper "
            "kompetanse i marknaden, og Digdir og DOGA gir rettleiing undervegs. Søkjarane ber ikkje om eit beløp: "
            "prosjekta blir valde ut ved prekvalifisering, mellom anna etter behova til brukarane, forankring i "
            "leiinga, eigeninnsats, innovasjonspotensial, samfunnsnytte, læringsverdi og openheit for løysingar.",
            "StimuLab helps public bodies develop services together with their users. The money buys expertise "
            "in the market, and Digdir and DOGA give guidance along the way. Applicants do not ask for an amount: "
            "projects are selected by prequalification on criteria such as user needs, management anchoring, own "
            "contribution, innovation potential, societal benefit, learning value and openness to solutions.",
        ),
        agencies=(DIGDIR, DOGA),
        instrument=Instrument.PREQUALIFIED_SUPPORT,
        themes=("tjenesteutvikling", "digitalisering"),
        sdgs=(9, 16, 17),
        calls=(
            CallSeed(
                slug="stimulab-hovedrunde",
                opens=Moment(-21, 9),
                closes=Moment(28, 12),
                budget=10_000_000,
                stages=((S.PREQUALIFICATION, None),),
                criteria=STIMULAB_CRITERIA,
            ),
            CallSeed(
                slug="stimulab-forrige-runde",
                opens=Moment(-380, 9),
                closes=Moment(-330, 12),
                budget=8_000_000,
                stages=((S.PREQUALIFICATION, None),),
                criteria=STIMULAB_CRITERIA,
            ),
        ),
    ),
    SchemeSeed(
        slug="innovasjonspartnerskap",
        name=("Innovasjonspartnerskap", "Innovasjonspartnarskap", "Innovation partnership"),
        short=(
            "For offentlige behov uten løsning i markedet: utvikle og kjøpe en ny løsning sammen med leverandører.",
            "For offentlege behov utan løysing i marknaden: utvikle og kjøpe ei ny løysing saman med leverandørar.",
            "For public needs the market cannot meet: develop and buy a new solution together with suppliers.",
        ),
        description=(
            "Innovasjon Norge støtter offentlige virksomheter som vil utvikle en løsning som ikke finnes, i et "
            "innovasjonspartnerskap med leverandører. Midlene kommer fra flere departementer. Én virksomhet "
            "søker formelt, og partnerne føres opp i søknaden; små distriktskommuner kan gå sammen. Behovet må "
            "være forankret i toppledelsen. Skissen vurderes på effekt, relevans, gjennomføringsevne og "
            "kunnskap, som teller likt. Prosjektene varer i høyst tre år, og felles behov prioriteres.",
            "Innovasjon Noreg støttar offentlege verksemder som vil utvikle ei løysing som ikkje finst, i eit "
            "innovasjonspartnarskap med leverandørar. Midlane kjem frå fleire departement. Éi verksemd søkjer "
            "formelt, og partnarane blir førte opp i søknaden; små distriktskommunar kan gå saman. Behovet må "
            "vere forankra i toppleiinga. Skissa blir vurdert på effekt, relevans, gjennomføringsevne og "
            "kunnskap, som tel likt. Prosjekta varer i høgst tre år, og felles behov blir prioriterte.",
            "Innovation Norway supports public bodies that want to develop a solution that does not exist yet, "
            "in an innovation partnership with suppliers. The funds come from several ministries. One body "
            "applies formally and lists its partners; small rural municipalities may join forces. The need must "
            "be anchored with top management. The sketch is scored on impact, relevance, capacity to deliver and "
            "knowledge, weighted equally. Projects last at most three years, and shared needs are prioritised.",
        ),
        agencies=(IN,),
        instrument=Instrument.INNOVATION_PARTNERSHIP,
        themes=("innovative-anskaffelser", "helse-og-omsorg"),
        sdgs=(9, 11),
        calls=(
            CallSeed(
                slug="innovasjonspartnerskap-runde",
                opens=Moment(-30, 9),
                closes=Moment(45, 12),
                budget=75_000_000,
                max_amount=15_000_000,
                max_duration_months=36,
                stages=((S.SKETCH, Moment(45, 12)), (S.FULL, Moment(120, 12))),
                criteria=IN_CRITERIA,
            ),
        ),
    ),
    SchemeSeed(
        slug="forkommersielle-anskaffelser",
        name=(
            "Førkommersielle anskaffelser (PCP)",
            "Førkommersielle innkjøp (PCP)",
            "Pre-commercial procurement (PCP)",
        ),
        short=(
            "En konkurranse i faser der flere leverandører utvikler løsninger på et offentlig behov parallelt.",
            "Ein konkurranse i fasar der fleire leverandørar utviklar løysingar på eit offentleg behov parallelt.",
            "A competition in phases where several suppliers develop solutions to a public need in parallel.",
        ),
        description=(
            "For offentlige virksomheter, alene eller sammen, med behov det ikke finnes løsninger på i markedet. "
            "Leverandører og forskningsorganisasjoner konkurrerer i faser – konsept, utvikling og test – og "
            "utvikler parallelt. Forskningsrådet forvalter ordningen sammen med Innovasjon Norge, med et "
            "forprosjekt først og et hovedprosjekt etterpå.",
            "For offentlege verksemder, åleine eller saman, med behov det ikkje finst løysingar på i marknaden. "
            "Leverandørar og forskingsorganisasjonar konkurrerer i fasar – konsept, utvikling og test – og "
            "utviklar parallelt. Forskingsrådet forvaltar ordninga saman med Innovasjon Noreg, med eit "
            "forprosjekt først og eit hovudprosjekt etterpå.",
            "For public bodies, alone or in groups, with needs the market has no solutions for. Suppliers and "
            "research organisations compete in phases – concept, development and test – developing in parallel. "
            "The Research Council runs the scheme with Innovation Norway, with a pre-project first and a main "
            "project after it.",
        ),
        agencies=(NFR, IN),
        instrument=Instrument.PCP,
        themes=("innovative-anskaffelser", "klima-og-miljo"),
        sdgs=(9, 12),
        calls=(
            CallSeed(
                slug="forkommersielle-anskaffelser-runde",
                opens=Moment(-14, 9),
                closes=Moment(90, 13),
                budget=30_000_000,
                min_amount=500_000,
                max_amount=10_000_000,
                stages=((S.PRE_PROJECT, Moment(90, 13)), (S.MAIN_PROJECT, Moment(270, 13))),
                criteria=PCP_CRITERIA,
            ),
        ),
    ),
    SchemeSeed(
        slug="offentlig-sektor-phd",
        name=("Offentlig sektor-ph.d.", "Offentleg sektor-ph.d.", "Public Sector PhD"),
        short=(
            "En fast ansatt tar doktorgrad om noe som er viktig for arbeidsgiveren.",
            "Ein fast tilsett tek doktorgrad om noko som er viktig for arbeidsgivaren.",
            "A permanent employee takes a doctorate on something that matters to the employer.",
        ),
        description=(
            "Offentlige arbeidsgivere som er minst 80 prosent offentlig finansiert, kan søke om støtte til en "
            "fast ansatt uten doktorgrad. Doktorgraden må være relevant for arbeidsgiverens ansvarsområde, og "
            "arbeidsgiver, gradsgivende institusjon og kandidat samarbeider. Forskningsrådet dekker høyst 50 "
            "prosent av kostnadene, og normalt høyst to nye kandidater per arbeidsgiver per år.",
            "Offentlege arbeidsgivarar som er minst 80 prosent offentleg finansierte, kan søkje om støtte til ein "
            "fast tilsett utan doktorgrad. Doktorgraden må vere relevant for ansvarsområdet til arbeidsgivaren, og "
            "arbeidsgivar, gradsgivande institusjon og kandidat samarbeider. Forskingsrådet dekkjer høgst 50 "
            "prosent av kostnadene, og normalt høgst to nye kandidatar per arbeidsgivar per år.",
            "Public employers that are at least 80 per cent publicly funded can apply for support for a "
            "permanent employee without a doctorate. The doctorate must be relevant to the employer's area of "
            "responsibility, and employer, degree-granting institution and candidate work together. The "
            "Research Council covers at most 50 per cent of the costs, normally for at most two new candidates "
            "per employer per year.",
        ),
        agencies=(NFR,),
        instrument=Instrument.PHD,
        themes=("oppvekst-og-utdanning", "tjenesteutvikling"),
        sdgs=(4, 9),
        calls=(
            CallSeed(
                slug="offentlig-sektor-phd-runde",
                opens=Moment(-45, 9),
                closes=Moment(35, 13),
                budget=40_000_000,
                min_amount=500_000,
                max_amount=2_500_000,
                max_duration_months=48,
                criteria=NFR_CRITERIA,
            ),
        ),
    ),
    SchemeSeed(
        slug="innovasjonsprosjekt-offentlig-sektor",
        name=(
            "Innovasjonsprosjekt i offentlig sektor",
            "Innovasjonsprosjekt i offentleg sektor",
            "Innovation project for the public sector",
        ),
        short=(
            "Offentlige virksomheter leder et innovasjonsprosjekt med en forskningsorganisasjon som partner.",
            "Offentlege verksemder leier eit innovasjonsprosjekt med ein forskingsorganisasjon som partnar.",
            "Public bodies lead an innovation project with a research organisation as partner.",
        ),
        description=(
            "For offentlige virksomheter, alene eller sammen, som eier et problem og vil løse det med ny "
            "kunnskap. Minst én godkjent forskningsorganisasjon er partner, og den offentlige virksomheten leder "
            "prosjektet. Egenfinansieringen er normalt minst 50 prosent. Forskningsrådet lyser ut ordningen hvert "
            "år, med frist i september.",
            "For offentlege verksemder, åleine eller saman, som eig eit problem og vil løyse det med ny "
            "kunnskap. Minst éin godkjend forskingsorganisasjon er partnar, og den offentlege verksemda leier "
            "prosjektet. Eigenfinansieringa er normalt minst 50 prosent. Forskingsrådet lyser ut ordninga kvart "
            "år, med frist i september.",
            "For public bodies, alone or in groups, that own a problem and want to solve it with new knowledge. "
            "At least one approved research organisation is a partner, and the public body leads the project. "
            "Own funding is normally at least 50 per cent. The Research Council announces the scheme every year, "
            "with a deadline in September.",
        ),
        agencies=(NFR,),
        instrument=Instrument.GRANT,
        themes=("tjenesteutvikling", "helse-og-omsorg", "digitalisering"),
        sdgs=(3, 9, 11),
        calls=(
            CallSeed(  # two rounds back: the demo's funded projects (projects/demo.py) came from it
                slug="innovasjonsprosjekt-offentlig-sektor-tidligere",
                opens=Moment(-900, 9),
                closes=Moment(-820, 13),
                budget=150_000_000,
                min_amount=2_000_000,
                max_amount=16_000_000,
                max_duration_months=48,
                criteria=NFR_CRITERIA,
            ),
            CallSeed(
                slug="innovasjonsprosjekt-offentlig-sektor-forrige",
                opens=Moment(-160, 9),
                closes=Moment(-70, 13),
                budget=150_000_000,
                min_amount=2_000_000,
                max_amount=16_000_000,
                max_duration_months=48,
                criteria=NFR_CRITERIA,
            ),
            CallSeed(
                slug="innovasjonsprosjekt-offentlig-sektor-runde",
                opens=Moment(-20, 9),
                closes=Moment(55, 13),
                budget=150_000_000,
                min_amount=2_000_000,
                max_amount=16_000_000,
                max_duration_months=48,
                criteria=NFR_CRITERIA,
            ),
            CallSeed(
                slug="innovasjonsprosjekt-offentlig-sektor-neste",
                opens=Moment(60, 9),
                closes=Moment(290, 13),
                budget=150_000_000,
                min_amount=2_000_000,
                max_amount=16_000_000,
                max_duration_months=48,
                allows_early_drafts=True,
                criteria=NFR_CRITERIA,
            ),
        ),
    ),
    SchemeSeed(
        slug="offentlig-privat-samarbeid",
        name=("Offentlig-privat samarbeid", "Offentleg-privat samarbeid", "Public-private collaboration"),
        short=(
            "Kommuner og etater løser en stor samfunnsutfordring sammen med næringslivet.",
            "Kommunar og etatar løyser ei stor samfunnsutfordring saman med næringslivet.",
            "Municipalities and agencies tackle a large societal challenge together with industry.",
        ),
        description=(
            "For kommuner og etater som står overfor en stor samfunnsutfordring med mange aktører og et tydelig "
            "gevinstpotensial. Utfordringen deles av flere offentlige aktører, er forankret i toppledelsen og i "
            "en langsiktig strategi, og gir næringslivet mulighet til verdiskaping. Innovasjon Norge og "
            "Forskningsrådet forvalter ordningen sammen.",
            "For kommunar og etatar som står overfor ei stor samfunnsutfordring med mange aktørar og eit tydeleg "
            "gevinstpotensial. Utfordringa er delt av fleire offentlege aktørar, er forankra i toppleiinga og i "
            "ein langsiktig strategi, og gir næringslivet høve til verdiskaping. Innovasjon Noreg og "
            "Forskingsrådet forvaltar ordninga saman.",
            "For municipalities and agencies facing a large societal challenge with many stakeholders and a "
            "clear potential for gains. The challenge is shared by several public actors, anchored with top "
            "management and in a long-term strategy, and offers industry a chance to create value. Innovation "
            "Norway and the Research Council run the scheme together.",
        ),
        agencies=(IN, NFR),
        instrument=Instrument.GRANT,
        themes=("klima-og-miljo", "mobilitet-og-samferdsel"),
        sdgs=(9, 11, 13, 17),
        calls=(
            CallSeed(
                slug="offentlig-privat-samarbeid-runde",
                opens=Moment(-10, 9),
                closes=Moment(60, 13),
                budget=50_000_000,
                min_amount=1_000_000,
                max_amount=10_000_000,
                max_duration_months=36,
                criteria=OPS_CRITERIA,
            ),
        ),
    ),
    SchemeSeed(
        slug="kompetanseprosjekt-offentlig-sektor",
        name=(
            "Kompetanseprosjekt for offentlig sektor",
            "Kompetanseprosjekt for offentleg sektor",
            "Knowledge-building project for the public sector",
        ),
        short=(
            "Forskningsorganisasjoner bygger kunnskap som offentlige virksomheter trenger, med dem som partnere.",
            "Forskingsorganisasjonar byggjer kunnskap som offentlege verksemder treng, med dei som partnarar.",
            "Research organisations build knowledge that public bodies need, with them as partners.",
        ),
        description=(
            "Forskningsorganisasjoner søker, og offentlige virksomheter som skal bruke kunnskapen, er partnere. "
            "Prosjektet bygger kunnskap som offentlig sektor trenger for å møte viktige utfordringer. "
            "Forskningsrådet forvalter ordningen.",
            "Forskingsorganisasjonar søkjer, og offentlege verksemder som skal bruke kunnskapen, er partnarar. "
            "Prosjektet byggjer kunnskap som offentleg sektor treng for å møte viktige utfordringar. "
            "Forskingsrådet forvaltar ordninga.",
            "Research organisations apply, and the public bodies that will use the knowledge are partners. The "
            "project builds knowledge the public sector needs to meet important challenges. The Research Council "
            "runs the scheme.",
        ),
        agencies=(NFR,),
        instrument=Instrument.GRANT,
        themes=("digitalisering", "oppvekst-og-utdanning"),
        sdgs=(4, 9, 16),
        calls=(
            CallSeed(
                slug="kompetanseprosjekt-offentlig-sektor-runde",
                opens=Moment(-7, 9),
                closes=Moment(65, 13),
                budget=100_000_000,
                min_amount=4_000_000,
                max_amount=12_000_000,
                max_duration_months=48,
                criteria=NFR_CRITERIA,
            ),
            CallSeed(
                slug="kompetanseprosjekt-offentlig-sektor-neste",
                opens=Moment(200, 9),
                closes=Moment(300, 13),
                budget=100_000_000,
                min_amount=4_000_000,
                max_amount=12_000_000,
                max_duration_months=48,
                criteria=NFR_CRITERIA,
            ),
        ),
    ),
    SchemeSeed(
        slug="startoff",
        name=("StartOff", "StartOff", "StartOff"),
        short=(
            "Avsluttet i 2024. Smidige anskaffelser fra oppstartsbedrifter, med grønne oppstartsbedrifter i fokus.",
            "Avslutta i 2024. Smidige innkjøp frå oppstartsbedrifter, med grøne oppstartsbedrifter i fokus.",
            "Discontinued in 2024. Agile procurement from startups, with a focus on green startups.",
        ),
        description=(
            "StartOff hjalp offentlige innkjøpere å kjøpe smidig fra oppstartsbedrifter, med grønne "
            "oppstartsbedrifter i fokus. Ordningen ble drevet av DFØ, Digdir og Leverandørutviklingsprogrammet og "
            "ble avsluttet i 2024. Den vises her med historikken sin og tar ikke imot søknader.",
            "StartOff hjelpte offentlege innkjøparar å kjøpe smidig frå oppstartsbedrifter, med grøne "
            "oppstartsbedrifter i fokus. Ordninga vart driven av DFØ, Digdir og Leverandørutviklingsprogrammet og "
            "vart avslutta i 2024. Ho blir vist her med historikken sin og tek ikkje imot søknader.",
            "StartOff helped public buyers procure in an agile way from startups, with a focus on green startups. "
            "It was run by DFØ, Digdir and the supplier development programme and was discontinued in 2024. It is "
            "shown here with its history and does not take applications.",
        ),
        agencies=(DFO, DIGDIR),
        instrument=Instrument.OTHER,
        themes=("innovative-anskaffelser", "klima-og-miljo"),
        sdgs=(9, 12, 13),
        is_active=False,
        calls=(
            CallSeed(
                slug="startoff-2023",
                opens=Moment(fixed=STARTOFF_OPENS),
                closes=Moment(fixed=STARTOFF_CLOSES),
                criteria=STARTOFF_CRITERIA,
            ),
        ),
    ),
)
