from django.urls import path

from . import views

urlpatterns = [
    path("min-side/varsler/", views.my_watches, name="my-watches"),
    path("min-side/varsler/folg/", views.follow, name="watch-follow"),
    path("min-side/varsler/<int:pk>/slutt-a-folge/", views.unfollow, name="watch-unfollow"),
    path("saksbehandling/planlegger/", views.staff_scheduler, name="staff-scheduler"),
    path("saksbehandling/planlegger/<int:pk>/prov-igjen/", views.staff_scheduler_retry, name="staff-scheduler-retry"),
]
