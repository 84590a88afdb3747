"""The public project bank: /prosjekter/ (filters, search, sort, pages; a plain GET form) and
/prosjekter/<id>/."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .selectors import project_bank, project_public_detail


@require_safe
def bank(request):
    result = project_bank(data=request.GET, page_number=request.GET.get("side"))
    context = {"form": result.filterset.form, "page": result.page, "count": result.count}
    return render(request, "projects/bank.html", context)


@require_safe
def project_detail(request, pk):
    project = project_public_detail(pk=pk)
    return render(request, "projects/detail.html", {"project": project, "shows": project.public_parts})
