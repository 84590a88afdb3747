"""Schemes with rules for the eligibility check's tests and benchmark."""

from typing import Any

from schemes.eligibility import rules_from_json
from schemes.eligibility.presets import PRESETS
from schemes.services import ruleset_update
from tests.factories import CallFactory, SchemeFactory

PRESET_NAMES = {
    "stimulab": "StimuLab",
    "innovasjonspartnerskap": "Innovasjonspartnerskap",
    "forkommersielle-anskaffelser": "Førkommersielle anskaffelser",
    "offentlig-sektor-phd": "Offentlig sektor-ph.d.",
    "innovasjonsprosjekt-offentlig-sektor": "Innovasjonsprosjekt i offentlig sektor",
    "offentlig-privat-samarbeid": "Offentlig-privat samarbeid",
    "kompetanseprosjekt-offentlig-sektor": "Kompetanseprosjekt for offentlig sektor",
    "startoff": "StartOff",
}


def set_rules(*, rules: list[dict[str, Any]], scheme=None, call=None, reason: str = "Test"):
    """A new rule version through the service, as the admin writes it."""
    return ruleset_update(
        scheme=scheme, call=call, rules=rules_from_json(data=rules), reason=reason, by_user=None,
        confirm_open_calls=True,
    )  # fmt: skip


def preset_schemes(*, with_calls: bool = True, archive_startoff: bool = True) -> dict[str, Any]:
    """The eight starting schemes with their preset rules; StartOff archived, as in PRODUCT.md.
    Each active scheme has an open call; two of them override an amount limit per call."""
    schemes = {}
    for slug, rules in PRESETS.items():
        archived = archive_startoff and slug == "startoff"
        scheme = SchemeFactory(slug=slug, name=PRESET_NAMES[slug], is_active=not archived)
        set_rules(scheme=scheme, rules=rules)
        if with_calls and scheme.is_active:
            call = CallFactory(scheme=scheme, slug=f"{slug}-2026", title=f"{PRESET_NAMES[slug]} 2026")
            if slug in ("innovasjonsprosjekt-offentlig-sektor", "innovasjonspartnerskap"):
                amount = {"type": "requested-amount", "params": {"minimum": "100000", "maximum": "2000000"}}
                set_rules(call=call, rules=[amount])
        schemes[slug] = scheme
    return schemes
