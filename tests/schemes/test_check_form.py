"""The check's answers as facts: blank is unknown, numbers as Norwegians type them, bad values refused."""

from decimal import Decimal

import pytest

from organisations.models import OrganisationKind
from schemes.eligibility import Facts, LocalizedText
from schemes.forms import EligibilityCheckForm

DECLARATIONS = {
    "forankret-i-toppledelsen": LocalizedText("Prosjektet er forankret i toppledelsen."),
    "delt-behov": LocalizedText("Behovet deles av flere virksomheter."),
}
BLANK = {
    "virksomhet": "", "offentlig_andel": "", "egenfinansiering": "", "belop": "", "varighet": "",
    "offentlige_partnere": "", "forskningspartner": "", "bedriftspartner": "", "kandidat_fast_ansatt": "",
    "kandidat_doktorgrad": "", "soknader_i_aar": "",
}  # fmt: skip


def _form(for_one_call=False, **answers):
    return EligibilityCheckForm(BLANK | answers, declarations=DECLARATIONS, for_one_call=for_one_call)


def _facts(**answers) -> Facts:
    form = _form(**answers)
    assert form.is_valid(), form.errors
    return form.facts()


def test_a_blank_form_is_valid_and_every_fact_is_unknown():
    assert _facts() == Facts()
    # Not even sent (a shared link with only some answers): unknown too.
    form = EligibilityCheckForm({"belop": "100"}, declarations=DECLARATIONS, for_one_call=False)
    assert form.is_valid(), form.errors
    assert form.facts() == Facts(requested_amount=Decimal(100))


@pytest.mark.parametrize(
    "typed",
    ["1 250 000", "1\xa0250\xa0000", "1\u202f250\u202f000", " 1250000 ", "1 250 000 kr", "1.250.000", "1 250 000,-",
     "1250000,00", "kr 1 250 000", "1 250 000 NOK"],
)  # fmt: skip
def test_amounts_are_read_with_spaces_and_kroner(typed):
    assert _facts(belop=typed).requested_amount == Decimal(1_250_000)


@pytest.mark.parametrize(("typed", "share"), [("87,5", "87.5"), ("87.5", "87.5"), ("80 %", "80"), ("100", "100")])
def test_shares_are_read_with_a_decimal_comma_and_a_percent_sign(typed, share):
    facts = _facts(offentlig_andel=typed, egenfinansiering=typed)
    assert facts.applicant_public_funding_share == facts.own_funding_share == Decimal(share)


def test_every_answer_becomes_its_fact():
    facts = _facts(
        virksomhet="kommune", offentlig_andel="100", egenfinansiering="50", belop="500 000", varighet="36 mnd",
        offentlige_partnere="2", forskningspartner="ja", bedriftspartner="nei", kandidat_fast_ansatt="ja",
        kandidat_doktorgrad="nei", soknader_i_aar="1", erklaeringer=["forankret-i-toppledelsen"],
    )  # fmt: skip
    assert facts.applicant_kind == OrganisationKind.KOMMUNE
    assert facts.duration_months == 36 and facts.applications_this_year == 1
    assert [partner.kind for partner in facts.partners] == ["annen-offentlig", "annen-offentlig", "forskning"]
    assert facts.candidate_permanently_employed is True and facts.candidate_has_doctorate is False
    assert facts.confirmed_declarations == frozenset({"forankret-i-toppledelsen"})
    assert facts.applications_this_call is None  # only asked when the check is limited to one call


def test_declarations_none_checked_is_unknown_and_an_unknown_key_is_ignored():
    assert _facts(erklaeringer=[]).confirmed_declarations is None
    assert _facts(erklaeringer=["finnes-ikke"]).confirmed_declarations is None
    assert _facts(erklaeringer=["delt-behov", "finnes-ikke"]).confirmed_declarations == frozenset({"delt-behov"})


def test_applications_to_this_call_are_asked_only_for_one_call():
    assert "soknader_utlysning" not in _form().fields
    form = _form(for_one_call=True, soknader_utlysning="1")
    assert form.is_valid(), form.errors
    assert form.facts().applications_this_call == 1


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("belop", "-5", "Beløpet kan ikke være negativt."),
        ("belop", "−5 000", "Beløpet kan ikke være negativt."),
        ("belop", "mye", "Skriv beløpet i kroner som et tall, for eksempel 1 250 000."),
        ("belop", "5 000 000 000", "Beløpet er urimelig høyt (over 1 milliard kroner)."),
        ("belop", "1e9", "Skriv beløpet i kroner som et tall"),
        ("belop", "NaN", "Skriv beløpet i kroner som et tall"),
        ("belop", "1250000,50", "Skriv beløpet i hele kroner, for eksempel 1 250 000."),
        ("offentlig_andel", "101", "Prosenten kan ikke være mer enn 100."),
        ("offentlig_andel", "-1", "Prosenten kan ikke være negativ."),
        ("egenfinansiering", "halvparten", "Skriv prosenten som et tall, for eksempel 80 eller 87,5."),
        ("varighet", "0", "Prosjektet må vare i minst én måned."),
        ("varighet", "2,5", "Skriv varigheten som et helt antall måneder"),
        ("varighet", "1000", "Varigheten er urimelig lang"),
        ("offentlige_partnere", "-1", "Antallet kan ikke være negativt."),
        ("offentlige_partnere", "to", "Skriv antallet som et helt tall"),
        ("soknader_i_aar", "1,5", "Skriv antallet som et helt tall"),
        ("virksomhet", "enkeltperson", "Velg en type virksomhet fra listen."),
        ("forskningspartner", "kanskje", "Velg ja, nei eller vet ikke."),
    ],
)
def test_bad_values_are_refused_with_a_norwegian_message(field, typed, message):
    form = _form(**{field: typed})
    assert not form.is_valid()
    assert list(form.errors) == [field]
    assert form.errors[field][0].startswith(message)
