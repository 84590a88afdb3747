from .views import case, reports, result, reviewer

urlpatterns = [*case.urlpatterns, *reviewer.urlpatterns, *result.urlpatterns, *reports.urlpatterns]
