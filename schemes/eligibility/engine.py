"""The engine: judge rules against facts, reach a verdict, rank schemes by their verdicts.

Pure and fast: no database, no translation until an explanation is shown. The public check uses it
now; submission will use it with the rules in force for the call.
"""

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .base import Rule, RuleResult, Status
from .facts import Facts
from .text import Explanation, LocalizedText


class Verdict(models.TextChoices):
    ELIGIBLE = "eligible", _("Kan søke")
    NEED_MORE_INFORMATION = "need-more-information", _("Trenger flere opplysninger")
    NOT_ELIGIBLE = "not-eligible", _("Kan ikke søke")


class RuleOutcome(NamedTuple):
    """One rule's answer, with the rule it came from."""

    rule: Rule
    result: RuleResult

    @property
    def status(self) -> Status:
        return self.result.status

    @property
    def explanation(self) -> Explanation:
        return self.result.explanation

    @property
    def note(self) -> LocalizedText | None:
        return self.rule.note

    @property
    def by_officer(self) -> bool:
        """A rule only a person can judge: it waits for the officer's formal check, so it neither
        passes nor holds back the verdict."""
        return self.rule.type.decided_by_officer


class Evaluation(NamedTuple):
    outcomes: tuple[RuleOutcome, ...]
    verdict: Verdict

    def with_status(self, status: Status) -> tuple[RuleOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if outcome.status == status)

    @property
    def unknown_count(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == Status.UNKNOWN and not outcome.by_officer)

    @property
    def fail_count(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == Status.FAILS)

    @property
    def label(self) -> Promise:
        return self.verdict.label


def evaluate(*, rules: Iterable[Rule], facts: Facts) -> Evaluation:
    """Each rule's result, in the order given, and the verdict.

    Not eligible if any rule fails; need more information if none fails but some are unknown;
    eligible if every rule passes (also when there are no rules). Rules an officer judges in the
    formal check are listed but leave the verdict alone: nothing the applicant tells changes them.
    """
    outcomes = tuple([RuleOutcome(rule, rule.type.evaluate(rule.params, facts)) for rule in rules])
    statuses = [outcome.result.status for outcome in outcomes if not outcome.by_officer]
    return Evaluation(outcomes, verdict_for(statuses=statuses))


def verdict_for(*, statuses: Iterable[Status]) -> Verdict:
    verdict = Verdict.ELIGIBLE
    for status in statuses:
        if status == Status.FAILS:
            return Verdict.NOT_ELIGIBLE
        if status == Status.UNKNOWN:
            verdict = Verdict.NEED_MORE_INFORMATION
    return verdict


_VERDICT_RANK = {Verdict.ELIGIBLE: 0, Verdict.NEED_MORE_INFORMATION: 1, Verdict.NOT_ELIGIBLE: 2}


def rank_key(evaluation: Evaluation) -> tuple[int, int]:
    """Sort key: eligible first, then need-more-information by fewest unknowns, then not eligible
    by fewest failing rules (the nearest misses first)."""
    rank = _VERDICT_RANK[evaluation.verdict]
    if evaluation.verdict == Verdict.NEED_MORE_INFORMATION:
        return rank, evaluation.unknown_count
    if evaluation.verdict == Verdict.NOT_ELIGIBLE:
        return rank, evaluation.fail_count
    return rank, 0


def rank[T](*, evaluated: Iterable[tuple[T, Evaluation]]) -> list[tuple[T, Evaluation]]:
    """Schemes (or calls) with their evaluations, best prospects first. Stable: ties keep the order
    they came in (e.g. by deadline), so the caller decides the tie-break."""
    return sorted(evaluated, key=lambda pair: rank_key(pair[1]))


def merge_rules(*, scheme_rules: Sequence[Rule], call_rules: Sequence[Rule]) -> tuple[Rule, ...]:
    """The rules in force for a call: a call's rule replaces the scheme's rule with the same identity
    (by default, the same rule type) in its place; the call's other rules come after."""
    overrides = {rule.identity: rule for rule in call_rules}
    merged = [overrides.pop(rule.identity, rule) for rule in scheme_rules]
    return (*merged, *overrides.values())
