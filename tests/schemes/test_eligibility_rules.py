"""Each rule type on its own: passes, fails, unknown, and the boundaries (all limits are inclusive)."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from organisations.models import OrganisationKind as K
from schemes.eligibility import Facts, PartnerFacts, Status

from .helpers import judge, make_rule

PASSES, FAILS, UNKNOWN = Status.PASSES, Status.FAILS, Status.UNKNOWN
NBSP = "\xa0"


class TestApplicantKind:
    rule = make_rule("applicant-kind", kinds=["statlig", "kommune"])

    def test_passes_and_names_the_kinds_in_their_declared_order(self):
        assert judge(self.rule, applicant_kind=K.KOMMUNE) == (
            PASSES,
            "Søker er kommune, og ordningen er åpen for kommune og statlig virksomhet.",
        )

    def test_fails(self):
        assert judge(self.rule, applicant_kind=K.FYLKESKOMMUNE) == (
            FAILS,
            "Søker er fylkeskommune, men ordningen er bare åpen for kommune og statlig virksomhet.",
        )

    def test_unknown(self):
        status, text = judge(self.rule)
        assert status == UNKNOWN
        assert (
            text
            == "Vi vet ikke ennå hva slags virksomhet søkeren er. Ordningen er åpen for kommune og statlig virksomhet."
        )

    def test_three_kinds_are_listed_with_commas(self):
        rule = make_rule("applicant-kind", kinds=["statlig", "kommune", "fylkeskommune"])
        assert judge(rule)[1].endswith("åpen for kommune, fylkeskommune og statlig virksomhet.")


class TestApplicantPublicFundingShare:
    rule = make_rule("applicant-public-funding-share", minimum="80")

    @pytest.mark.parametrize(
        ("share", "status"), [("79.99", FAILS), ("80", PASSES), ("80.00", PASSES), ("100", PASSES)]
    )
    def test_the_minimum_itself_passes(self, share, status):
        assert judge(self.rule, applicant_public_funding_share=D(share))[0] == status

    def test_explanations_name_the_numbers(self):
        assert judge(self.rule, applicant_public_funding_share=D("75.5")) == (
            FAILS,
            "Søker må være minst 80 % offentlig finansiert, oppgitt 75,5 %.",
        )
        assert judge(self.rule, applicant_public_funding_share=D("90"))[1] == (
            "Søker er 90 % offentlig finansiert, og ordningen krever minst 80 %."
        )
        assert judge(self.rule)[0] == UNKNOWN


class TestOwnFundingShare:
    rule = make_rule("own-funding-share", minimum="50")

    def test_exactly_fifty_percent_passes(self):
        assert judge(self.rule, own_funding_share=D("50")) == (
            PASSES,
            "Egenfinansieringen er 50 %, og den må være minst 50 %.",
        )

    def test_below_fails_with_both_numbers(self):
        assert judge(self.rule, own_funding_share=D("40")) == (
            FAILS,
            "Egenfinansiering må være minst 50 %, oppgitt 40 %.",
        )
        assert judge(self.rule, own_funding_share=D("49.99"))[0] == FAILS

    def test_unknown(self):
        assert judge(self.rule) == (
            UNKNOWN,
            "Vi vet ikke ennå hvor stor egenfinansieringen er. Den må være minst 50 %.",
        )


class TestRequestedAmount:
    rule = make_rule("requested-amount", minimum="100000", maximum="2000000")

    @pytest.mark.parametrize(
        ("amount", "status"),
        [("99999.99", FAILS), ("100000", PASSES), ("1250000", PASSES), ("2000000", PASSES), ("2000000.01", FAILS)],
    )
    def test_both_limits_are_inclusive(self, amount, status):
        assert judge(self.rule, requested_amount=D(amount))[0] == status

    def test_explanations_in_norwegian_amount_format(self):
        assert judge(self.rule, requested_amount=D("2500000")) == (
            FAILS,
            f"Det kan søkes om høyst 2{NBSP}000{NBSP}000 kr, oppgitt 2{NBSP}500{NBSP}000 kr.",
        )
        assert judge(self.rule, requested_amount=D("50000"))[1] == (
            f"Det må søkes om minst 100{NBSP}000 kr, oppgitt 50{NBSP}000 kr."
        )
        assert judge(self.rule, requested_amount=D("2000000"))[1] == (
            f"Det søkes om 2{NBSP}000{NBSP}000 kr, og beløpet må være mellom 100{NBSP}000 kr og 2{NBSP}000{NBSP}000 kr."
        )

    def test_unknown(self):
        assert judge(self.rule)[0] == UNKNOWN

    def test_only_a_maximum(self):
        rule = make_rule("requested-amount", maximum="500000")
        assert judge(rule, requested_amount=D("0"))[0] == PASSES
        assert judge(rule, requested_amount=D("500000"))[1] == (
            f"Det søkes om 500{NBSP}000 kr, og beløpet kan være høyst 500{NBSP}000 kr."
        )
        assert judge(rule)[1] == f"Vi vet ikke ennå hvor mye det søkes om. Beløpet kan være høyst 500{NBSP}000 kr."

    def test_only_a_minimum(self):
        rule = make_rule("requested-amount", minimum="10000")
        assert judge(rule, requested_amount=D("10000000"))[0] == PASSES
        assert judge(rule, requested_amount=D("9999"))[0] == FAILS


class TestMinimumPublicPartners:
    rule = make_rule("min-public-partners", minimum=2)

    def test_unknown_while_the_partners_are_unknown(self):
        assert judge(self.rule) == (
            UNKNOWN,
            "Vi vet ikke ennå hvor mange offentlige partnere prosjektet har. Ordningen krever minst 2.",
        )

    def test_exactly_the_minimum_passes(self):
        partners = (PartnerFacts(K.KOMMUNE), PartnerFacts(K.HELSEFORETAK), PartnerFacts(K.COMPANY))
        assert judge(self.rule, partners=partners) == (
            PASSES,
            "Prosjektet har 2 offentlige partnere, og ordningen krever minst 2.",
        )

    def test_fails_with_singular_and_plural(self):
        assert judge(self.rule, partners=(PartnerFacts(K.STATLIG), PartnerFacts(K.RESEARCH))) == (
            FAILS,
            "Prosjektet har 1 offentlig partner, men ordningen krever minst 2.",
        )
        assert judge(self.rule, partners=())[1] == "Prosjektet har 0 offentlige partnere, men ordningen krever minst 2."

    def test_a_partner_of_unknown_kind_could_still_make_it(self):
        status, text = judge(self.rule, partners=(PartnerFacts(K.KOMMUNE), PartnerFacts(None)))
        assert status == UNKNOWN
        assert "1 er bekreftet" in text and "1 av partnerne" in text

    def test_partners_of_unknown_kind_that_cannot_make_it_fail(self):
        assert judge(make_rule("min-public-partners", minimum=3), partners=(PartnerFacts(None),))[0] == FAILS


@pytest.mark.parametrize(
    ("key", "kind", "noun"),
    [("research-partner", K.RESEARCH, "forskningsorganisasjon"), ("company-partner", K.COMPANY, "bedrift")],
)
class TestPartnerOfKindRequired:
    def test_passes_fails_unknown(self, key, kind, noun):
        rule = make_rule(key)
        assert judge(rule, partners=(PartnerFacts(K.KOMMUNE), PartnerFacts(kind))) == (
            PASSES,
            f"Prosjektet har en {noun} som partner, som ordningen krever.",
        )
        assert judge(rule, partners=(PartnerFacts(K.KOMMUNE),)) == (
            FAILS,
            f"Ordningen krever en {noun} som partner, og prosjektet har ingen.",
        )
        assert judge(rule, partners=())[0] == FAILS
        assert judge(rule)[0] == UNKNOWN
        assert judge(rule, partners=(PartnerFacts(K.KOMMUNE), PartnerFacts(None)))[0] == UNKNOWN

    def test_the_applicant_itself_does_not_count(self, key, kind, noun):
        assert judge(make_rule(key), applicant_kind=kind, partners=())[0] == FAILS

    def test_a_partner_the_project_may_have_is_asked_about_not_invented(self, key, kind, noun):
        """«Vet ikke» about a partner of this kind: unknown, in words that name no partner the project
        does not have; the known partners alone decide when they already have one."""
        maybe = PartnerFacts(kind, maybe=True)
        assert judge(make_rule(key), partners=(maybe,)) == (
            UNKNOWN,
            f"Vi vet ikke ennå om prosjektet har en {noun} som partner, som ordningen krever.",
        )
        assert judge(make_rule(key), partners=(PartnerFacts(kind), maybe))[0] == PASSES


class TestPartnersThatMayNotExist:
    """The public check's «vet ikke» answers: possible partners of a kind, never partners of unknown kind."""

    def test_no_public_partner_fails_a_public_partner_rule_whatever_is_unknown_about_others(self):
        partners = (PartnerFacts(K.RESEARCH, maybe=True), PartnerFacts(K.COMPANY, maybe=True))
        assert judge(make_rule("min-public-partners", minimum=1), partners=partners) == (
            FAILS,
            "Prosjektet har 0 offentlige partnere, men ordningen krever minst 1.",
        )

    def test_a_possible_public_partner_waits_without_counting_a_phantom(self):
        partners = (PartnerFacts(K.KOMMUNE), PartnerFacts(K.OTHER_PUBLIC, maybe=True))
        status, text = judge(make_rule("min-public-partners", minimum=2), partners=partners)
        assert status == UNKNOWN
        assert "av partnerne" not in text


class TestMaximumDuration:
    rule = make_rule("max-duration-months", maximum=36)

    @pytest.mark.parametrize(("months", "status"), [(1, PASSES), (36, PASSES), (37, FAILS)])
    def test_the_maximum_itself_passes(self, months, status):
        assert judge(self.rule, duration_months=months)[0] == status

    def test_explanations(self):
        assert judge(self.rule, duration_months=40)[1] == "Prosjektet kan vare i høyst 36 måneder, oppgitt 40 måneder."
        assert judge(self.rule, duration_months=1)[1] == "Prosjektet skal vare i 1 måned, og det kan vare i høyst 36."
        assert judge(self.rule) == (
            UNKNOWN,
            "Vi vet ikke ennå hvor lenge prosjektet skal vare. Det kan vare i høyst 36 måneder.",
        )


class TestCandidate:
    def test_permanently_employed(self):
        rule = make_rule("candidate-permanently-employed")
        assert judge(rule, candidate_permanently_employed=True)[0] == PASSES
        assert judge(rule, candidate_permanently_employed=False) == (
            FAILS,
            "Kandidaten er ikke fast ansatt hos søkeren, men ordningen krever det.",
        )
        assert judge(rule)[0] == UNKNOWN

    def test_without_doctorate(self):
        rule = make_rule("candidate-without-doctorate")
        assert judge(rule, candidate_has_doctorate=False)[0] == PASSES
        assert judge(rule, candidate_has_doctorate=True) == (
            FAILS,
            "Kandidaten har allerede doktorgrad, men ordningen er bare for kandidater uten doktorgrad.",
        )
        assert judge(rule)[0] == UNKNOWN


class TestMaximumApplications:
    """«At most 2» counts earlier applications: with 1 earlier this is the 2nd (passes), with 2 the 3rd."""

    def test_per_year(self):
        rule = make_rule("max-applications", maximum=2, period="year")
        assert judge(rule, applications_this_year=0)[0] == PASSES
        assert judge(rule, applications_this_year=1) == (
            PASSES,
            "Organisasjonen har sendt 1 søknad i år, og hver organisasjon kan sende høyst 2 per år.",
        )
        assert judge(rule, applications_this_year=2) == (
            FAILS,
            "Hver organisasjon kan sende høyst 2 søknader per år, og organisasjonen har allerede sendt 2 i år.",
        )
        assert judge(rule, applications_this_call=0)[0] == UNKNOWN  # the call's count says nothing of the year

    def test_per_call(self):
        rule = make_rule("max-applications", maximum=1, period="call")
        assert judge(rule, applications_this_call=0)[0] == PASSES
        assert judge(rule, applications_this_call=1)[1] == (
            "Hver organisasjon kan sende høyst 1 søknad til denne utlysningen, og organisasjonen har allerede sendt 1."
        )
        assert judge(rule, applications_this_year=0)[0] == UNKNOWN


class TestDeclaration:
    rule = make_rule(
        "declaration",
        key="forankret",
        statement_nb="Prosjektet er forankret i toppledelsen.",
        statement_en="The project is anchored with top management.",
    )

    def test_passes_when_confirmed(self):
        assert judge(self.rule, confirmed_declarations=frozenset({"forankret", "annet"})) == (
            PASSES,
            "Søkeren har bekreftet: «Prosjektet er forankret i toppledelsen.»",
        )

    def test_fails_when_answered_without_it(self):
        assert judge(self.rule, confirmed_declarations=frozenset({"annet"}))[0] == FAILS

    def test_unknown_until_answered(self):
        assert judge(self.rule) == (UNKNOWN, "Søkeren må bekrefte: «Prosjektet er forankret i toppledelsen.»")

    def test_statement_in_the_active_language_with_bokmal_as_fallback(self):
        result = self.rule.evaluate(Facts(confirmed_declarations=frozenset({"forankret"})))
        with translation.override("en"):
            assert "«The project is anchored with top management.»" in str(result.explanation)
        with translation.override("nn"):
            assert "«Prosjektet er forankret i toppledelsen.»" in str(result.explanation)
