"""The starting schemes' eligibility rules (PRODUCT.md), as the JSON a scheme stores.

Loaded by ``schemes.seed``, and realistic examples for tests. Amounts and dates change per call and
are not here; «normally» requirements are soft and carry a note saying so.
"""

from typing import Any

from organisations.models import PUBLIC_KINDS, OrganisationKind

from .base import Rule, rules_from_json

PUBLIC = sorted(PUBLIC_KINDS)

ANCHORED = {
    "type": "declaration",
    "params": {
        "key": "forankret-i-toppledelsen",
        "statement_nb": "Prosjektet er forankret i toppledelsen i virksomheten.",
        "statement_nn": "Prosjektet er forankra i toppleiinga i verksemda.",
        "statement_en": "The project is anchored with the organisation's top management.",
    },
}


def _kinds(*kinds: str) -> dict[str, Any]:
    return {"type": "applicant-kind", "params": {"kinds": sorted(str(kind) for kind in kinds)}}


def _officer(nb: str, nn: str, en: str) -> dict[str, Any]:
    """A requirement only a person can judge: an item in the officer's formal check."""
    return {"type": "officer-judgement", "params": {"statement_nb": nb, "statement_nn": nn, "statement_en": en}}


def _note(nb: str, nn: str, en: str) -> dict[str, str]:
    return {"nb": nb, "nn": nn, "en": en}


# Each scheme's rules as the table has them, each once; a «normally» rule is soft (a
# failing one asks the applicant for a justification the officer reads instead of refusing).
PRESETS: dict[str, list[dict[str, Any]]] = {
    "stimulab": [_kinds(OrganisationKind.STATLIG, OrganisationKind.KOMMUNE), ANCHORED],
    "innovasjonspartnerskap": [
        {
            **_kinds(*PUBLIC),
            "note": _note(
                "Ordningen er for offentlig finansierte virksomheter som følger anskaffelsesregelverket. Én "
                "virksomhet søker formelt; de andre er partnere.",
                "Ordninga er for offentleg finansierte verksemder som følgjer regelverket for offentlege innkjøp. "
                "Éi verksemd søkjer formelt; dei andre er partnarar.",
                "The scheme is for publicly funded bodies covered by public procurement law. One body applies "
                "formally; the others are partners.",
            ),
        },
        _officer(
            "Søkeren er omfattet av og følger anskaffelsesregelverket.",
            "Søkjaren er omfatta av og følgjer regelverket for offentlege innkjøp.",
            "The applicant is covered by and follows public procurement law.",
        ),
        ANCHORED,
        {"type": "max-duration-months", "params": {"maximum": 36}},
    ],
    "forkommersielle-anskaffelser": [
        {
            **_kinds(*PUBLIC),
            "note": _note(
                "Offentlige virksomheter kan søke alene eller sammen.",
                "Offentlege verksemder kan søkje åleine eller saman.",
                "Public bodies may apply alone or in groups.",
            ),
        },
        {"type": "previous-stage-completed", "params": {}},
    ],
    "offentlig-sektor-phd": [
        {"type": "applicant-public-funding-share", "params": {"minimum": "80"}},
        {"type": "candidate-permanently-employed", "params": {}},
        {"type": "candidate-without-doctorate", "params": {}},
        {"type": "max-support-share", "params": {"maximum": "50"}},
        {
            "type": "max-applications",
            "params": {"maximum": 2, "period": "year"},
            "severity": "soft",
            "note": _note(
                "Normalt høyst to nye kandidater per arbeidsgiver per kalenderår.",
                "Normalt høgst to nye kandidatar per arbeidsgivar per kalenderår.",
                "Normally at most two new candidates per employer per calendar year.",
            ),
        },
        _officer(
            "Doktorgraden er relevant for arbeidsgiverens ansvarsområde.",
            "Doktorgraden er relevant for ansvarsområdet til arbeidsgivaren.",
            "The doctorate is relevant to the employer's area of responsibility.",
        ),
    ],
    "innovasjonsprosjekt-offentlig-sektor": [
        _kinds(*PUBLIC),
        {"type": "research-partner", "params": {}},
        _officer(
            "Forskningspartneren er en forskningsorganisasjon godkjent av Forskningsrådet.",
            "Forskingspartnaren er ein forskingsorganisasjon godkjend av Forskingsrådet.",
            "The research partner is a research organisation approved by the Research Council.",
        ),
        {
            "type": "own-funding-share",
            "params": {"minimum": "50"},
            "severity": "soft",
            "note": _note(
                "Egenfinansieringen er normalt minst 50 prosent.",
                "Eigenfinansieringa er normalt minst 50 prosent.",
                "Own funding is normally at least 50 per cent.",
            ),
        },
    ],
    "offentlig-privat-samarbeid": [
        _kinds(OrganisationKind.KOMMUNE, OrganisationKind.STATLIG),
        ANCHORED,
        {
            "type": "min-public-partners",
            "params": {"minimum": 1},
            "note": _note(
                "Utfordringen deles av flere offentlige aktører.",
                "Utfordringa er delt av fleire offentlege aktørar.",
                "The challenge is shared by several public actors.",
            ),
        },
    ],
    "kompetanseprosjekt-offentlig-sektor": [
        _kinds(OrganisationKind.RESEARCH),
        {"type": "min-public-partners", "params": {"minimum": 1}},
    ],
    "startoff": [_kinds(*PUBLIC)],
}


def preset_rules(*, scheme: str) -> tuple[Rule, ...]:
    return rules_from_json(data=PRESETS[scheme])
