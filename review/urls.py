from .views import case, result, reviewer

urlpatterns = [*case.urlpatterns, *reviewer.urlpatterns, *result.urlpatterns]
