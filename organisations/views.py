from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal import throttle

from .forms import InviteForm, MembershipRoleForm, NewAccountForm
from .models import Invitation, Membership
from .permissions import can_invite, can_manage_members, invitation_is_for
from .selectors import access_organisation, organisation_members, organisation_open_invitations
from .services import (
    InvitationInvalid,
    invitation_accept,
    invitation_accept_as_new_user,
    invitation_by_token,
    invitation_create,
    invitation_decline,
    invitation_revoke,
    membership_change_role,
    membership_remove,
)

ANSVARLIG = Membership.Role.ANSVARLIG


def _render_detail(request, organisation, *, invite_form=None):
    can_manage = can_manage_members(request.user, organisation)
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "members": organisation_members(organisation=organisation),
            "invitations": organisation_open_invitations(organisation=organisation),
            "can_manage": can_manage,
            "invite_form": invite_form
            or InviteForm(may_invite_ansvarlig=can_invite(request.user, organisation, role=ANSVARLIG)),
            "role_choices": Membership.Role.choices,
        },
    )


@require_safe
@login_required
def organisation_detail(request, org_number):
    return _render_detail(request, access_organisation(user=request.user, org_number=org_number))


@require_POST
@login_required
def organisation_invite(request, org_number):
    organisation = access_organisation(user=request.user, org_number=org_number)
    form = InviteForm(request.POST, may_invite_ansvarlig=can_invite(request.user, organisation, role=ANSVARLIG))
    if form.is_valid():
        pairs = [("invite-user", str(request.user.pk)), ("invite-ip", throttle.client_ip(request))]
        if wait := throttle.hit_all(pairs):
            return throttle.throttled_response(request, wait)
        try:
            invitation = invitation_create(
                organisation=organisation,
                invited_by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Invitasjonen er sendt til %(email)s.") % {"email": invitation.email})
            return redirect("organisation-detail", org_number=organisation.org_number)
    return _render_detail(request, organisation, invite_form=form)


@require_POST
@login_required
def membership_update(request, org_number, membership_id):
    """The ansvarlig changes a member's role (action=role) or removes them (action=remove)."""
    organisation = access_organisation(user=request.user, org_number=org_number)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_id,
                                   organisation=organisation)  # fmt: skip
    try:
        if request.POST.get("action") == "remove":
            membership_remove(membership=membership, by_user=request.user)
            messages.success(request, _("%(name)s er fjernet fra organisasjonen.") % {"name": membership.user})
        else:
            form = MembershipRoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Velg en gyldig rolle."))
            membership_change_role(membership=membership, role=form.cleaned_data["role"], by_user=request.user)
            messages.success(
                request,
                _("%(name)s har nå rollen %(role)s.")
                % {"name": membership.user, "role": membership.get_role_display()},
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("organisation-detail", org_number=organisation.org_number)


@require_POST
@login_required
def organisation_invitation_revoke(request, org_number, invitation_id):
    organisation = access_organisation(user=request.user, org_number=org_number)
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation=organisation)
    invitation_revoke(invitation=invitation, by_user=request.user)
    messages.success(request, _("Invitasjonen til %(email)s er trukket tilbake.") % {"email": invitation.email})
    return redirect("organisation-detail", org_number=organisation.org_number)


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_respond(request, token):
    """The link in the e-mail. Logged in as the invited person: accept. No account yet: create one
    and join. An account exists but another person (or nobody) is logged in: log in first."""
    try:
        invitation = invitation_by_token(token=token)
    except InvitationInvalid as invalid:
        return render(request, "organisations/invitation_invalid.html", {"message": invalid.message}, status=410)

    user = request.user
    account_exists = user.is_authenticated or get_user_model().objects.filter(email__iexact=invitation.email).exists()
    new_account_form = None
    if request.method == "POST":
        membership = None
        try:
            if user.is_authenticated:
                membership = invitation_accept(invitation_id=invitation.pk, user=user)
            else:
                new_account_form = NewAccountForm(request.POST, email=invitation.email)
                if new_account_form.is_valid():
                    user, membership = invitation_accept_as_new_user(
                        invitation_id=invitation.pk,
                        full_name=new_account_form.cleaned_data["full_name"],
                        password=new_account_form.cleaned_data["password1"],
                    )
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        except InvitationInvalid as invalid:
            return render(request, "organisations/invitation_invalid.html", {"message": invalid.message}, status=410)
        if membership is not None:
            messages.success(
                request, _("Velkommen til %(organisation)s.") % {"organisation": membership.organisation.name}
            )
            return redirect("organisation-detail", org_number=membership.organisation.org_number)
    return render(
        request,
        "organisations/invitation.html",
        {
            "invitation": invitation,
            "token": token,
            "is_for_me": invitation_is_for(user, invitation),
            "account_exists": account_exists,
            "form": new_account_form or NewAccountForm(email=invitation.email),
        },
    )


@require_POST
@login_required
def my_invitation_respond(request, invitation_id):
    """Accept or decline, from Min side, an invitation sent to my own e-mail address."""
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), pk=invitation_id)
    if not invitation_is_for(request.user, invitation):
        raise Http404
    try:
        if request.POST.get("action") == "decline":
            invitation_decline(invitation_id=invitation.pk, user=request.user)
            messages.success(request, _("Du har avslått invitasjonen fra %(o)s.") % {"o": invitation.organisation.name})
            return redirect("my-page")
        membership = invitation_accept(invitation_id=invitation.pk, user=request.user)
    except InvitationInvalid as invalid:
        messages.error(request, invalid.message)
        return redirect("my-page")
    messages.success(request, _("Velkommen til %(organisation)s.") % {"organisation": membership.organisation.name})
    return redirect("organisation-detail", org_number=membership.organisation.org_number)
