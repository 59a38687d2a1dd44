from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
    actions = ["delete_selected"]

    @admin.display(description=_("nimi"), ordering="name_fi")
    def name(self, region: Region) -> str:
        return region.name

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "successors":
            field.label_from_instance = lambda region: region.label  # county or maakunta
        return field

    def _refuse_regions_with_negotiations(self, request: HttpRequest, regions) -> bool:
        """Tell the admin which regions cannot be deleted; True when there were any.

        The database refuses too (PROTECT), but this says why in the admin's language.
        """
        in_use = regions.annotate(count=Count("negotiations")).filter(count__gt=0)
        for region in in_use:
            message = ngettext(
                "Aluetta %(region)s ei voi poistaa, koska sillä on %(count)d neuvottelu. "
                "Lakkautetun alueen voi merkitä päättyneeksi Voimassa asti -kentällä.",
                "Aluetta %(region)s ei voi poistaa, koska sillä on %(count)d neuvottelua. "
                "Lakkautetun alueen voi merkitä päättyneeksi Voimassa asti -kentällä.",
                region.count,
            ) % {"region": region.name, "count": region.count}
            self.message_user(request, message, messages.ERROR)
        return bool(in_use)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None) -> HttpResponse:
        regions = Region.objects.filter(pk=unquote(object_id))
        if self._refuse_regions_with_negotiations(request, regions):
            return redirect("admin:regions_region_change", unquote(object_id))
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description=_("Poista valitut alueet"), permissions=["delete"])
    def delete_selected(self, request: HttpRequest, queryset) -> HttpResponse | None:
        if self._refuse_regions_with_negotiations(request, queryset):
            return None
        return django_delete_selected(self, request, queryset)


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
