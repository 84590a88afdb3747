from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from portal.admin_history import RelatedHistoryMixin
from portal.admin_inlines import InlineNamesMixin

from .models import IDportenIdentity, StaffRole, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class StaffRoleForm(forms.ModelForm):
    class Meta:
        model = StaffRole
        fields = ("role", "agency", "schemes")

    def clean(self):
        cleaned = super().clean()
        role, agency, schemes = cleaned.get("role"), cleaned.get("agency"), cleaned.get("schemes")
        if role == StaffRole.Role.OFFICER and agency and not schemes:
            self.add_error("schemes", _("En saksbehandler må ha minst én ordning."))
        if agency and schemes:
            foreign = list(schemes.exclude(agencies=agency).values_list("name", flat=True))
            if foreign:
                self.add_error(
                    "schemes",
                    _("%(agency)s forvalter ikke: %(schemes)s.") % {"agency": agency, "schemes": ", ".join(foreign)},
                )
        return cleaned


class StaffRoleInline(admin.TabularInline):
    """Staff roles are granted here, by an administrator, and nowhere else."""

    model = StaffRole
    form = StaffRoleForm
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("agency",)
    filter_horizontal = ("schemes",)
    readonly_fields = ("granted_by", "granted_at")


class IDportenIdentityInline(admin.TabularInline):
    """Shows whether and when a user linked ID-porten; deleting the row unlinks. Only the user links."""

    model = IDportenIdentity
    fields = ("linked_at",)
    readonly_fields = ("linked_at",)
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(InlineNamesMixin, RelatedHistoryMixin, BaseUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language")}),
        (_("Tilganger"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Datoer"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
    inlines = [StaffRoleInline, IDportenIdentityInline]
    history_related = (("accounts.StaffRole", "user"),)  # the user's own rows have no history; their roles do

    def save_formset(self, request, form, formset, change):
        if formset.model is StaffRole:
            for role in formset.save(commit=False):
                if role.pk is None:
                    role.granted_by = request.user
                role.save()
            formset.save_m2m()
            for role in formset.deleted_objects:
                role.delete()
            person = form.instance
            if not person.is_staff and person.staff_roles.filter(role=StaffRole.Role.ADMINISTRATOR).exists():
                # The agency's administrator works in the admin: the role opens it (no second tick).
                person.is_staff = True
                person.save(update_fields=["is_staff"])
            return
        super().save_formset(request, form, formset, change)
