"""The usage log (käyttöloki) of the Information Management Act 906/2019 § 17.

Append-only: an entry is written once and never changed. The only way to remove entries is
`UsageEntry.objects.purge_before(cutoff)`, which the retention command calls.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

APPEND_ONLY = "The usage log is append-only: entries are never changed or deleted one by one."


class UsageEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied(APPEND_ONLY)

    def delete(self):
        raise PermissionDenied(APPEND_ONLY)

    def purge_before(self, cutoff) -> int:
        """Remove the entries older than `cutoff` (the retention period); their number."""
        deleted, _ = super(UsageEntryQuerySet, self.filter(at__lt=cutoff)).delete()
        return deleted


class UsageEntry(models.Model):
    """Who did what, when, from which address."""

    class Kind(models.TextChoices):
        VIEW = "view", _("katselu")
        DOWNLOAD = "download", _("lataus")
        CHANGE = "change", _("muutos")
        TRANSITION = "transition", _("tilasiirtymä")
        REFUSED = "refused", _("pääsy estetty")
        SIGN_IN = "sign-in", _("kirjautuminen")
        SIGN_IN_FAILED = "sign-in-failed", _("epäonnistunut kirjautuminen")
        SIGN_OUT = "sign-out", _("uloskirjautuminen")
        PERMISSION_CHANGE = "permission-change", _("käyttöoikeusmuutos")

    class ObjectType(models.TextChoices):
        # The objects of the app's URLs, then the admin's models that decide who sees what;
        # other admin models are stored by their label (app.model) too, without a label here.
        ROUND = "round", _("neuvottelukierros")
        NEGOTIATION = "negotiation", _("neuvottelu")
        REPORT = "report", _("tilannekuva")
        RECORD = "record", _("neuvottelumuistio")
        ACTION = "action", _("jatkotoimenpide")
        USER = "auth.user", _("käyttäjä")
        GROUP = "auth.group", _("käyttäjäryhmä")
        MEMBERSHIP = "regions.regionmembership", _("alueen valmistelija")
        REGION = "regions.region", _("alue")
        USAGE_LOG = "audit.usageentry", _("käyttöloki")

    at = models.DateTimeField(_("aika"), default=timezone.now, db_index=True)
    # The log keeps the ids of users and regions deleted later (no database constraint, no
    # cascade): an entry records what happened and is never rewritten.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("käyttäjä"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as text too: the entry must still say who it was after the user is deleted, and a
    # failed sign-in has only the username that was typed.
    username = models.CharField(_("käyttäjätunnus"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-osoite"), null=True, blank=True)
    kind = models.CharField(_("tapahtuma"), max_length=20, choices=Kind.choices)
    method = models.CharField(_("HTTP-metodi"), max_length=8, blank=True)
    path = models.CharField(_("verkko-osoite"), max_length=1000, blank=True)
    url_name = models.CharField(_("näkymä"), max_length=100, blank=True)
    object_type = models.CharField(
        _("kohteen tyyppi"), max_length=100, choices=ObjectType.choices, blank=True
    )
    object_id = models.CharField(_("kohteen tunniste"), max_length=64, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("alue"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    status_code = models.PositiveSmallIntegerField(_("HTTP-tila"), null=True, blank=True)
    detail = models.CharField(_("lisätieto"), max_length=1000, blank=True)

    objects = UsageEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("käyttölokin merkintä")
        verbose_name_plural = _("käyttöloki")
        indexes = [models.Index(fields=["object_type", "object_id"], name="usage_object")]

    def __str__(self) -> str:
        at = timezone.localtime(self.at)
        return f"{at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionDenied(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(APPEND_ONLY)


class PdfRender(models.Model):
    """One PDF drawn for a user: what `audit.throttle` counts to keep anyone from keeping the
    server busy. Only the last minute's rows are kept (each new row removes the user's older
    ones); the usage log keeps the downloads themselves."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "at"], name="pdf_render_user_at")]
        verbose_name = _("PDF-tiedoston muodostus")
        verbose_name_plural = _("PDF-tiedostojen muodostukset")

    def __str__(self) -> str:
        return f"{self.user_id} {timezone.localtime(self.at):%Y-%m-%d %H:%M:%S}"
