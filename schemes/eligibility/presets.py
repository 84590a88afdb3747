"""The starting schemes' eligibility rules (PRODUCT.md), as the JSON a scheme stores.

Seed data for a later step to load, and realistic examples for tests. Amounts and dates change per
call and are not here; «normally» requirements carry a note saying so.
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


PRESETS: dict[str, list[dict[str, Any]]] = {
    "stimulab": [_kinds(OrganisationKind.STATLIG, OrganisationKind.KOMMUNE)],
    "innovasjonspartnerskap": [
        {
            **_kinds(*PUBLIC),
            "note": {
                "nb": "Ordningen er for offentlig finansierte virksomheter som følger anskaffelsesregelverket.",
                "en": "The scheme is for publicly funded bodies covered by public procurement law.",
            },
        },
        ANCHORED,
        {"type": "max-duration-months", "params": {"maximum": 36}},
    ],
    "forkommersielle-anskaffelser": [_kinds(*PUBLIC)],
    "offentlig-sektor-phd": [
        {"type": "applicant-public-funding-share", "params": {"minimum": "80"}},
        {"type": "candidate-permanently-employed", "params": {}},
        {"type": "candidate-without-doctorate", "params": {}},
        {
            "type": "max-applications",
            "params": {"maximum": 2, "period": "year"},
            "note": {
                "nb": "Normalt høyst to nye kandidater per arbeidsgiver per år.",
                "en": "Normally at most two new candidates per employer per year.",
            },
        },
    ],
    "innovasjonsprosjekt-offentlig-sektor": [
        _kinds(*PUBLIC),
        {
            "type": "research-partner",
            "params": {},
            "note": {"nb": "Forskningsorganisasjonen må være godkjent av Forskningsrådet."},
        },
        {
            "type": "own-funding-share",
            "params": {"minimum": "50"},
            "note": {"nb": "Egenfinansieringen er normalt minst 50 prosent.", "en": "Normally at least 50 per cent."},
        },
    ],
    "offentlig-privat-samarbeid": [_kinds(OrganisationKind.KOMMUNE, OrganisationKind.STATLIG), ANCHORED],
    "kompetanseprosjekt-offentlig-sektor": [
        _kinds(OrganisationKind.RESEARCH),
        {"type": "min-public-partners", "params": {"minimum": 1}},
    ],
    "startoff": [_kinds(*PUBLIC)],
}


def preset_rules(*, scheme: str) -> tuple[Rule, ...]:
    return rules_from_json(data=PRESETS[scheme])
