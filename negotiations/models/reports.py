"""Situation reports (tilannekuva): what a region writes before its negotiation, theme by theme."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from negotiations.models.rounds import Round, RoundTheme
from negotiations.models.schedule import Negotiation
from negotiations.models.versioning import save_new_version
from regions.models import Region


class SituationReportQuerySet(models.QuerySet):
    def for_user(self, user: User | AnonymousUser) -> "SituationReportQuerySet":
        return self.filter(negotiation__in=Negotiation.objects.for_user(user))

    def submitted(self) -> "SituationReportQuerySet":
        return self.filter(status=SituationReport.Status.SUBMITTED)


class SituationReport(models.Model):
    """One per negotiation; the region writes it, the ministry reads it and may return it."""

    class Status(models.TextChoices):
        NOT_STARTED = "not-started", _("ei aloitettu")
        DRAFT = "draft", _("luonnos")
        SUBMITTED = "submitted", _("lähetetty")
        RETURNED = "returned", _("palautettu täydennettäväksi")

    EDITABLE = (Status.NOT_STARTED, Status.DRAFT, Status.RETURNED)
    OPEN_ROUND_STATUSES = (Round.Status.OPEN_FOR_REPORTS, Round.Status.NEGOTIATING)

    negotiation = models.OneToOneField(
        Negotiation, verbose_name=_("neuvottelu"), on_delete=models.CASCADE, related_name="report"
    )
    status = models.CharField(
        _("tila"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    submitted_at = models.DateTimeField(_("lähetetty"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lähettäjä"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_late = models.BooleanField(_("myöhässä"), default=False)
    returned_at = models.DateTimeField(_("palautettu"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("palauttaja"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_comment = models.TextField(_("palautuksen perustelu"), blank=True)

    objects = SituationReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("tilannekuva")
        verbose_name_plural = _("tilannekuvat")

    def __str__(self) -> str:
        return str(self.negotiation)

    @property
    def round(self) -> Round:
        return self.negotiation.round

    @property
    def is_open(self) -> bool:
        """The round takes reports: open for reports, or negotiations under way."""
        return self.negotiation.round.status in self.OPEN_ROUND_STATUSES

    def can_edit(self, user: User | AnonymousUser) -> bool:
        """Only the region's own preparers, only while the report is theirs to change."""
        return (
            self.is_open
            and self.status in self.EDITABLE
            and Region.objects.prepared_by(user).filter(pk=self.negotiation.region_id).exists()
        )

    def ensure_sections(self) -> None:
        """One section per theme of the round, and one for the region's own theme if any."""
        round_themes = self.negotiation.round.round_themes.values_list("pk", flat=True)
        existing = set(self.sections.values_list("round_theme_id", flat=True))
        missing = [ReportSection(report=self, round_theme_id=pk) for pk in round_themes]
        if self.negotiation.region_theme_title and None not in existing:
            missing.append(ReportSection(report=self, round_theme=None))
        ReportSection.objects.bulk_create(
            [section for section in missing if section.round_theme_id not in existing]
        )

    def mark_started(self) -> None:
        if self.status == self.Status.NOT_STARTED:
            self.status = self.Status.DRAFT
            self.save(update_fields=["status"])

    def submit(self, *, by: User) -> None:
        if self.status not in self.EDITABLE:
            raise ValidationError(_("Tilannekuva on jo lähetetty."), code="already_submitted")
        if not self.is_open:
            raise ValidationError(_("Kierros ei ota vastaan tilannekuvia."), code="round_not_open")
        now = timezone.now()
        deadline = self.negotiation.round.report_deadline
        self.status = self.Status.SUBMITTED
        self.submitted_at, self.submitted_by = now, by
        self.is_late = bool(deadline and timezone.localdate(now) > deadline)
        self.save()

    def return_for_completion(self, *, by: User, comment: str) -> None:
        if self.status != self.Status.SUBMITTED:
            raise ValidationError(
                _("Vain lähetetyn tilannekuvan voi palauttaa täydennettäväksi."),
                code="not_submitted",
            )
        if not comment.strip():
            raise ValidationError(
                {"comment": _("Kerro alueelle, mitä tilannekuvaan pitää täydentää.")}
            )
        self.status = self.Status.RETURNED
        self.returned_at, self.returned_by, self.return_comment = timezone.now(), by, comment
        self.save()


class ReportSection(models.Model):
    """The region's answer to one theme. `version` counts saves: a save based on an older
    version than the stored one is refused, so nobody overwrites text they have not seen."""

    report = models.ForeignKey(
        SituationReport,
        verbose_name=_("tilannekuva"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    round_theme = models.ForeignKey(
        RoundTheme,
        verbose_name=_("teema"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_sections",
        help_text=_("Tyhjä: alueen oma teema."),
    )
    text = models.TextField(_("vastaus"), blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["report", F("round_theme__position").asc(nulls_last=True), "pk"]
        verbose_name = _("tilannekuvan osio")
        verbose_name_plural = _("tilannekuvan osiot")
        constraints = [
            models.UniqueConstraint(fields=["report", "round_theme"], name="one_section_per_theme"),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(round_theme__isnull=True),
                name="one_region_theme_section",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.round_theme_id is None:
            return self.report.negotiation.region_theme_title
        return self.round_theme.theme.title

    @property
    def guiding_questions(self) -> list[str]:
        if self.round_theme_id is None:
            return self.report.negotiation.region_theme_question_list
        return self.round_theme.guiding_questions

    def save_text(self, *, text: str, base_version: int, by: User) -> bool:
        """Store a new version unless someone saved since `base_version`; False on conflict."""
        return save_new_version(
            self, texts={"text": text}, fields=("text",), base_version=base_version, by=by
        )


class ReportSectionVersion(models.Model):
    """Every saved version of a section, with its author and time."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["section", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["section", "version"], name="section_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.section} v{self.version}"


def attachment_path(instance: "ReportAttachment", filename: str) -> str:
    # A generated name: the original name is kept in the database, never used as a path.
    suffix = PurePath(filename).suffix.lower()
    return f"reports/{instance.report_id}/{uuid.uuid4().hex}{suffix}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        SituationReport, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("tiedoston nimi"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("liite")
        verbose_name_plural = _("liitteet")

    def __str__(self) -> str:
        return self.original_name


def assessment_path(instance: "Assessment", filename: str) -> str:
    return f"assessments/{instance.negotiation_id}/{uuid.uuid4().hex}.pdf"


class Assessment(models.Model):
    """THL's expert assessment of the region for the round: a link, a PDF, or both."""

    negotiation = models.OneToOneField(
        Negotiation, on_delete=models.CASCADE, related_name="assessment"
    )
    title = models.CharField(_("otsikko"), max_length=300, blank=True)
    url = models.URLField(_("linkki"), max_length=500, blank=True)
    file = models.FileField(_("tiedosto"), upload_to=assessment_path, blank=True, max_length=200)
    original_name = models.CharField(max_length=255, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("THL:n asiantuntija-arvio")
        verbose_name_plural = _("THL:n asiantuntija-arviot")
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="assessment_has_link_or_file"
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.negotiation)
