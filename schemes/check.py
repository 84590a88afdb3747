"""Reads for the public eligibility check (/sjekk/): which rules apply to each active scheme, and
each scheme's evaluation against the facts a visitor gave.

The rules of a scheme are its *effective* rules (``selectors.EffectiveRules``): its current rules
merged with the overrides of its open call, else of its next upcoming call, else its own alone.
``active_schemes_with_rules`` loads them for every active scheme in a constant number of queries
(three, whatever the number of schemes) and returns the same objects ``effective_rules`` would.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import OrganisationKind
from portal.localized import localized

from .eligibility import (
    Evaluation,
    Facts,
    LocalizedText,
    PartnerFacts,
    Verdict,
    evaluate,
    rank,
)
from .eligibility.rules.declarations import DeclarationParams
from .eligibility.text import render_value
from .facts import counted_applications, facts_for
from .models import Call, CallStage, RuleSetVersion, Scheme
from .selectors import EffectiveRules, call_in_focus, effective_rules, effective_rules_of


@dataclass(frozen=True)
class SchemeRules:
    """A scheme, the call whose overrides apply (None: the scheme's own rules), and the rules."""

    scheme: Scheme
    call: Call | None
    effective: EffectiveRules


def _newest_version_pk(**owner: OuterRef) -> Subquery:
    return Subquery(RuleSetVersion.objects.filter(**owner).order_by("-version").values("pk")[:1])


def _first_stage_kind() -> Subquery:
    """The kind of a call's first stage (None without stages): the stage a newcomer applies to."""
    return Subquery(CallStage.objects.filter(call=OuterRef("pk")).order_by("order").values("kind")[:1])


def active_schemes_with_rules(*, now: datetime | None = None) -> list[SchemeRules]:
    """Every active scheme (archived ones left out), by name, with its effective rules.

    Three queries: the schemes, their open and upcoming calls (each annotated with its newest
    rule version), and those versions. Agrees with ``effective_rules(scheme=…, call=call_in_focus(…))``.
    """
    now = now or timezone.now()
    schemes = list(
        Scheme.objects.filter(is_active=True)
        .annotate(current_rules_pk=_newest_version_pk(scheme=OuterRef("pk")))
        .order_by("name", "pk")
    )
    calls_by_scheme: dict[int, list[Call]] = {}
    calls = Call.objects.filter(scheme__is_active=True, closes_at__gt=now).annotate(
        current_rules_pk=_newest_version_pk(call=OuterRef("pk")), first_stage_kind=_first_stage_kind()
    )
    for call in calls:
        calls_by_scheme.setdefault(call.scheme_id, []).append(call)
    chosen = {scheme.pk: call_in_focus(calls=calls_by_scheme.get(scheme.pk, []), now=now) for scheme in schemes}
    version_pks = [scheme.current_rules_pk for scheme in schemes] + [
        call.current_rules_pk for call in chosen.values() if call is not None
    ]
    versions = RuleSetVersion.objects.in_bulk([pk for pk in version_pks if pk is not None])
    result = []
    for scheme in schemes:
        call = chosen[scheme.pk]
        if call is not None:
            call.scheme = scheme  # already loaded: no query when the page names the call's scheme
        call_version = versions.get(call.current_rules_pk) if call is not None else None
        result.append(
            SchemeRules(
                scheme,
                call,
                effective_rules_of(scheme_version=versions.get(scheme.current_rules_pk), call_version=call_version),
            )
        )
    return result


def call_with_rules(*, slug: str) -> SchemeRules | None:
    """One call of an active scheme, by slug, with its effective rules (for ``?utlysning=``)."""
    call = (
        Call.objects.select_related("scheme")
        .annotate(first_stage_kind=_first_stage_kind())
        .filter(slug=slug, scheme__is_active=True)
        .first()
    )
    if call is None:
        return None
    return SchemeRules(call.scheme, call, effective_rules(scheme=call.scheme, call=call))


def declarations_in(*, targets: list[SchemeRules]) -> dict[str, LocalizedText]:
    """The declarations the rules ask for, by key, in the order they first appear."""
    declarations: dict[str, LocalizedText] = {}
    for target in targets:
        for rule in target.effective.rules:
            if isinstance(rule.params, DeclarationParams):
                declarations.setdefault(rule.params.key, rule.params.statement)
    return declarations


def partners_from_answers(
    *, public_partners: int | None, research_partner: bool | None, company_partner: bool | None
) -> tuple[PartnerFacts, ...] | None:
    """The check asks three questions about partners; the rules read a list of partners.

    - Nothing answered: the partners are unknown (``None``).
    - The number of public partners not given: still unknown (``None``). The list cannot say «an
      unknown number of public partners» — one placeholder would make «at least 2» fail.
    - Otherwise: that many public partners, plus a research organisation and/or a company when
      the answer is yes, plus a *possible* partner of that kind for each «vet ikke» (``maybe``):
      never counted or shown as a partner the project has, so a rule decides from what is known
      (0 public partners and «vet ikke» about a research partner: «at least 1 public partner»
      fails) and waits only where the answer could change it.
    """
    if public_partners is None:
        return None
    partners = [PartnerFacts(OrganisationKind.OTHER_PUBLIC)] * public_partners
    for answer, kind in ((research_partner, OrganisationKind.RESEARCH), (company_partner, OrganisationKind.COMPANY)):
        if answer is None:
            partners.append(PartnerFacts(kind, maybe=True))
        elif answer:
            partners.append(PartnerFacts(kind))
    return tuple(partners)


def scheme_url(slug: str) -> str:
    return reverse("scheme-detail", kwargs={"slug": slug})


@dataclass(frozen=True)
class SchemeCheck:
    """One scheme's answer on the check page, with the rule versions it was judged by."""

    target: SchemeRules
    evaluation: Evaluation

    @property
    def scheme(self) -> Scheme:
        return self.target.scheme

    @property
    def call(self) -> Call | None:
        return self.target.call

    @property
    def name(self) -> str:
        return localized(self.scheme, "name")

    @property
    def url(self) -> str:
        return scheme_url(self.scheme.slug)

    @property
    def version_labels(self) -> list[str]:
        """«Regelversjon 3», and the call's overrides' version when a call added to the rules."""
        versions, labels = self.versions, []
        if versions["scheme_rules_version"] is not None:
            labels.append(_("Regelversjon %(version)s") % {"version": versions["scheme_rules_version"]})
        if versions["call_rules_version"] is not None:
            labels.append(_("utlysningens tillegg versjon %(version)s") % {"version": versions["call_rules_version"]})
        return labels

    @property
    def call_title(self) -> str:
        return localized(self.call, "title") if self.call is not None else ""

    @property
    def versions(self) -> dict[str, int | None]:
        return self.target.effective.versions


@dataclass(frozen=True)
class CheckResult:
    schemes: list[SchemeCheck]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(check.evaluation.verdict for check in self.schemes)
        return {verdict.name.lower(): counted[verdict] for verdict in Verdict}

    @property
    def groups(self) -> list[tuple[Verdict, list[SchemeCheck]]]:
        """The ranked schemes split by verdict (in rank order), leaving out empty groups."""
        groups = [(verdict, [c for c in self.schemes if c.evaluation.verdict == verdict]) for verdict in Verdict]
        return [(verdict, checks) for verdict, checks in groups if checks]


def check_schemes(*, targets: list[SchemeRules], facts: Facts, organisation=None) -> CheckResult:
    """Each scheme judged by its effective rules, ranked: eligible first, then need more information
    by fewest unknowns, then not eligible by fewest failures; ties keep the order of ``targets``.

    With the ``organisation`` of a logged-in person, each scheme's facts are ``facts_for`` that
    organisation (registry facts, its applications counted for that scheme and call) with the
    visitor's answers winning where given — the same facts the draft's check and the submit use."""

    counted = (
        counted_applications(organisation=organisation, scheme_ids=[target.scheme.pk for target in targets])
        if organisation is not None
        else None
    )

    def facts_of(target: SchemeRules) -> Facts:
        stage = getattr(target.call, "first_stage_kind", None) if facts.stage is None else facts.stage
        if organisation is None:
            return facts.with_(stage=stage)
        found = facts_for(
            organisation=organisation, call=target.call, scheme=target.scheme, counted=counted, stage=stage
        )
        return found | facts

    ranked = rank(
        evaluated=[(target, evaluate(rules=target.effective.rules, facts=facts_of(target))) for target in targets]
    )
    return CheckResult([SchemeCheck(target, evaluation) for target, evaluation in ranked])


def organisation_to_prefill(*, memberships: list, org_number: str | None):
    """The organisation whose facts fill in the form: the one asked for by ``?organisasjon=`` if the
    person is a member of it (any other number is ignored, revealing nothing), else the first."""
    organisations = [membership.organisation for membership in memberships]
    chosen = next((org for org in organisations if org.org_number == org_number), None)
    return chosen or (organisations[0] if organisations else None)


def prefill_from(organisation) -> dict[str, str]:
    """Form answers from what the portal knows about the organisation: its kind and public share."""
    initial = {"virksomhet": organisation.kind}
    if organisation.public_funding_share is not None:
        initial["offentlig_andel"] = render_value(organisation.public_funding_share)
    return initial
