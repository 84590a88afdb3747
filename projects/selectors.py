"""Reads of the project bank: the filtered, searched, sorted page of funded projects and one project."""

from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from organisations.models import Organisation
from portal.textsearch import contains_word, parse_query

from .filters import SORTS, ProjectFilter
from .models import Project

PAGE_SIZE = 20
LIST_FIELDS = (
    "id", "title", "summary", "year", "status", "amount_granted", "public_summary", "redacted_summary",
    "public_place", "redacted_place", "organisation__id", "organisation__name", "scheme__id", "scheme__slug",
    "scheme__name", "scheme__name_nn", "scheme__name_en", "municipality__number", "municipality__name",
    "county__number", "county__name",
)  # fmt: skip


def project_search(*, queryset: QuerySet[Project], query: str) -> QuerySet[Project]:
    """Projects whose title or public summary holds every word of ``query`` (stemmed, Norwegian and
    English, ``portal.textsearch``) and none of its «-words»."""
    parsed = parse_query(query)
    for stems in parsed.excluded:
        queryset = queryset.exclude(contains_word("search_document", stems))
    if parsed.required:
        queryset = queryset.filter(reduce(and_, (contains_word("search_document", s) for s in parsed.required)))
    return queryset


@dataclass(frozen=True)
class BankPage:
    filterset: ProjectFilter
    page: Page

    @property
    def count(self) -> int:
        return self.page.paginator.count


def project_bank_queryset(filterset: ProjectFilter) -> QuerySet[Project]:
    """The funded projects ``filterset`` selects (an invalid field is left out; the form shows its
    error), searched and sorted as its ``q`` and ``sorter`` say."""
    queryset = filterset.qs
    cleaned = getattr(filterset.form, "cleaned_data", {}) if filterset.is_bound else {}
    queryset = project_search(queryset=queryset, query=cleaned.get("q") or "")
    order = SORTS.get(cleaned.get("sorter") or "nyeste", SORTS["nyeste"])
    return queryset.order_by(*order)  # no DISTINCT: every filter keeps one row per project (filters.py)


def project_filterset(data) -> ProjectFilter:
    base = Project.objects.funded().select_related("organisation", "scheme", "municipality", "county")
    return ProjectFilter(data or None, queryset=base)


def project_bank(*, data, page_number) -> BankPage:
    filterset = project_filterset(data)
    queryset = project_bank_queryset(filterset).only(*LIST_FIELDS)
    page = Paginator(queryset, PAGE_SIZE).get_page(page_number)
    return BankPage(filterset=filterset, page=page)


def project_benefits(project: Project) -> list:
    """The expected benefits of a funded project's application, each with ``realisation`` (the
    newest reported value, or None); empty when the public may not see results (two queries)."""
    if not project.application_id or not project.shows("results"):
        return []
    from applications.models import ExpectedBenefit
    from review.models import RealisedBenefit

    newest = Prefetch(
        "realisations",
        queryset=RealisedBenefit.objects.filter(report__submitted_at__isnull=False).order_by("-report__submitted_at"),
        to_attr="reported",
    )
    benefits = list(ExpectedBenefit.objects.filter(application_id=project.application_id).prefetch_related(newest))
    for benefit in benefits:
        benefit.realisation = benefit.reported[0] if benefit.reported else None
    return benefits


def project_public_detail(*, pk: int) -> Project:
    """A funded project as the public sees it (the template hides what ``Project.shows`` hides)."""
    partners = Prefetch("partners", queryset=Organisation.objects.only("id", "name").order_by("name"))
    project = (
        Project.objects.funded()
        .select_related("organisation", "scheme", "call", "municipality", "county")
        .prefetch_related(partners, "sdgs", "themes")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    return project


def project_for_redaction(*, pk: int) -> Project:
    """Any project (funded or imported as refused), with its scheme for the permission check."""
    project = Project.objects.select_related("scheme", "organisation").filter(pk=pk).first()
    if project is None:
        raise Http404
    return project
