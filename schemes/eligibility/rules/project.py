"""Rules about the project and the applicant's other applications: duration, how many per call or year."""

from dataclasses import dataclass

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ..base import RuleResult, RuleType, Status, register
from ..facts import Facts
from ..text import Explanation
from ._fields import NoParams, NoParamsForm, count_field

DURATION_DESCRIBED = ngettext_lazy(
    "Prosjektet kan vare i høyst %(maximum)s måned.",
    "Prosjektet kan vare i høyst %(maximum)s måneder.",
    "n",
)
DURATION_UNKNOWN = ngettext_lazy(
    "Vi vet ikke ennå hvor lenge prosjektet skal vare. Det kan vare i høyst %(maximum)s måned.",
    "Vi vet ikke ennå hvor lenge prosjektet skal vare. Det kan vare i høyst %(maximum)s måneder.",
    "n",
)
DURATION_PASSES = ngettext_lazy(
    "Prosjektet skal vare i %(months)s måned, og det kan vare i høyst %(maximum)s.",
    "Prosjektet skal vare i %(months)s måneder, og det kan vare i høyst %(maximum)s.",
    "n",
)
DURATION_FAILS = ngettext_lazy(
    "Prosjektet kan vare i høyst %(maximum)s måned, oppgitt %(months)s måneder.",
    "Prosjektet kan vare i høyst %(maximum)s måneder, oppgitt %(months)s måneder.",
    "n",
)


@dataclass(frozen=True, slots=True)
class MaximumMonthsParams:
    maximum: int


class MaximumDurationForm(forms.Form):
    maximum = count_field(
        label=_("Lengste prosjektperiode (måneder)"),
        help_text=_("Grensen er med: 36 betyr at et prosjekt på nøyaktig 36 måneder er innenfor."),
    )


@register
class MaximumDuration(RuleType[MaximumMonthsParams]):
    """Inclusive: a project of exactly the maximum number of months passes."""

    key = "max-duration-months"
    label = _("Prosjektet varer ikke lenger enn et visst antall måneder")
    params_class = MaximumMonthsParams
    form_class = MaximumDurationForm
    facts_used = frozenset({"duration_months"})

    def describe(self, params: MaximumMonthsParams) -> Explanation:
        return Explanation(DURATION_DESCRIBED, {"maximum": params.maximum}, params.maximum)

    def evaluate(self, params: MaximumMonthsParams, facts: Facts) -> RuleResult:
        months = facts.duration_months
        values = {"maximum": params.maximum, "months": months}
        if months is None:
            return RuleResult(Status.UNKNOWN, Explanation(DURATION_UNKNOWN, values, params.maximum))
        if months <= params.maximum:
            return RuleResult(Status.PASSES, Explanation(DURATION_PASSES, values, months))
        return RuleResult(Status.FAILS, Explanation(DURATION_FAILS, values, params.maximum))


class Period(models.TextChoices):
    CALL = "call", _("per utlysning")
    YEAR = "year", _("per år")


APPLICATIONS_DESCRIBED = {
    Period.CALL: ngettext_lazy(
        "Hver organisasjon kan sende høyst %(maximum)s søknad til hver utlysning.",
        "Hver organisasjon kan sende høyst %(maximum)s søknader til hver utlysning.",
        "n",
    ),
    Period.YEAR: ngettext_lazy(
        "Hver organisasjon kan sende høyst %(maximum)s søknad per år.",
        "Hver organisasjon kan sende høyst %(maximum)s søknader per år.",
        "n",
    ),
}

MESSAGES = {
    Period.CALL: {
        Status.UNKNOWN: ngettext_lazy(
            "Vi vet ikke ennå hvor mange søknader organisasjonen har sendt til denne utlysningen. "
            "Hver organisasjon kan sende høyst %(maximum)s søknad.",
            "Vi vet ikke ennå hvor mange søknader organisasjonen har sendt til denne utlysningen. "
            "Hver organisasjon kan sende høyst %(maximum)s søknader.",
            "n",
        ),
        Status.PASSES: ngettext_lazy(
            "Organisasjonen har sendt %(earlier)s søknad til denne utlysningen fra før, og hver organisasjon "
            "kan sende høyst %(maximum)s.",
            "Organisasjonen har sendt %(earlier)s søknader til denne utlysningen fra før, og hver organisasjon "
            "kan sende høyst %(maximum)s.",
            "n",
        ),
        Status.FAILS: ngettext_lazy(
            "Hver organisasjon kan sende høyst %(maximum)s søknad til denne utlysningen, "
            "og organisasjonen har allerede sendt %(earlier)s.",
            "Hver organisasjon kan sende høyst %(maximum)s søknader til denne utlysningen, "
            "og organisasjonen har allerede sendt %(earlier)s.",
            "n",
        ),
    },
    Period.YEAR: {
        Status.UNKNOWN: ngettext_lazy(
            "Vi vet ikke ennå hvor mange søknader organisasjonen har sendt i år. "
            "Hver organisasjon kan sende høyst %(maximum)s søknad per år.",
            "Vi vet ikke ennå hvor mange søknader organisasjonen har sendt i år. "
            "Hver organisasjon kan sende høyst %(maximum)s søknader per år.",
            "n",
        ),
        Status.PASSES: ngettext_lazy(
            "Organisasjonen har sendt %(earlier)s søknad i år, og hver organisasjon kan sende høyst "
            "%(maximum)s per år.",
            "Organisasjonen har sendt %(earlier)s søknader i år, og hver organisasjon kan sende høyst "
            "%(maximum)s per år.",
            "n",
        ),
        Status.FAILS: ngettext_lazy(
            "Hver organisasjon kan sende høyst %(maximum)s søknad per år, og organisasjonen har allerede "
            "sendt %(earlier)s i år.",
            "Hver organisasjon kan sende høyst %(maximum)s søknader per år, og organisasjonen har allerede "
            "sendt %(earlier)s i år.",
            "n",
        ),
    },
}


@dataclass(frozen=True, slots=True)
class MaximumApplicationsParams:
    maximum: int
    period: Period


class MaximumApplicationsForm(forms.Form):
    maximum = count_field(
        label=_("Høyeste antall søknader per organisasjon"),
        help_text=_("Grensen er med: 2 betyr at organisasjonen kan sende sin andre søknad, men ikke en tredje."),
    )
    period = forms.TypedChoiceField(label=_("Gjelder"), choices=Period.choices, coerce=Period)


@register
class MaximumApplications(RuleType[MaximumApplicationsParams]):
    """Counts the organisation's *earlier* applications: it passes while earlier < maximum, so the one
    being checked is the maximum-th at most. (Ph.d. schemes limit candidates per employer and year;
    one application per candidate makes that this rule.)"""

    key = "max-applications"
    label = _("Organisasjonen har ikke sendt for mange søknader")
    params_class = MaximumApplicationsParams
    form_class = MaximumApplicationsForm
    facts_used = frozenset({"applications_this_call", "applications_this_year"})

    def describe(self, params: MaximumApplicationsParams) -> Explanation:
        return Explanation(APPLICATIONS_DESCRIBED[params.period], {"maximum": params.maximum}, params.maximum)

    def identity(self, params: MaximumApplicationsParams) -> str:
        return f"{self.key}:{params.period}"

    def evaluate(self, params: MaximumApplicationsParams, facts: Facts) -> RuleResult:
        earlier = facts.applications_this_call if params.period == Period.CALL else facts.applications_this_year
        messages = MESSAGES[params.period]
        values = {"maximum": params.maximum, "earlier": earlier}
        if earlier is None:
            return RuleResult(Status.UNKNOWN, Explanation(messages[Status.UNKNOWN], values, params.maximum))
        if earlier < params.maximum:
            return RuleResult(Status.PASSES, Explanation(messages[Status.PASSES], values, earlier))
        return RuleResult(Status.FAILS, Explanation(messages[Status.FAILS], values, params.maximum))


# The stages that come after an earlier one and need it completed (``schemes.CallStage.Kind`` values;
# the engine imports no models).
LATER_STAGES = frozenset({"hovedprosjekt", "hovedsoknad"})
PREVIOUS_STAGE_DESCRIBED = Explanation(_("Et hovedprosjekt krever at forprosjektet er gjennomført."))
PREVIOUS_STAGE_NOT_NEEDED = Explanation(_("Søknaden gjelder ikke et hovedprosjekt, så forprosjektet er ikke et krav."))
PREVIOUS_STAGE_UNKNOWN = Explanation(
    _("Vi vet ikke ennå om forprosjektet er gjennomført. Et hovedprosjekt krever at det er det.")
)
PREVIOUS_STAGE_PASSES = Explanation(_("Forprosjektet er gjennomført, som et hovedprosjekt krever."))
PREVIOUS_STAGE_FAILS = Explanation(_("Forprosjektet er ikke gjennomført, men et hovedprosjekt krever det."))


@register
class PreviousStageCompleted(RuleType[NoParams]):
    """Passes for any stage but a later one (main project, full application); there the fact decides.
    An unknown stage with a known fact: a completed pre-project passes, otherwise unknown (the stage
    could be an early one, and knowing more must never undo a fail). The public check gives a staged
    call's first stage, the one a newcomer applies to."""

    key = "previous-stage-completed"
    label = _("Forprosjektet er gjennomført før hovedprosjektet")
    params_class = NoParams
    form_class = NoParamsForm
    facts_used = frozenset({"stage", "previous_stage_completed"})

    def describe(self, params: NoParams) -> Explanation:
        return PREVIOUS_STAGE_DESCRIBED

    def evaluate(self, params: NoParams, facts: Facts) -> RuleResult:
        completed = facts.previous_stage_completed
        if facts.stage is not None and facts.stage not in LATER_STAGES:
            return RuleResult(Status.PASSES, PREVIOUS_STAGE_NOT_NEEDED)
        if completed:
            return RuleResult(Status.PASSES, PREVIOUS_STAGE_PASSES)
        if completed is None or facts.stage is None:
            return RuleResult(Status.UNKNOWN, PREVIOUS_STAGE_UNKNOWN)
        return RuleResult(Status.FAILS, PREVIOUS_STAGE_FAILS)
