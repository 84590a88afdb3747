"""Reference data: the UN's 17 sustainable development goals and the portal's starting themes.

Goal names as used by FN-sambandet (fn.no) in bokmål and nynorsk, and by the UN in English.
Loaded by migration 0003 and safe to reload (it updates, never duplicates).
"""

SDGS = [
    (1, "Utrydde fattigdom", "Utrydde fattigdom", "No poverty"),
    (2, "Utrydde sult", "Utrydde svolt", "Zero hunger"),
    (3, "God helse og livskvalitet", "God helse og livskvalitet", "Good health and well-being"),
    (4, "God utdanning", "God utdanning", "Quality education"),
    (5, "Likestilling mellom kjønnene", "Likestilling mellom kjønna", "Gender equality"),
    (6, "Rent vann og gode sanitærforhold", "Reint vatn og gode sanitærforhold", "Clean water and sanitation"),
    (7, "Ren energi for alle", "Rein energi til alle", "Affordable and clean energy"),
    (8, "Anstendig arbeid og økonomisk vekst", "Anstendig arbeid og økonomisk vekst",
     "Decent work and economic growth"),
    (9, "Industri, innovasjon og infrastruktur", "Industri, innovasjon og infrastruktur",
     "Industry, innovation and infrastructure"),
    (10, "Mindre ulikhet", "Mindre ulikskap", "Reduced inequalities"),
    (11, "Bærekraftige byer og lokalsamfunn", "Berekraftige byar og lokalsamfunn",
     "Sustainable cities and communities"),
    (12, "Ansvarlig forbruk og produksjon", "Ansvarleg forbruk og produksjon",
     "Responsible consumption and production"),
    (13, "Stoppe klimaendringene", "Stoppe klimaendringane", "Climate action"),
    (14, "Livet i havet", "Livet i havet", "Life below water"),
    (15, "Livet på land", "Livet på land", "Life on land"),
    (16, "Fred, rettferdighet og velfungerende institusjoner", "Fred, rettferd og velfungerande institusjonar",
     "Peace, justice and strong institutions"),
    (17, "Samarbeid for å nå målene", "Samarbeid for å nå måla", "Partnerships for the goals"),
]  # fmt: skip

THEMES = [
    ("helse-og-omsorg", "Helse og omsorg", "Helse og omsorg", "Health and care"),
    ("klima-og-miljo", "Klima og miljø", "Klima og miljø", "Climate and environment"),
    ("mobilitet-og-samferdsel", "Mobilitet og samferdsel", "Mobilitet og samferdsel", "Mobility and transport"),
    ("digitalisering", "Digitalisering", "Digitalisering", "Digitalisation"),
    ("oppvekst-og-utdanning", "Oppvekst og utdanning", "Oppvekst og utdanning", "Childhood and education"),
    ("tjenesteutvikling", "Tjenesteutvikling", "Tenesteutvikling", "Service development"),
    ("innovative-anskaffelser", "Innovative anskaffelser", "Innovative innkjøp", "Innovative procurement"),
]


def reference_data_load(*, goal_model, theme_model) -> None:
    for number, nb, nn, en in SDGS:
        goal_model.objects.update_or_create(number=number, defaults={"name": nb, "name_nn": nn, "name_en": en})
    for slug, nb, nn, en in THEMES:
        theme_model.objects.update_or_create(slug=slug, defaults={"name": nb, "name_nn": nn, "name_en": en})
