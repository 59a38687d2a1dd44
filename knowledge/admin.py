from functools import update_wrapper

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knowledge.forms import SotkanetImportForm
from knowledge.importer import ImportSummary, import_indicator
from knowledge.models import Indicator, IndicatorValue, NationalObjective, ObjectivePeriod
from knowledge.sotkanet import SotkanetClient, SotkanetError

IMPORT_PERMISSION = "knowledge.import_indicator"


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "sotkanet_id", "producer", "unit", "direction", "licence"]
    list_display_links = ["name", "sotkanet_id"]
    list_filter = ["direction", "producer_fi", "licence"]
    search_fields = ["sotkanet_id", "name_fi", "name_sv", "name_en", "producer_fi"]
    readonly_fields = ["data_updated"]

    @admin.display(description=gettext_lazy("nimi"), ordering="name_fi")
    def name(self, indicator: Indicator) -> str:
        return indicator.name

    @admin.display(description=gettext_lazy("tuottaja"), ordering="producer_fi")
    def producer(self, indicator: Indicator) -> str:
        return indicator.producer

    @admin.display(description=gettext_lazy("yksikkö"), ordering="unit_fi")
    def unit(self, indicator: Indicator) -> str:
        return indicator.unit

    def get_urls(self):
        def wrap(view):
            def wrapper(*args, **kwargs):
                return self.admin_site.admin_view(view)(*args, **kwargs)

            wrapper.model_admin = self  # the usage log describes the admin's POSTs by this
            return update_wrapper(wrapper, view)

        return [
            path("import/", wrap(self.import_view), name="knowledge_indicator_import"),
            *super().get_urls(),
        ]

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        extra_context = {**(extra_context or {})}
        extra_context["has_import_permission"] = self.has_import_permission(request)
        return super().changelist_view(request, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Import one indicator from Sotkanet: ministry officials with the permission."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = SotkanetImportForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                with SotkanetClient() as client:
                    summary = import_indicator(
                        sotkanet_id=form.cleaned_data["sotkanet_id"],
                        years=form.years,
                        client=client,
                    )
            except SotkanetError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, import_message(summary, form.years), messages.SUCCESS)
                return redirect(reverse("admin:knowledge_indicator_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Tuo indikaattori Sotkanetista"),
            "form": form,
        }
        return TemplateResponse(request, "admin/knowledge/indicator/import.html", context)


def import_message(summary: ImportSummary, years: list[int]) -> str:
    return _(
        "Indikaattori %(id)s %(name)s tuotiin vuosilta %(first)s–%(last)s: %(added)s arvoa "
        "lisättiin, %(changed)s muuttui ja %(unchanged)s oli ennallaan; %(unmatched)s arvoa "
        "jäi pois, koska niiden alue ei ole palvelussa (esim. Ahvenanmaa)."
    ) % {
        "id": summary.indicator.sotkanet_id,
        "name": summary.indicator.name,
        "first": years[0],
        "last": years[-1],
        "added": summary.added,
        "changed": summary.changed,
        "unchanged": summary.unchanged,
        "unmatched": summary.unmatched,
    }


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator_name", "place", "year", "value"]
    list_filter = [
        "year",
        "whole_country",
        "region__kind",
        "cooperation_area",
        ("indicator", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["indicator", "region", "cooperation_area"]
    search_fields = [
        "indicator__name_fi",
        "indicator__name_sv",
        "indicator__name_en",
        "=indicator__sotkanet_id",
        "region__name_fi",
        "region__name_sv",
        "region__name_en",
        "cooperation_area__name_fi",
    ]
    autocomplete_fields = ["indicator", "region", "cooperation_area"]

    @admin.display(description=gettext_lazy("indikaattori"), ordering="indicator__name_fi")
    def indicator_name(self, value: IndicatorValue) -> str:
        return value.indicator.name

    @admin.display(description=gettext_lazy("alue"))
    def place(self, value: IndicatorValue) -> str:
        place = value.place
        return place.label if hasattr(place, "label") else str(place)


class NationalObjectiveInline(admin.StackedInline):
    model = NationalObjective
    extra = 0
    fields = [
        "order",
        "title_fi",
        "title_sv",
        "title_en",
        "text_fi",
        "text_sv",
        "text_en",
        "indicators",
        "is_example",
    ]
    filter_horizontal = ["indicators"]


@admin.register(ObjectivePeriod)
class ObjectivePeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start_year", "end_year", "objective_count"]
    search_fields = ["name_fi", "name_sv", "name_en"]
    inlines = [NationalObjectiveInline]

    @admin.display(description=gettext_lazy("nimi"), ordering="name_fi")
    def name(self, period: ObjectivePeriod) -> str:
        return period.name

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(objective_count=Count("objectives"))

    @admin.display(description=gettext_lazy("tavoitteita"), ordering="objective_count")
    def objective_count(self, period: ObjectivePeriod) -> int:
        return period.objective_count


@admin.register(NationalObjective)
class NationalObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "period", "order", "is_example"]
    list_display_links = ["title"]
    list_filter = ["period", "is_example"]
    list_select_related = ["period"]
    search_fields = ["title_fi", "title_sv", "title_en", "text_fi"]
    filter_horizontal = ["indicators"]

    @admin.display(description=gettext_lazy("lyhyt otsikko"), ordering="title_fi")
    def title(self, objective: NationalObjective) -> str:
        return objective.title
