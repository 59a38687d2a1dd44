from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from negotiations import services
from negotiations.models import Negotiation, Round, RoundTheme, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "title_fi", "title_sv", "title_en"]

    @admin.display(description=_("otsikko"), ordering="title_fi")
    def title(self, theme: Theme) -> str:
        return theme.title


class RoundThemeInline(admin.TabularInline):
    model = RoundTheme
    extra = 0
    autocomplete_fields = ["theme"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "period_start", "period_end", "lead_ministry"]
    list_filter = ["kind", "lead_ministry"]
    search_fields = ["name_fi", "name_sv", "name_en"]
    date_hierarchy = "period_start"
    inlines = [RoundThemeInline]

    @admin.display(description=_("nimi"), ordering="name_fi")
    def name(self, round_: Round) -> str:
        return round_.name

    def save_related(self, request, form, formsets, change) -> None:
        # Themes added here get their sections in the round's reports and records, as on
        # the round's themes page.
        super().save_related(request, form, formsets, change)
        services.sync_round_documents(round_=form.instance)


@admin.register(Negotiation)
class NegotiationAdmin(admin.ModelAdmin):
    list_display = ["round", "region"]
    list_filter = ["round", "region__kind", "region__cooperation_area"]
    list_select_related = ["round", "region"]
    search_fields = ["region__name_fi", "round__name_fi"]
    autocomplete_fields = ["round", "region"]

    def save_model(self, request, obj, form, change) -> None:
        # A negotiation added here gets its record (and report) as one added to a round does.
        super().save_model(request, obj, form, change)
        services.ensure_documents(obj)
