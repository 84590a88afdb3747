from django.urls import path

from . import views

urlpatterns = [
    path("organisasjoner/<str:org_number>/", views.organisation_detail, name="organisation-detail"),
    path("organisasjoner/<str:org_number>/inviter/", views.organisation_invite, name="organisation-invite"),
    path(
        "organisasjoner/<str:org_number>/medlemmer/<int:membership_id>/",
        views.membership_update,
        name="membership-update",
    ),
    path(
        "organisasjoner/<str:org_number>/invitasjoner/<int:invitation_id>/trekk-tilbake/",
        views.organisation_invitation_revoke,
        name="invitation-revoke",
    ),
    path("invitasjon/<str:token>/", views.invitation_respond, name="invitation-accept"),
    path("min-side/invitasjoner/<int:invitation_id>/", views.my_invitation_respond, name="my-invitation-respond"),
]
