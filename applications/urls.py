from .views import drafting, parts, submission

urlpatterns = [*drafting.urlpatterns, *parts.urlpatterns, *submission.urlpatterns]
