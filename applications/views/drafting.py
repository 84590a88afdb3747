"""The applicant's drafting pages: start an application, its overview, a section's form (saved with
a button, or in the background with htmx), «sjekk hele søknaden», and copying into another call.

Every write goes through ``applications.services``; a view reads the clock first (``timezone.now()``),
checks permission with ``applications.permissions`` and renders. Pages work without JavaScript: the
htmx autosave posts the same form to the same URL (header ``HX-Request``) and gets a small status
fragment back instead of a redirect.
"""

import uuid
from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from organisations.models import Organisation
from portal.localized import localized
from schemes.models import Call, CallStage, CallStatus

from ..display import after_deadline, answer_text
from ..formdef import applicable_keys, problems, section_applies, section_form_class
from ..models import CallForm
from ..permissions import (
    can_edit_application,
    can_reopen_application,
    can_submit_application,
    can_withdraw_application,
    deadline_allows,
    is_applicant_ansvarlig,
    is_applicant_member,
    organisation_roles,
)
from ..selectors import access_application, application_versions
from ..services import (
    ApplicationError,
    application_copy,
    application_create,
    application_section_save,
    definition_of,
    submission_check,
)
from ..services.common import condition_facts
from ..workflow import DECISION_VISIBLE_STATES, SUBMIT, WITHDRAW, State

ELSEWHERE_URLS = {
    "partners": "application-partners",
    "budget": "application-budget",
    "attachment": "application-attachments",
}


# --- Helpers ----------------------------------------------------------------------------------------
def deadline_countdown(deadline, *, now) -> str:
    """«3 dager og 4 timer igjen», «2 timer og 5 minutter igjen», «Fristen har gått ut» (server clock)."""
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return _("Fristen har gått ut")
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = max(rest // 60, 0 if days or hours else 1)
    if days:
        big = ngettext("%(n)s dag", "%(n)s dager", days) % {"n": days}
        small = ngettext("%(n)s time", "%(n)s timer", hours) % {"n": hours} if hours else ""
    elif hours:
        big = ngettext("%(n)s time", "%(n)s timer", hours) % {"n": hours}
        small = ngettext("%(n)s minutt", "%(n)s minutter", minutes) % {"n": minutes} if minutes else ""
    else:
        big, small = ngettext("%(n)s minutt", "%(n)s minutter", minutes) % {"n": minutes}, ""
    if small:
        return _("%(big)s og %(small)s igjen") % {"big": big, "small": small}
    return _("%(big)s igjen") % {"big": big}


def _editable(user, application, *, now) -> bool:
    """The person may change the application now: a member, an editable state, before the deadline."""
    return can_edit_application(user, application) and now <= application.deadline


def _partner_names(application) -> dict[str, str]:
    rows = application.partners.select_related("organisation").only("organisation__org_number", "organisation__name")
    return {p.organisation.org_number: p.organisation.name for p in rows}


def _read_only_sections(definition, answers, partner_names, facts=None):
    """Sections and questions that apply (their conditions hold), with the answers as text."""
    applies = applicable_keys(definition, answers, facts)
    return [
        {
            "section": section,
            "answers": [
                (question, answer_text(question, answers.get(question.key), partner_names=partner_names))
                for question in section.questions
                if question.key in applies
            ],
        }
        for section in definition.sections
        if section_applies(applies, section)
    ]


def _with_pending(form, pending: dict):
    """An unbound section form showing what was typed into rejected fields (``pending_input``), with
    the reason, as if it had just been posted. The reason is found again by the field itself."""
    errors = {}
    for key, raw in pending.items():
        if key not in form.fields:
            continue
        form.initial[key] = raw
        try:
            form.fields[key].clean(raw)
        except forms.ValidationError as error:
            errors[key] = form.error_class(error.messages, renderer=form.renderer)
        else:
            errors[key] = form.error_class([_("Det du skrev her er ikke lagret ennå.")], renderer=form.renderer)
    # An unbound form has no errors of its own; these make the fields render invalid, with their
    # error linked by aria-describedby, exactly as after a POST.
    form._errors = ErrorDict(errors)
    return form


def _mark_required(form):
    """Show which questions must be answered before submission. A draft's form accepts empty
    answers (``draft=True`` makes every field optional and drops the HTML attribute); its
    validation has run already, so this changes only the labels' «(valgfritt)»."""
    for key, question in form.questions.items():
        form.fields[key].required = question.required
    return form


# --- Starting an application ------------------------------------------------------------------
class StartForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Søker"), queryset=Organisation.objects.none(), empty_label=None, widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Velg hvilken organisasjon som søker."),
                        "invalid_choice": gettext_lazy("Velg en av organisasjonene dine.")},
    )  # fmt: skip
    stage = forms.ModelChoiceField(
        label=gettext_lazy("Trinn"), queryset=CallStage.objects.none(), empty_label=None, widget=forms.RadioSelect,
        required=False,
        error_messages={"required": gettext_lazy("Velg hvilket trinn i utlysningen du søker på."),
                        "invalid_choice": gettext_lazy("Trinnet tar ikke imot søknader nå. Velg et annet.")},
    )  # fmt: skip
    creation_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, organisations, stages, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk
        if stages is None:
            del self.fields["stage"]
        else:
            self.fields["stage"].queryset = stages
            self.fields["stage"].required = True
            if len(stages) == 1:  # one choice is no choice: chosen already, so the form works without JavaScript
                self.fields["stage"].initial = stages[0].pk
            self.fields["stage"].label_from_instance = lambda stage: (
                _("%(kind)s (frist %(deadline)s)")
                % {
                    "kind": stage.get_kind_display(),
                    "deadline": _local(stage.closes_at or call.closes_at),
                }
            )


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _open_stages(call, *, now):
    """The call's stages whose deadline has not passed and that have a form (None: no stages)."""
    stages = list(call.stages.all())
    if not stages:
        return None
    with_form = set(CallForm.objects.filter(call=call, stage__isnull=False).values_list("stage_id", flat=True))
    ids = [s.pk for s in stages if s.pk in with_form and (s.closes_at or call.closes_at) > now]
    return call.stages.filter(pk__in=ids)


def _start_blocker(call, *, now, stages) -> str:
    """Why no application can be started in the call now ('' when one can)."""
    status = call.status(now=now)
    if status == CallStatus.CLOSED:
        return _("Fristen var %(deadline)s. Det kan ikke lages nye søknader til utlysningen.") % {
            "deadline": _local(call.closes_at)
        }
    if status == CallStatus.UPCOMING and not call.allows_early_drafts:
        return _("Utlysningen åpner %(opens)s. Du kan begynne på en søknad da.") % {"opens": _local(call.opens_at)}
    if stages is None and not CallForm.objects.filter(call=call, stage__isnull=True).exists():
        return _("Søknadsskjemaet for utlysningen er ikke klart ennå. Prøv igjen senere.")
    if stages is not None and not stages.exists():
        return _("Ingen av trinnene i utlysningen tar imot søknader nå.")
    return ""


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def application_start(request, call_slug):
    now = timezone.now()
    call = get_object_or_404(Call.objects.select_related("scheme"), slug=call_slug)
    organisations = Organisation.objects.filter(pk__in=list(organisation_roles(request.user))).order_by("name")
    stages = _open_stages(call, now=now)
    blocker = _start_blocker(call, now=now, stages=stages)
    form_kwargs = {"organisations": organisations, "stages": stages, "call": call}
    if request.method == "POST" and organisations:
        form = StartForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                application = application_create(
                    call=call,
                    organisation=form.cleaned_data["organisation"],
                    stage=form.cleaned_data.get("stage"),
                    by_user=request.user,
                    creation_key=form.cleaned_data["creation_key"],
                    now=now,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                return redirect("application-detail", pk=application.pk)
    else:
        form = StartForm(initial={"creation_key": uuid.uuid4()}, **form_kwargs)
    return render(
        request,
        "applications/drafting/start.html",
        {"call": call, "form": form, "blocker": blocker, "has_organisation": bool(organisations), "now": now},
    )


# --- The overview ---------------------------------------------------------------------------------
@require_http_methods(["GET", "HEAD"])
@login_required
def application_detail(request, pk):
    now = timezone.now()
    application = access_application(user=request.user, pk=pk)
    definition = definition_of(application)
    user = request.user
    editable = _editable(user, application, now=now)
    # As «sjekk hele søknaden» counts them (without the call's budget and eligibility rules, which
    # are about the whole application): a typed value never accepted, else a missing or wrong answer.
    where = {question.key: section.key for section, question in definition.questions()}
    missing = defaultdict(int)
    facts = condition_facts(application, definition)
    applies = applicable_keys(definition, application.answers, facts)
    for key in application.pending_input:
        if key in where and key in applies:
            missing[where[key]] += 1
    for problem in problems(definition, application.answers, facts):
        if problem.question_key not in application.pending_input:
            missing[problem.section_key] += 1
    sections = [
        {
            "section": section,
            "missing": missing[section.key],
            "elsewhere": [q for q in section.questions if q.type.answered_elsewhere and q.key in applies],
            "applies": section_applies(applies, section),
        }
        for section in definition.sections
    ]
    member = is_applicant_member(user, application)
    context = {
        "app": application,
        "sections": sections,
        "editable": editable,
        "countdown": deadline_countdown(application.deadline, now=now),
        "versions": list(application_versions(application=application)),
        # Buttons the deadline has made pointless are not offered; ``after_deadline`` says why.
        "can_submit": can_submit_application(user, application) and deadline_allows(application, SUBMIT, now=now),
        "can_request_approval": editable and member and not is_applicant_ansvarlig(user, application),
        "can_reopen": can_reopen_application(user, application) and now <= application.deadline,
        "can_withdraw": can_withdraw_application(user, application) and deadline_allows(application, WITHDRAW, now=now),
        "after_deadline": after_deadline(application, now=now, is_member=member),
        "can_copy": member,
        "is_member": member,
        # The decision (and a formal rejection's reasons and appeal deadline) on its own page.
        "has_result": member and application.state in RESULT_STATES,
        "read_only": None
        if editable
        else _read_only_sections(definition, application.answers, _partner_names(application), facts),
    }
    return render(request, "applications/drafting/detail.html", context)


RESULT_STATES = DECISION_VISIBLE_STATES | {State.FORMALLY_REJECTED}


# --- A section ----------------------------------------------------------------------------------
def _section_or_404(definition, key):
    try:
        return definition.section(key)
    except StopIteration:
        raise Http404 from None


def _neighbours(definition, section):
    keys = list(definition.sections)
    index = keys.index(section)
    return (keys[index - 1] if index > 0 else None, keys[index + 1] if index + 1 < len(keys) else None)


def _conflict_rows(form, theirs: dict, data) -> list[dict]:
    """For each question whose stored answer differs from what this person typed: both, as text."""
    rows = []
    for key, question in form.questions.items():
        if key in form.errors:
            mine_value = data.getlist(key) if len(data.getlist(key)) > 1 else data.get(key, "")
            mine_text = "; ".join(mine_value) if isinstance(mine_value, list) else mine_value
            mine_text = mine_text or "—"
        else:
            mine_value = question.type.answer_from_cleaned(question, form.cleaned_data.get(key))
            mine_text = answer_text(question, mine_value)
        if mine_value == theirs.get(key) or (not question.is_answered(mine_value) and theirs.get(key) is None):
            continue
        rows.append({"question": question, "theirs": answer_text(question, theirs.get(key)), "mine": mine_text})
    return rows


def _saved_text(moment) -> str:
    return _("Lagret kl. %(time)s") % {"time": time_format(timezone.localtime(moment), "H:i")}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def application_section(request, pk, section_key):
    now = timezone.now()
    application = access_application(user=request.user, pk=pk)
    definition = definition_of(application)
    section = _section_or_404(definition, section_key)
    form_class = section_form_class(section)
    editable = _editable(request.user, application, now=now)
    htmx = request.headers.get("HX-Request") == "true"
    context = {
        "app": application,
        "section": section,
        "definition": definition,
        "editable": editable,
        "neighbours": _neighbours(definition, section),
        "base_version": application.section_version(section_key),
        "countdown": deadline_countdown(application.deadline, now=now),
    }
    facts = condition_facts(application, definition)
    context["section_applies"] = section_applies(applicable_keys(definition, application.answers, facts), section)
    if request.method == "POST":
        if not is_applicant_member(request.user, application):
            raise PermissionDenied
        base = request.POST.get("base_version", "")
        base_version = int(base) if base.isdigit() else -1
        try:
            result = application_section_save(
                application_id=application.pk,
                section_key=section_key,
                data=request.POST,
                base_version=base_version,
                by_user=request.user,
                now=now,
            )
        except ApplicationError as error:
            if htmx:
                return _status_fragment(request, message=error.message, base_version=base_version, problem=True)
            # Shown with what was typed, so it can be copied somewhere safe: nothing is lost.
            form = form_class.from_answers(application.answers, data=request.POST, draft=True)
            form.is_valid()
            _hide_not_applying(form, definition, application.answers, facts)
            context.update(form=_mark_required(form), refused=error.message, editable=True, base_version=base_version)
            return render(request, "applications/drafting/section.html", context)
        if htmx:
            application.refresh_from_db(fields=["answers"])
            applies = _applying_keys(definition, section, application.answers, facts)
            return _fragment_for(request, result, base_version=base_version, applies=applies)
        if result.conflict:
            context.update(
                form=_mark_required(result.form),
                conflict={
                    "by": result.saved_by,
                    "at": result.saved_at,
                    "rows": _conflict_rows(result.form, result.theirs, request.POST),
                },
                base_version=result.version,
            )
            return render(request, "applications/drafting/section.html", context)
        if result.rejected:
            context.update(form=_mark_required(result.form), base_version=result.version)
            if result.changed:
                context["saved_text"] = _saved_text(result.saved_at)
            return render(request, "applications/drafting/section.html", context)
        if result.changed:
            messages.success(request, _saved_text(result.saved_at))
        elif result.saved_at:  # saved already (in the background): say so, with when
            messages.info(request, _("Alt er lagret. Sist lagret kl. %(time)s.")
                          % {"time": time_format(timezone.localtime(result.saved_at), "H:i")})  # fmt: skip
        else:
            messages.info(request, _("Ingen endringer å lagre."))
        return redirect(reverse("application-section", args=[application.pk, section_key]))
    if editable:
        form = form_class.from_answers(application.answers, draft=True)
        pending = {k: v for k, v in application.pending_input.items() if k in form.fields}
        form = _with_pending(form, pending) if pending else form
        _hide_not_applying(form, definition, application.answers, facts)
        context["form"] = _mark_required(form)
    else:
        blocks = _read_only_sections(definition, application.answers, _partner_names(application), facts)
        context["read_only"] = next((b for b in blocks if b["section"].key == section.key), None)
    return render(request, "applications/drafting/section.html", context)


def _hide_not_applying(form, definition, answers, facts) -> None:
    """Hide the section's questions whose conditions do not hold for ``answers``."""
    applies = applicable_keys(definition, answers, facts)
    form.hide(key for key in form.questions if key not in applies)


def _applying_keys(definition, section, answers, facts) -> list[str]:
    applies = applicable_keys(definition, answers, facts)
    return [q.key for q in section.questions if q.key in applies]


def _fragment_for(request, result, *, base_version, applies=None):
    if result.conflict:
        when = time_format(timezone.localtime(result.saved_at), "H:i") if result.saved_at else ""
        message = _(
            "%(who)s lagret denne delen kl. %(time)s. Det du har skrevet er ikke lagret: trykk «Lagre» for å se "
            "begge versjonene."
        ) % {"who": result.saved_by or _("En kollega"), "time": when}
        # The old base version stays, so that pressing Lagre shows the conflict page.
        return _status_fragment(request, message=message, base_version=base_version, problem=True)
    rejected = [
        {"label": result.form[key].label, "errors": result.form.errors[key], "id": result.form[key].id_for_label}
        for key in result.rejected
    ]
    # Nothing new to store is still «saved»: the page shows what is stored (the last save's time).
    message = _saved_text(result.saved_at) if result.saved_at else ""
    return _status_fragment(request, message=message, base_version=result.version, rejected=rejected, applies=applies)


def _status_fragment(request, *, message, base_version, rejected=(), problem=False, applies=None):
    """``applies``: the section's questions that apply after the save (the page shows and hides them)."""
    return render(
        request,
        "applications/drafting/_save_status.html",
        {"message": message, "base_version": base_version, "rejected": rejected, "problem": problem,
         "applies": applies},
    )  # fmt: skip


# --- Sjekk hele søknaden ------------------------------------------------------------------------
@require_http_methods(["GET", "HEAD"])
@login_required
def application_check(request, pk):
    application = access_application(user=request.user, pk=pk)
    definition = definition_of(application)
    check = submission_check(application)
    questions = {q.key: q for _s, q in definition.questions()}
    grouped = {section.key: {"section": section, "items": []} for section in definition.sections}
    general = []
    for item in check.items:
        question = questions.get(item.question_key)
        entry = {"item": item, "question": question, "anchor": _anchor(question)}
        if item.section_key in grouped:
            grouped[item.section_key]["items"].append(entry)
        else:
            general.append(entry)
    return render(
        request,
        "applications/drafting/check.html",
        {
            "app": application,
            "groups": [g for g in grouped.values() if g["items"]],
            "general": general,
            "all_clear": not check.items,
            "warnings": check.warnings,
            "officer_items": check.officer_items,
        },
    )


def _anchor(question) -> str:
    """The id of a question's input on its section page (a choice group's first choice)."""
    if question is None:
        return ""
    if question.type.key in {"yes-no", "single-choice", "multiple-choice"}:
        return f"id_{question.key}_0"
    return f"id_{question.key}"


# --- Copying --------------------------------------------------------------------------------------
def copy_targets(*, now):
    """Forms of calls that take new applications now (open, or upcoming with early drafts), one per
    (call, stage) whose deadline has not passed."""
    from django.db.models import Q

    forms_ = (
        CallForm.objects.filter(Q(call__opens_at__lte=now) | Q(call__allows_early_drafts=True), call__closes_at__gt=now)
        .select_related("call__scheme", "stage")
        .order_by("call__closes_at", "call__title", "stage__order")
    )
    return [f for f in forms_ if f.stage is None or (f.stage.closes_at or f.call.closes_at) > now]


class CopyForm(forms.Form):
    target = forms.TypedChoiceField(label=gettext_lazy("Kopier til"), coerce=int, widget=forms.RadioSelect)
    creation_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {t.pk: t for t in targets}
        self.fields["target"].choices = [(t.pk, _target_label(t)) for t in targets]


def _target_label(call_form) -> str:
    call = call_form.call
    deadline = call_form.stage.closes_at if call_form.stage and call_form.stage.closes_at else call.closes_at
    title = localized(call, "title")
    name = f"{title} – {call_form.stage.get_kind_display()}" if call_form.stage else title
    return _("%(name)s (frist %(deadline)s)") % {"name": name, "deadline": _local(deadline)}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def application_copy_view(request, pk):
    now = timezone.now()
    source = access_application(user=request.user, pk=pk)
    if not is_applicant_member(request.user, source):
        raise PermissionDenied
    targets = copy_targets(now=now)
    if request.method == "POST":
        form = CopyForm(request.POST, targets=targets)
        if form.is_valid():
            target = form.targets[form.cleaned_data["target"]]
            try:
                copy = application_copy(
                    source=source,
                    call=target.call,
                    stage=target.stage,
                    by_user=request.user,
                    creation_key=form.cleaned_data["creation_key"],
                    now=now,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Søknaden er kopiert. Dette er den nye søknaden."))
                return redirect("application-detail", pk=copy.pk)
    else:
        form = CopyForm(initial={"creation_key": uuid.uuid4()}, targets=targets)
    return render(request, "applications/drafting/copy.html", {"app": source, "form": form, "targets": targets})


urlpatterns = [
    path("soknader/ny/<slug:call_slug>/", application_start, name="application-start"),
    path("soknader/<int:pk>/", application_detail, name="application-detail"),
    path("soknader/<int:pk>/del/<slug:section_key>/", application_section, name="application-section"),
    path("soknader/<int:pk>/sjekk/", application_check, name="application-check"),
    path("soknader/<int:pk>/kopier/", application_copy_view, name="application-copy"),
]
