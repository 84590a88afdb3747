from django.contrib import admin

from portal.admin_inlines import InlineNamesMixin

from .models import County, Membership, Municipality, Organisation


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "region")
    list_filter = ("region",)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "county")
    list_filter = ("county",)
    list_select_related = ("county",)
    search_fields = ("number", "name")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(InlineNamesMixin, admin.ModelAdmin):
    list_display = ("name", "org_number", "kind", "municipality", "county", "is_funding_agency")
    list_filter = ("kind", "is_funding_agency")
    list_select_related = ("municipality", "county")
    search_fields = ("name", "org_number")
    autocomplete_fields = ("municipality",)
    inlines = [MembershipInline]
