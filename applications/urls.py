from .views import benefits, drafting, parts, submission

urlpatterns = [*drafting.urlpatterns, *parts.urlpatterns, *submission.urlpatterns, *benefits.urlpatterns]
