from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NegotiationsConfig(AppConfig):
    name = "negotiations"
    verbose_name = _("Ohjausneuvottelut")

    def ready(self) -> None:
        # The empty choice of a select: Django 6.1's "- Select an option -" is not in its
        # Finnish or Swedish catalogue yet, so the label is ours (Django's documented hook).
        # Forms build their choices when imported, so this comes before the admin modules
        # (and the forms they import) are loaded: settings use SimpleAdminConfig, and the
        # admin is discovered here.
        from django.contrib import admin
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("— valitse —")
        admin.autodiscover()
