from .views import access, case, reports, result, reviewer

urlpatterns = [*case.urlpatterns, *access.urlpatterns, *reviewer.urlpatterns, *result.urlpatterns, *reports.urlpatterns]
