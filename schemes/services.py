"""Writes to schemes, calls and their rules."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import OrganisationKind

from .eligibility import Rule, rules_from_json, rules_to_json
from .models import Call, RuleSetVersion, Scheme, SchemeApplicantKind, SustainableDevelopmentGoal, Theme
from .search import scheme_search_columns


def open_calls_affected(*, scheme: Scheme | None = None, call: Call | None = None) -> list[Call]:
    """Calls that are open now and whose rules a change would alter."""
    calls = Call.objects.open() if call is None else Call.objects.open().filter(pk=call.pk)
    if scheme is not None:
        calls = calls.filter(scheme=scheme)
    return list(calls.select_related("scheme"))


@transaction.atomic
def ruleset_update(
    *,
    rules: list[Rule] | tuple[Rule, ...],
    reason: str,
    by_user,
    scheme: Scheme | None = None,
    call: Call | None = None,
    confirm_open_calls: bool = False,
) -> RuleSetVersion:
    """Write a new version of a scheme's rules (or a call's overrides). The old versions stay.

    When a call the change affects is open, the change must be confirmed (``confirm_open_calls``):
    applicants may be drafting against the current rules. Versions are numbered under a lock on
    the owner row, so two administrators saving at once get versions n+1 and n+2, never a clash.
    """
    if (scheme is None) == (call is None):
        raise ValueError("Give exactly one of scheme and call.")
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor reglene endres. Det vises i historikken.")})
    owner_model, owner = (Scheme, scheme) if scheme is not None else (Call, call)
    owner_model.objects.select_for_update().get(pk=owner.pk)
    open_calls = open_calls_affected(scheme=scheme, call=call)
    if open_calls and not confirm_open_calls:
        names = ", ".join(str(c.title) for c in open_calls)
        raise ValidationError(
            {"confirm_open_calls": _("Utlysningen er åpen nå (%(calls)s). Søkere kan ha begynt etter reglene som "
                                     "gjelder. Bekreft at reglene skal endres likevel.") % {"calls": names}}
        )  # fmt: skip
    field = "scheme" if scheme is not None else "call"
    latest = RuleSetVersion.objects.filter(**{field: owner}).aggregate(n=Max("version"))["n"] or 0
    version = RuleSetVersion(
        **{field: owner},
        version=latest + 1,
        rules=rules_to_json(rules=rules),
        reason=reason.strip(),
        created_by=by_user,
        created_at=timezone.now(),
    )
    version.full_clean()
    version.save()
    if scheme is not None:
        scheme_applicant_kinds_refresh(scheme=scheme, rules=rules)
    return version


def applicant_kinds_admitted(*, rules: tuple[Rule, ...] | list[Rule]) -> frozenset[OrganisationKind] | None:
    """The organisation kinds the rules admit (those every ``applicant-kind`` rule allows), or None
    when no rule limits the kind: the scheme is open to all."""
    kinds = None
    for rule in rules:
        if rule.type.key == "applicant-kind":
            kinds = rule.params.kinds if kinds is None else kinds & rule.params.kinds
    return kinds


@transaction.atomic
def scheme_applicant_kinds_refresh(
    *, scheme: Scheme, rules: tuple[Rule, ...] | list[Rule] | None = None
) -> frozenset[OrganisationKind] | None:
    """Rewrite the scheme's denormalised «who may apply» rows (``SchemeApplicantKind``, what the
    catalogue filters on) from its current rule version. No rows means no kind rule: open to all
    kinds (also for a scheme whose rules were never written).

    Call this whenever a scheme's rules change; ``ruleset_update`` does. Idempotent, so calling it
    again (the rule editor, a repair command) is harmless. ``rules`` are the current version's,
    when the caller has just written them; otherwise they are read.
    """
    if rules is None:
        latest = RuleSetVersion.objects.filter(scheme=scheme).order_by("-version").first()
        rules = rules_from_json(data=latest.rules) if latest else ()
    kinds = applicant_kinds_admitted(rules=rules)
    SchemeApplicantKind.objects.filter(scheme=scheme).delete()
    SchemeApplicantKind.objects.bulk_create(
        [SchemeApplicantKind(scheme=scheme, kind=kind) for kind in sorted(kinds or ())]
    )
    return kinds


def _texts(*fields: str) -> list[str]:
    return [f"{field}{suffix}" for field in fields for suffix in ("", "_nn", "_en")]


def scheme_search_refresh(*, scheme: Scheme | int) -> None:
    """Rewrite the scheme's stored search documents (what the catalogue's search matches) from its
    texts, themes and goals and its calls' titles and descriptions, as they are in the database now.

    Call this after saving a scheme (with its themes and goals) or a call, after a call is deleted
    or moved to another scheme (for both schemes), and for every scheme of a theme or goal that is
    renamed; the admin and the seed do. Idempotent; four queries."""
    pk = scheme if isinstance(scheme, int) else scheme.pk
    columns = scheme_search_columns(
        scheme=Scheme.objects.only(*_texts("name", "short_description", "description")).get(pk=pk),
        calls=Call.objects.filter(scheme_id=pk).only(*_texts("title", "description")).order_by("pk"),
        themes=Theme.objects.filter(schemes=pk).only(*_texts("name")),
        goals=SustainableDevelopmentGoal.objects.filter(schemes=pk).only(*_texts("name")),
    )
    Scheme.objects.filter(pk=pk).update(**columns)
    if isinstance(scheme, Scheme):
        for column, document in columns.items():
            setattr(scheme, column, document)


def schemes_search_refresh(*, schemes) -> None:
    """``scheme_search_refresh`` for each of ``schemes`` (a queryset or ids), for example every
    scheme of a renamed theme."""
    for pk in sorted({scheme if isinstance(scheme, int) else scheme.pk for scheme in schemes}):
        scheme_search_refresh(scheme=pk)
