"""Forms of the review and decision pages. They validate what was typed; the services decide (and
their refusals are added to the form, so the page shows them next to what was typed)."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.formdef.fields import AmountField, NorwegianDateField
from portal.forms import DesignsystemetMixin
from portal.localized import active_language, localized_html

from .models import FormalReason, Outcome, Recommendation

DEFAULT_REVIEW_DAYS = 15  # until the lead switches to working days (portal.workdays)


# Free text a reviewer or officer writes (comments, reasons, answers): a long comment is a page or
# two; 100 000 characters was accepted before and made every page showing it heavy.
FREE_TEXT_MAX = 10_000
REPORT_TEXT_MAX = 50_000


class PageForm(DesignsystemetMixin, forms.Form):
    """A form on a page with others: ids of its own (``id_prefix``), so no two fields share one."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


def _vurdert_label(finding: dict) -> str:
    from django.utils.translation import get_language, gettext

    statements = finding.get("statements") or {}
    language = (get_language() or "nb").split("-")[0]
    text = statements.get(language) or statements.get("nb") or (finding.get("details") or [""])[0]
    return gettext("Vurdert: %(statement)s") % {"statement": text}


class FormalCheckForm(PageForm):
    id_prefix = "formell"
    APPROVE, REJECT = "godkjenn", "avvis"
    result = forms.ChoiceField(
        label=_("Resultat av den formelle kontrollen"),
        choices=[(APPROVE, _("Godkjenn: søknaden går til fagvurdering")), (REJECT, _("Avvis formelt"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg om søknaden godkjennes eller avvises.")},
    )
    reasons = forms.MultipleChoiceField(
        label=_("Grunner til avvisning"),
        choices=FormalReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        max_length=FREE_TEXT_MAX,
        label=_("Begrunnelse til søkeren"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Påkrevd ved avvisning. Søkeren leser den."),
    )

    judged = forms.MultipleChoiceField(
        label=_("Krav saksbehandleren vurderer"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kryss av for hvert krav du har vurdert. Alle må være vurdert før søknaden godkjennes."),
    )

    def __init__(self, *args, judgements=(), **kwargs):
        """``judgements``: the officer-judgement findings (``review.services.officer_judgements``)."""
        super().__init__(*args, **kwargs)
        if judgements:
            self.fields["judged"].choices = [
                (finding["key"], _vurdert_label(finding)) for finding in judgements
            ]  # fmt: skip
        else:
            del self.fields["judged"]

    def clean(self):
        data = super().clean()
        if data.get("result") == self.APPROVE and "judged" in self.fields:
            missing = {key for key, _label in self.fields["judged"].choices} - set(data.get("judged") or [])
            if missing:
                self.add_error("judged", _("Kryss av for hvert krav når du har vurdert det."))
        if data.get("result") == self.REJECT:
            if not data.get("reasons"):
                self.add_error("reasons", _("Velg minst én grunn for å avvise søknaden."))
            if not (data.get("comment") or "").strip():
                self.add_error("comment", _("Skriv en begrunnelse søkeren kan lese."))
        return data


class AssignForm(PageForm):
    id_prefix = "tildel"
    reviewer = forms.IntegerField(
        label=_("Fagekspert"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg en fagekspert."), "invalid": _("Velg en fagekspert.")},
    )
    due_date = NorwegianDateField(label=_("Frist for vurderingen"), help_text=_("Skriv datoen som dd.mm.åååå."))

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.offer(suggestions)
        self.fields["due_date"].initial = timezone.localdate() + timedelta(days=DEFAULT_REVIEW_DAYS)

    def offer(self, suggestions) -> None:
        """The reviewers to choose from: ``[(user, open assignments)]``, fewest first."""
        self.fields["reviewer"].widget.choices = [
            # The id as text: an int would be shown with a thousands separator («2 428») and not read back.
            (
                str(user.pk),
                _("%(name)s (%(load)s åpne tildelinger)") % {"name": user.full_name or user.email, "load": load},
            )
            for user, load in suggestions
        ]

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("Fristen kan ikke være før i dag."))
        return due


def _scale_choices(criterion, *, html: bool = True):
    """The criterion's steps, highest first, as «7 – Fremragende» in the active language; as HTML
    (radio labels) a bokmål fallback is marked ``lang="nb"``, as text (a ``<select>``) it is plain."""
    labels = dict(criterion.scale_steps())
    choices = []
    for value in range(criterion.scale_max, criterion.scale_min - 1, -1):
        label = labels.get(value)
        if label is None:
            choices.append((str(value), str(value)))
        else:
            choices.append((str(value), format_html("{} – {}", value, label) if html else f"{value} – {label}"))
    return choices


def _with_name(message: str, criterion) -> str:
    """A translated label naming the criterion, as HTML: the name marked ``lang="nb"`` when it falls
    back to bokmål (``localized_html``)."""
    return mark_safe(escape(message) % {"name": localized_html(criterion, "name")})  # noqa: S308 - escaped parts


class _ScaleSelect(forms.Select):
    """A select of scale steps whose options in bokmål on a nynorsk or English page carry ``lang="nb"``."""

    def __init__(self, *args, fallback_values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fallback_values = set(fallback_values)

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.fallback_values:
            option["attrs"]["lang"] = "nb"
        return option


class TransitionCommentForm(forms.Form):
    """The reason typed with one of the case page's simple transitions (where the table asks for one)."""

    comment = forms.CharField(max_length=FREE_TEXT_MAX, label=_("Begrunnelse"), required=False)


class ConsensusForm(PageForm):
    """The agreed score for one criterion (one form per criterion on the case page)."""

    score = forms.TypedChoiceField(label=_("Omforent karakter"), coerce=int,
                                   error_messages={"required": _("Velg en karakter.")})  # fmt: skip
    comment = forms.CharField(
        max_length=FREE_TEXT_MAX,
        label=_("Kommentar (intern)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, criterion, **kwargs):
        kwargs.setdefault("auto_id", f"omforent_{criterion.pk}_%s")  # one form per criterion on the page
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        fallback = [str(step) for step, label in criterion.scale_steps() if label.language != active_language()]
        self.fields["score"].widget = _ScaleSelect(fallback_values=fallback)
        self.fields["score"].choices = [("", "—"), *_scale_choices(criterion, html=False)]
        self.fields["score"].label = _with_name(gettext("Omforent karakter for %(name)s"), criterion)


class DecisionForm(PageForm):
    id_prefix = "vedtak"
    outcome = forms.ChoiceField(label=_("Utfall"), widget=forms.RadioSelect,
                                error_messages={"required": _("Velg utfall.")})  # fmt: skip
    granted_amount = AmountField(label=_("Innvilget beløp (kr)"), required=False, min_value=1)
    comment = forms.CharField(
        max_length=FREE_TEXT_MAX,
        label=_("Begrunnelse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Står i vedtaksbrevet søkeren får."),
    )

    def __init__(self, *args, outcomes=(), requested=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o.value, o.label) for o in outcomes]
        self.requested = requested
        if requested is not None:
            self.fields["granted_amount"].max_value = int(requested)

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == Outcome.APPROVE
            and not data.get("granted_amount")
            and "granted_amount" not in self.errors
        ):
            self.add_error("granted_amount", _("Skriv innvilget beløp."))
        if data.get("outcome") != Outcome.APPROVE:
            data["granted_amount"] = None
        return data


class ConflictForm(PageForm):
    NO, YES = "nei", "ja"
    conflict = forms.ChoiceField(
        label=_("Er du inhabil?"),
        choices=[
            (NO, _("Nei, jeg er ikke inhabil og kan vurdere søknaden")),
            (YES, _("Ja, jeg er inhabil")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Svar på om du er inhabil.")},
    )
    note = forms.CharField(
        max_length=FREE_TEXT_MAX,
        label=_("Hvorfor er du inhabil?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Påkrevd hvis du er inhabil. Saksbehandleren får beskjed."),
    )

    def clean(self):
        data = super().clean()
        if data.get("conflict") == self.YES and not (data.get("note") or "").strip():
            self.add_error("note", _("Skriv kort hvorfor du er inhabil."))
        return data


class ReviewForm(PageForm):
    """A score (radio buttons on the criterion's scale, with its labels) and a comment per
    criterion, a recommendation and an overall comment. Nothing is required here: a draft may be
    incomplete, and ``review_save(submit=True)`` says what is missing."""

    recommendation = forms.ChoiceField(label=_("Anbefaling"), choices=Recommendation.choices, required=False,
                                       widget=forms.RadioSelect)  # fmt: skip
    comment = forms.CharField(
        max_length=FREE_TEXT_MAX, label=_("Samlet vurdering"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, criteria=(), review=None, **kwargs):
        if review is not None and not args and "data" not in kwargs:
            scores = {s.criterion_id: s for s in review.scores.all()}
            initial = {"recommendation": review.recommendation, "comment": review.comment}
            for criterion_id, score in scores.items():
                initial[f"score_{criterion_id}"] = "" if score.score is None else str(score.score)
                initial[f"comment_{criterion_id}"] = score.comment
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_with_name(gettext("Karakter for %(name)s"), criterion),
                choices=_scale_choices(criterion),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(max_length=FREE_TEXT_MAX,
                label=_with_name(gettext("Kommentar til %(name)s"), criterion), required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
            )  # fmt: skip

    def rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, tuple[int | None, str]]:
        data = self.cleaned_data
        return {c.pk: (data.get(f"score_{c.pk}"), data.get(f"comment_{c.pk}", "")) for c in self.criteria}


class OfferAnswerForm(PageForm):
    ACCEPT, DECLINE = "aksepter", "takk-nei"
    answer = forms.ChoiceField(
        label=_("Svar på tilbudet"),
        choices=[(ACCEPT, _("Vi aksepterer tilbudet")), (DECLINE, _("Vi takker nei til tilbudet"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg om dere aksepterer eller takker nei.")},
    )
    reason = forms.CharField(
        max_length=FREE_TEXT_MAX,
        label=_("Hvorfor takker dere nei?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Påkrevd hvis dere takker nei."),
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == self.DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Skriv hvorfor dere takker nei."))
        return data


class ReportForm(DesignsystemetMixin, forms.Form):
    """One open report's form; its ids carry the report's number (several on one page)."""

    text = forms.CharField(
        max_length=REPORT_TEXT_MAX,
        label=_("Rapport"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Skriv rapporten.")},
    )
    file = forms.FileField(
        label=_("Vedlegg (valgfritt)"),
        required=False,
        help_text=_("PDF eller Word (.docx), høyst 20 MB."),
        error_messages={"empty": _("Filen er tom (0 byte).")},
    )

    def __init__(self, *args, report, benefits=(), **kwargs):
        kwargs.setdefault("auto_id", f"rapport{report.pk}_%s")
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx"
        # The benefits report states what was realised of each expected benefit.
        self.benefits = list(benefits) if report.kind == report.Kind.BENEFITS else []
        for benefit in self.benefits:
            self.fields[f"gevinst_{benefit.pk}"] = forms.CharField(
                max_length=100,
                label=gettext("Realisert: %(indicator)s (mål %(target)s)")
                % {"indicator": benefit.indicator, "target": benefit.target},
                error_messages={"required": gettext("Skriv hva som er oppnådd.")},
            )
            self.fields[f"gevinst_{benefit.pk}"].widget.attrs["class"] = "ds-input"
            self.fields[f"gevinst_{benefit.pk}_kommentar"] = forms.CharField(
                max_length=FREE_TEXT_MAX, required=False, label=gettext("Kommentar (valgfritt)"),
                widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
            )  # fmt: skip

    def benefit_fields(self):
        return [(self[f"gevinst_{b.pk}"], self[f"gevinst_{b.pk}_kommentar"]) for b in self.benefits]

    def realised(self) -> dict[int, tuple[str, str]]:
        """Expected benefit id → (realised value, comment), from the cleaned form."""
        data = self.cleaned_data
        return {b.pk: (data[f"gevinst_{b.pk}"], data.get(f"gevinst_{b.pk}_kommentar", "")) for b in self.benefits}
