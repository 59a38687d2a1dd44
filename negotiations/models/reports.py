"""Situation reports (tilannekuva): what a region writes before its negotiation, theme by theme."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from negotiations.models.locking import lock_row
from negotiations.models.rounds import Round, RoundTheme
from negotiations.models.schedule import Negotiation
from negotiations.models.versioning import SectionQuerySet, SectionVersion, VersionedSection
from regions.models import Region
from regions.roles import is_ministry_official


class SituationReportQuerySet(models.QuerySet):
    def for_user(self, user: User | AnonymousUser) -> "SituationReportQuerySet":
        if is_ministry_official(user):
            # Every negotiation: no subquery of them all to compile and run.
            return self.all()
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

    def is_prepared_by(self, user: User | AnonymousUser) -> bool:
        return Region.objects.prepared_by(user).filter(pk=self.negotiation.region_id).exists()

    def can_edit(self, user: User | AnonymousUser) -> bool:
        """Only the region's own preparers, only while the report is theirs to change."""
        return self.is_open and self.status in self.EDITABLE and self.is_prepared_by(user)

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

    def lock(self) -> None:
        """Lock the report's row and read its round's status as it is now."""
        lock_row(self)
        self.negotiation.round.refresh_from_db(fields=["status"])

    def require_editable(self) -> None:
        """Lock the report and refuse a change once it has been submitted (or the round no
        longer takes reports): checked where the change is written, not when the page was
        opened."""
        self.lock()
        if self.status not in self.EDITABLE or not self.is_open:
            raise ValidationError(
                _(
                    "Tilannekuva on jo lähetetty tai kierros ei enää ota vastaan tilannekuvia, "
                    "joten muutosta ei tallennettu."
                ),
                code="locked",
            )

    @transaction.atomic
    def submit(self, *, by: User) -> None:
        self.lock()
        if self.status not in self.EDITABLE:
            raise ValidationError(_("Tilannekuva on jo lähetetty."), code="already_submitted")
        if not self.is_open:
            raise ValidationError(_("Kierros ei ota vastaan tilannekuvia."), code="round_not_open")
        now = timezone.now()
        deadline = self.negotiation.round.report_deadline
        self.status = self.Status.SUBMITTED
        self.submitted_at, self.submitted_by = now, by
        self.is_late = bool(deadline and timezone.localdate(now) > deadline)
        self.save(update_fields=["status", "submitted_at", "submitted_by", "is_late"])

    @transaction.atomic
    def return_for_completion(self, *, by: User, comment: str) -> None:
        self.lock()
        if self.status == self.Status.RETURNED:
            raise ValidationError(
                _("Tilannekuva on jo palautettu täydennettäväksi."), code="already_returned"
            )
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
        self.save(update_fields=["status", "returned_at", "returned_by", "return_comment"])


class ReportSection(VersionedSection):
    """The region's answer to one theme. `version` counts saves: a save based on an older
    version than the stored one is refused, so nobody overwrites text they have not seen."""

    TEXT_FIELDS = ("text",)
    # Autosave's columns: the page cache counts their updates apart (pagecache.triggers).
    TEXTS_COUNTED_APART = (*TEXT_FIELDS, "version", "updated_at", "updated_by")

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

    objects = SectionQuerySet.as_manager()

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

    def lock_document(self) -> bool:
        self.report.lock()
        return self.report.status in SituationReport.EDITABLE and self.report.is_open

    def after_save(self, by) -> None:
        self.report.mark_started()


class ReportSectionVersion(SectionVersion):
    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="versions")
    text = models.TextField(blank=True)

    class Meta(SectionVersion.Meta):
        constraints = [
            models.UniqueConstraint(fields=["section", "version"], name="section_version_unique"),
        ]


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
