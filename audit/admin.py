"""The usage log in the admin: read, searched and exported, never changed or deleted."""

import csv

from django.contrib import admin
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import UsageEntry
from negotiations.views.actions import csv_cell


class _Echo:
    """A file-like object for csv.writer that hands each row back for streaming."""

    def write(self, value: str) -> str:
        return value


@admin.register(UsageEntry)
class UsageEntryAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "username",
        "kind",
        "object_type",
        "object_id",
        "region",
        "ip_address",
        "status_code",
        "path",
    ]
    list_filter = ["kind", "object_type", "region"]
    list_select_related = ["region"]
    search_fields = ["username", "=object_id", "=ip_address", "path", "url_name", "detail"]
    search_help_text = _(
        "Hae käyttäjätunnuksella, kohteen tunnisteella, IP-osoitteella, verkko-osoitteen osalla "
        "tai lisätiedolla."
    )
    date_hierarchy = "at"
    readonly_fields = [field.name for field in UsageEntry._meta.fields]
    # Counting millions of rows twice per page is what makes a big log's admin slow.
    show_full_result_count = False
    list_per_page = 100
    actions = ["export_csv"]

    # Read by audit.routes: looking at the log and exporting it are logged too.
    usage_log_views = True
    usage_log_download_actions = ("export_csv",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=_("Vie valitut CSV-tiedostoon"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset) -> StreamingHttpResponse:
        """The selected entries (all that the search and filters find, with "select all") as
        CSV the way the action tracker exports: UTF-8 with a BOM, semicolons, formulas
        defused. Streamed: a log of years does not fit in memory."""
        header = [
            _("Aika"),
            _("Käyttäjätunnus"),
            _("IP-osoite"),
            _("Tapahtuma"),
            _("Kohteen tyyppi"),
            _("Kohteen tunniste"),
            _("Alue"),
            _("HTTP-metodi"),
            _("Verkko-osoite"),
            _("Näkymä"),
            _("HTTP-tila"),
            _("Lisätieto"),
        ]
        entries = queryset.select_related("region").order_by("at", "pk")

        def rows():
            writer = csv.writer(_Echo(), delimiter=";")
            yield "\ufeff" + writer.writerow([str(title) for title in header])
            for entry in entries.iterator(chunk_size=2000):
                yield writer.writerow(
                    [
                        csv_cell(str(value))
                        for value in (
                            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                            entry.username,
                            entry.ip_address or "",
                            entry.get_kind_display(),
                            entry.object_type,
                            entry.object_id,
                            entry.region.name if entry.region else "",
                            entry.method,
                            entry.path,
                            entry.url_name,
                            entry.status_code or "",
                            entry.detail,
                        )
                    ]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="kayttoloki.csv"'
        return response
