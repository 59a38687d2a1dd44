from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from regions.models import CooperationArea, Region, RegionMembership


class RegionMembershipInline(admin.TabularInline):
    model = RegionMembership
    extra = 0
    autocomplete_fields = ["region"]


class UserMembershipInline(RegionMembershipInline):
    verbose_name = _("alue, jolle käyttäjä valmistelee")
    verbose_name_plural = _("alueet, joille käyttäjä valmistelee")


class MemberInline(RegionMembershipInline):
    autocomplete_fields = ["user"]


@admin.register(CooperationArea)
class CooperationAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "name_fi", "name_sv", "name_en"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]

    @admin.display(description=_("nimi"), ordering="name_fi")
    def name(self, area: CooperationArea) -> str:
        return area.name


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "cooperation_area", "valid_from", "valid_to"]
    list_display_links = ["name", "code"]
    list_filter = ["kind", "cooperation_area"]
    list_select_related = ["cooperation_area"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]
    filter_horizontal = ["successors"]
    inlines = [MemberInline]

    @admin.display(description=_("nimi"), ordering="name_fi")
    def name(self, region: Region) -> str:
        return region.name


@admin.register(RegionMembership)
class RegionMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "region_kind"]
    list_filter = ["region__kind", "region__cooperation_area"]
    list_select_related = ["user", "region"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "region__name_fi"]
    autocomplete_fields = ["user", "region"]

    @admin.display(description=_("tyyppi"), ordering="region__kind")
    def region_kind(self, membership: RegionMembership) -> str:
        return membership.region.get_kind_display()


admin.site.unregister(User)


@admin.register(User)
class PreparerAwareUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, UserMembershipInline]
