"""Reads of schemes, calls and the rules in force."""

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import add, and_, or_

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, ExpressionWrapper, IntegerField, Prefetch, QuerySet, Value, When
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone

from organisations.models import Organisation
from portal.textsearch import contains_word, parse_query

from .eligibility import Rule, merge_rules, rules_from_json
from .filters import SchemeFilter
from .models import AssessmentCriterion, Call, CallStage, CallStatus, RuleSetVersion, Scheme, Theme
from .search import SEARCH_COLUMNS


@dataclass(frozen=True)
class EffectiveRules:
    """The rules that apply, and the versions they came from (recorded with every evaluation)."""

    rules: tuple[Rule, ...]
    scheme_version: RuleSetVersion | None
    call_version: RuleSetVersion | None

    @property
    def versions(self) -> dict[str, int | None]:
        return {
            "scheme_rules_version": self.scheme_version.version if self.scheme_version else None,
            "call_rules_version": self.call_version.version if self.call_version else None,
        }


def current_rule_version(*, scheme: Scheme | None = None, call: Call | None = None) -> RuleSetVersion | None:
    """The newest version of the scheme's rules, or of the call's overrides (None if never set)."""
    owner = {"scheme": scheme} if scheme is not None else {"call": call}
    return RuleSetVersion.objects.filter(**owner).order_by("-version").first()


def effective_rules(*, scheme: Scheme, call: Call | None = None) -> EffectiveRules:
    """The scheme's current rules with the call's current overrides merged in (a call's rule
    replaces the scheme's rule of the same identity; other call rules are added)."""
    scheme_version, call_version = current_rule_versions(scheme=scheme, call=call)
    return effective_rules_of(scheme_version=scheme_version, call_version=call_version)


def current_rule_versions(
    *, scheme: Scheme, call: Call | None = None
) -> tuple[RuleSetVersion | None, RuleSetVersion | None]:
    """``current_rule_version`` of the scheme and of the call, in one query (each owner's newest,
    as a subquery): the submit and the check read them on every request. Written out rather than
    composed with ``Subquery``: building that query cost the submit more CPU than running it."""
    table = connection.ops.quote_name(RuleSetVersion._meta.db_table)
    newest = "(SELECT id FROM {table} WHERE {owner} = %s ORDER BY version DESC LIMIT 1)"
    sql = "SELECT * FROM {table} WHERE id = {scheme} OR id = {call}".format(  # noqa: S608 - names, not values
        table=table,
        scheme=newest.format(table=table, owner="scheme_id"),
        call=newest.format(table=table, owner="call_id"),
    )
    found = list(RuleSetVersion.objects.raw(sql, [scheme.pk, call.pk if call is not None else None]))
    scheme_version = next((v for v in found if v.scheme_id is not None), None)
    call_version = next((v for v in found if v.call_id is not None), None)
    return scheme_version, call_version


def effective_rules_of(*, scheme_version: RuleSetVersion | None, call_version: RuleSetVersion | None) -> EffectiveRules:
    """The merge itself, from versions already loaded (the check loads them in bulk)."""
    rules = merge_rules(
        scheme_rules=rules_from_json(data=scheme_version.rules) if scheme_version else (),
        call_rules=rules_from_json(data=call_version.rules) if call_version else (),
    )
    return EffectiveRules(rules=rules, scheme_version=scheme_version, call_version=call_version)


# --- The public catalogue ---------------------------------------------------------------------
CATALOGUE_PAGE_SIZE = 20


def scheme_search(*, queryset: QuerySet[Scheme], query: str) -> QuerySet[Scheme]:
    """Schemes matching every word of ``query`` and none of its «-words» (``textsearch.parse_query``;
    Norwegian and English stemming, so inflected, definite and plural forms match), best first:
    each word counts by the strongest place it is found (``search.SEARCH_COLUMNS``: name, short
    description, description with call titles, themes and goals, call descriptions), then by name.
    Plain ``LIKE`` on the stored documents: the same hits in the same order on PostgreSQL and SQLite."""
    parsed = parse_query(query)
    if not parsed.required and not parsed.excluded:  # empty, or only punctuation
        return queryset
    for stems in parsed.excluded:
        queryset = queryset.exclude(reduce(or_, (contains_word(column, stems) for column in SEARCH_COLUMNS)))
    if not parsed.required:
        return queryset
    found, rank = [], []
    for stems in parsed.required:
        places = [(contains_word(column, stems), weight) for column, weight in SEARCH_COLUMNS.items()]
        found.append(reduce(or_, (place for place, _weight in places)))
        rank.append(Case(*(When(place, then=Value(weight)) for place, weight in places), default=Value(0)))
    return (
        queryset.filter(reduce(and_, found))
        .annotate(search_rank=ExpressionWrapper(reduce(add, rank), output_field=IntegerField()))
        .order_by("-search_rank", "name", "pk")
    )


@dataclass(frozen=True)
class CataloguePage:
    filterset: SchemeFilter
    page: Page
    now: datetime

    @property
    def count(self) -> int:
        return self.page.paginator.count


def _current_calls(now: datetime) -> Prefetch:
    """Calls still to come or open, soonest deadline first (what a catalogue entry shows)."""
    calls = Call.objects.filter(closes_at__gt=now).order_by("closes_at", "pk")
    fields = ("id", "scheme_id", "title", "title_nn", "title_en", "slug", "opens_at", "closes_at")
    return Prefetch("calls", queryset=calls.only(*fields, "min_amount", "max_amount"), to_attr="current_calls")


def scheme_catalogue(
    *, data: QueryDict, page_number: str | int | None = 1, now: datetime | None = None
) -> CataloguePage:
    """One page of the catalogue for the filters in ``data`` (invalid values are left out, and the
    form carries their errors). A constant number of queries, whatever the page shows.

    The filters and the search run once, for the ids in order (the count is their number), so a
    separate COUNT does not scan the search documents again. Then only the page's schemes are
    fetched, with what the list shows.
    """
    now = now or timezone.now()
    filterset = SchemeFilter(data=data, queryset=Scheme.objects.all(), now=now)
    schemes = filterset.qs.order_by("-is_active", "name", "pk")
    schemes = scheme_search(queryset=schemes, query=filterset.cleaned.get("q") or "")
    page = Paginator(list(schemes.values_list("pk", flat=True)), CATALOGUE_PAGE_SIZE).get_page(page_number)
    rows = Scheme.objects.filter(pk__in=page.object_list).only(
        "id", "slug", "is_active", "name", "name_nn", "name_en",
        "short_description", "short_description_nn", "short_description_en",
    ).prefetch_related(
        Prefetch("agencies", queryset=Organisation.objects.only("id", "name", "org_number")),
        Prefetch("themes", queryset=Theme.objects.all()),
        _current_calls(now),
    ).in_bulk()  # fmt: skip
    page.object_list = [rows[pk] for pk in page.object_list]
    for scheme in page.object_list:
        scheme.call_status, scheme.next_call = _catalogue_status(scheme.current_calls, now=now)
    return CataloguePage(filterset=filterset, page=page, now=now)


def _catalogue_status(current_calls: list[Call], *, now: datetime) -> tuple[str | None, Call | None]:
    """A scheme is open if one of its calls is, else upcoming if one is to come, else closed;
    the call shown is the open one closing first, else the next to open."""
    open_calls = [call for call in current_calls if call.opens_at <= now]
    if open_calls:
        return CallStatus.OPEN, open_calls[0]
    if current_calls:
        return CallStatus.UPCOMING, min(current_calls, key=lambda call: call.opens_at)
    return CallStatus.CLOSED, None


def scheme_public_detail(*, slug: str) -> Scheme:
    """A scheme with everything its public page shows (archived ones too); Http404 if unknown."""
    calls = Call.objects.order_by("-closes_at", "pk").prefetch_related(
        Prefetch("stages", queryset=CallStage.objects.order_by("order")),
        Prefetch("criteria", queryset=AssessmentCriterion.objects.order_by("order", "pk")),
    )
    schemes = Scheme.objects.prefetch_related(
        Prefetch("agencies", queryset=Organisation.objects.only("id", "name", "org_number")),
        "themes",
        "sdgs",
        Prefetch("calls", queryset=calls),
    )
    return get_object_or_404(schemes, slug=slug)


def call_in_focus(*, calls: list[Call], now: datetime) -> Call | None:
    """The call whose rules apply now (the scheme page, the check): the open one closing first,
    else the next to open, else none (the scheme's own rules). Ties go to the older call."""
    open_calls = [c for c in calls if c.opens_at <= now < c.closes_at]
    if open_calls:
        return min(open_calls, key=lambda c: (c.closes_at, c.pk))
    upcoming = [c for c in calls if c.opens_at > now]
    return min(upcoming, key=lambda c: (c.opens_at, c.pk)) if upcoming else None


def calls_for_feeds(*, filterset: SchemeFilter, current_only: bool) -> QuerySet[Call]:
    """Calls of the schemes the (valid) filters select, themselves matching the call filters
    (status, amount), soonest deadline first. ``current_only``: open and upcoming calls only."""
    schemes = scheme_search(queryset=filterset.qs, query=filterset.cleaned.get("q") or "")
    calls = Call.objects.filter(scheme__in=schemes.order_by().values("pk")).filter(filterset.call_conditions())
    if current_only:
        calls = calls.filter(closes_at__gt=filterset.now)
    return calls.select_related("scheme").order_by("closes_at", "pk")
