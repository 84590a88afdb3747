"""Similar funded projects for an application (/soknader/<id>/lignende-prosjekter/): the applicant
while drafting, the officer in the case (who also sees likely duplicates). Owned by the project bank,
which sits above applications and review; their pages link here."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from applications.selectors import access_application
from review.permissions import is_officer_for

from .similarity import application_texts, likely_duplicates, similar_to_application


@require_safe
@login_required
def application_similar(request, pk):
    application = access_application(user=request.user, pk=pk)
    texts = application_texts(application)
    matches = similar_to_application(application)
    officer = is_officer_for(request.user, application)
    context = {
        "application": application,
        "matches": matches,
        "officer": officer,
        "duplicate_projects": [m for m in matches if m.likely_duplicate] if officer else [],
        "duplicate_applications": likely_duplicates(application=application, texts=texts) if officer else [],
    }
    return render(request, "projects/similar_for_application.html", context)
