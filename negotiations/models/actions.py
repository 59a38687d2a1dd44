"""Follow-up actions (jatkotoimenpiteet) agreed in a record's theme sections, their progress
notes, and the regions' responses to the ministries' recommendations."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import (
    Count,
    ExpressionWrapper,
    IntegerField,
    JSONField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from negotiations.models.locking import lock_row
from negotiations.models.records import Record, RecordSection
from negotiations.models.reports import SituationReport
from negotiations.models.rounds import Ministry
from negotiations.models.schedule import Negotiation
from regions.localized import language_code
from regions.models import Region

# What a list of actions shows beside each: its round, region, theme and who agreed it.
ROW_RELATIONS = (
    "negotiation__round",
    "negotiation__region",
    "section__round_theme__theme",
    "created_by",
)


# The tracker's order: newest round first, then the regions (of an action, or of a record), and
# the actions of a record in its sections' order; the primary key last makes it total, so that
# pages never overlap.
NEGOTIATION_ORDER = (
    "-negotiation__round__period_start",
    "negotiation__round_id",
    "negotiation__region__kind",
    "negotiation__region__code",
)
TRACKER_ORDER = (*NEGOTIATION_ORDER, "section__order", "pk")


def notes_with_authors() -> Prefetch:
    """The actions' progress notes with their authors: one query for any number of actions."""
    return Prefetch("notes", queryset=ActionProgressNote.objects.select_related("author"))


class FollowUpActionQuerySet(models.QuerySet):
    def for_user(self, user: User | AnonymousUser) -> "FollowUpActionQuerySet":
        """Ministry officials see every action; a region its own and its predecessors', but
        not those of a record the ministry is still drafting (the region does not see the
        draft, so it does not see what is being agreed in it)."""
        return self.filter(section__record__in=Record.objects.for_user(user))

    def open(self) -> "FollowUpActionQuerySet":
        return self.filter(status__in=FollowUpAction.OPEN_STATUSES)

    def recommendations(self) -> "FollowUpActionQuerySet":
        return self.filter(kind=FollowUpAction.Kind.RECOMMENDATION)

    def agreed(self) -> "FollowUpActionQuerySet":
        return self.filter(kind=FollowUpAction.Kind.AGREED)

    def overdue(self, today=None) -> "FollowUpActionQuerySet":
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def carried_over_to(self, negotiation: Negotiation) -> "FollowUpActionQuerySet":
        """Open actions of earlier rounds agreed with this region or its predecessors
        (Uusimaa's actions of 2018 come back for the Uusimaa counties, Helsinki and HUS)."""
        lineage = Region.objects.filter(pk=negotiation.region_id).lineage_ids()
        return self.open().filter(
            negotiation__region_id__in=lineage,
            negotiation__round__period_start__lt=negotiation.round.period_start,
        )

    def as_published_in(self, record: Record) -> "FollowUpActionQuerySet":
        """The record's actions as it was published: those recorded later are not part of
        it (what `record_document` shows)."""
        actions = self.filter(section__record=record)
        if record.status == Record.Status.PUBLISHED and record.published_at:
            actions = actions.filter(created_at__lte=record.published_at)
        return actions

    def as_rows(self) -> "FollowUpActionQuerySet":
        """With what a row of a list shows beside the action (`ROW_RELATIONS`) joined."""
        return self.select_related(*ROW_RELATIONS)

    def with_notes(self) -> "FollowUpActionQuerySet":
        return self.prefetch_related(notes_with_authors())

    def filtered(
        self,
        *,
        round_id: str = "",
        region_id: str = "",
        area_code: str = "",
        theme_code: str = "",
        kind: str = "",
        responsible: str = "",
        status: str = "",
        only_open: bool = False,
        only_overdue: bool = False,
    ) -> "FollowUpActionQuerySet":
        """The actions that match every filter given ("" or False: not filtered)."""
        actions = self
        if round_id:
            actions = actions.filter(negotiation__round_id=round_id)
        if region_id:
            actions = actions.filter(negotiation__region_id=region_id)
        if area_code:
            actions = actions.filter(negotiation__region__cooperation_area__code=area_code)
        if theme_code:
            actions = actions.filter(section__round_theme__theme__code=theme_code)
        if kind:
            actions = actions.filter(kind=kind)
        if responsible:
            actions = actions.filter(responsible=responsible)
        if only_open:
            actions = actions.open()
        elif status:
            actions = actions.filter(status=status)
        if only_overdue:
            actions = actions.overdue()
        return actions

    def tracker_rows(self) -> "FollowUpActionQuerySet":
        """Everything a tracker row shows in a fixed number of queries: the related objects
        joined, the number of notes and the latest note as subqueries (no GROUP BY over the
        joins), newest round first."""
        notes = ActionProgressNote.objects.filter(action=OuterRef("pk"))
        latest = notes.order_by("-created_at", "-pk")
        responses = RecommendationResponse.objects.filter(action=OuterRef("pk")).order_by(
            "-report__negotiation__round__period_start", "-updated_at", "-pk"
        )
        return (
            self.as_rows()
            .annotate(
                latest_response=Subquery(responses.values("text")[:1]),
                note_count=Coalesce(
                    Subquery(
                        notes.order_by().values("action").annotate(n=Count("pk")).values("n"),
                        output_field=IntegerField(),
                    ),
                    0,
                ),
                latest_note_at=Subquery(latest.values("created_at")[:1]),
                **{
                    f"latest_note_{name}": Subquery(latest.values(name)[:1])
                    for name in ("kind", "text", "old", "new")
                },
                latest_note_fields=Subquery(latest.values("fields")[:1], output_field=JSONField()),
            )
            .order_by(*TRACKER_ORDER)
        )

    def counts_by_record(self) -> list[tuple[int, int]]:
        """(record pk, number of these actions in it) for every record that has any, in the
        tracker's order: what the tracker counts and finds a page's rows by, without sorting
        every action with its joins (which took most of the page's time). The records are in
        the order of their negotiations, which is their actions' (`Record.add_action` gives
        an action its record's negotiation)."""
        counts = dict(self.order_by().values_list("section__record").annotate(n=Count("pk")))
        records = (
            Record.objects.filter(pk__in=counts)
            .order_by(*NEGOTIATION_ORDER)
            .values_list("pk", flat=True)
        )
        return [(pk, counts[pk]) for pk in records]

    def tracker_page_rows(self, today: datetime.date | None = None) -> models.QuerySet:
        """What a row of the tracker page shows, as values (no model instances: the page is
        50 rows of seven models each), to be sliced to one page: the names in the active
        language, the theme's title (or the region's own theme), whether the action is
        overdue, the number of notes and the date of the latest. The CSV's `tracker_rows`
        has the rest."""
        notes = ActionProgressNote.objects.filter(action=OuterRef("pk")).order_by().values("action")
        overdue = Q(
            status__in=FollowUpAction.OPEN_STATUSES, due_date__lt=today or timezone.localdate()
        )
        return self.order_by(*TRACKER_ORDER).values(
            "pk",
            "what",
            "kind",
            "ministry",
            "responsible",
            "owner",
            "due_date",
            "status",
            region=localized("negotiation__region__name"),
            round=localized("negotiation__round__name"),
            theme=Coalesce(
                localized("section__round_theme__theme__title"),
                "negotiation__region_theme_title",
                output_field=models.CharField(),
            ),
            overdue=ExpressionWrapper(overdue, output_field=models.BooleanField()),
            note_count=Coalesce(
                Subquery(notes.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
                0,
            ),
            latest_note_at=Subquery(notes.annotate(at=Max("created_at")).values("at")),
        )


def localized(path: str) -> Coalesce:
    """The field `path` in the active language, or in Finnish where that is empty, as
    `LocalizedMixin.localized` reads it (`localized("negotiation__region__name")`)."""
    return Coalesce(
        NullIf(f"{path}_{language_code()}", Value("")),
        f"{path}_fi",
        output_field=models.CharField(),
    )


class FollowUpAction(models.Model):
    """Jatkotoimenpide: agreed in a theme section of a record, followed up round after round.

    A ministry's recommendation (toimenpidesuositus) is one too, of its own kind: it names the
    ministry that gives it, and the region answers it (`RecommendationResponse`) in its next
    situation report. It comes back round after round like any open action."""

    class Kind(models.TextChoices):
        AGREED = "agreed", _("jatkotoimenpide")
        RECOMMENDATION = "recommendation", _("toimenpidesuositus")

    class Responsible(models.TextChoices):
        MINISTRY = "ministry", _("ministeriö")
        REGION = "region", _("alue")
        THL = "thl", _("THL")
        JOINT = "joint", _("yhteisesti")

    class Status(models.TextChoices):
        AGREED = "agreed", _("sovittu")
        IN_PROGRESS = "in-progress", _("käynnissä")
        DONE = "done", _("valmis")
        CANCELLED = "cancelled", _("peruttu")

    OPEN_STATUSES = (Status.AGREED, Status.IN_PROGRESS)

    negotiation = models.ForeignKey(
        Negotiation,
        verbose_name=_("neuvottelu"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    section = models.ForeignKey(
        RecordSection,
        verbose_name=_("muistion osio"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    kind = models.CharField(_("laji"), max_length=20, choices=Kind.choices, default=Kind.AGREED)
    ministry = models.CharField(
        _("antava ministeriö"), max_length=10, choices=Ministry.choices, blank=True
    )
    what = models.TextField(_("toimenpide"))
    responsible = models.CharField(_("vastuutaho"), max_length=20, choices=Responsible.choices)
    owner = models.CharField(_("vastuuhenkilö tai -yksikkö"), max_length=200, blank=True)
    due_date = models.DateField(_("määräaika"), null=True, blank=True)
    status = models.CharField(
        _("tila"), max_length=20, choices=Status.choices, default=Status.AGREED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = FollowUpActionQuerySet.as_manager()

    class Meta:
        ordering = ["negotiation", "section", "pk"]
        verbose_name = _("jatkotoimenpide")
        verbose_name_plural = _("jatkotoimenpiteet")
        indexes = [
            # The open actions of many negotiations counted, and the overdue ones among them
            # (the home page's and the dashboard's OpenActions), from the index alone.
            models.Index(fields=["negotiation", "status", "due_date"], name="action_open_due"),
        ]
        constraints = [
            # A recommendation names the ministry that gives it; an agreed action has none.
            models.CheckConstraint(
                condition=(Q(kind="recommendation") & ~Q(ministry=""))
                | (Q(kind="agreed") & Q(ministry="")),
                name="action_ministry_only_for_recommendation",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:80]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_recommendation(self) -> bool:
        return self.kind == self.Kind.RECOMMENDATION

    @transaction.atomic
    def respond(self, *, report: SituationReport, text: str, by: User) -> "RecommendationResponse":
        """The region's response to this recommendation in its situation report, saved
        only while the report takes changes (checked on the locked report)."""
        if not self.is_recommendation:
            raise ValidationError(
                _("Vastineen voi kirjoittaa vain toimenpidesuositukseen."),
                code="not_recommendation",
            )
        report.require_editable()
        response, _created = RecommendationResponse.objects.update_or_create(
            action=self,
            report=report,
            defaults={"text": text, "updated_by": by, "updated_at": timezone.now()},
        )
        report.mark_started()
        return response

    def is_overdue(self, today=None) -> bool:
        return bool(
            self.is_open and self.due_date and self.due_date < (today or timezone.localdate())
        )

    @transaction.atomic
    def change_status(self, status: str, *, by: User) -> None:
        """Change the status and leave a dated note of it in the action's history; a repeated
        or concurrent change to the same status finds it done (checked on the locked row)."""
        if status not in self.Status.values:
            raise ValidationError(_("Tuntematon tila."), code="invalid_status")
        lock_row(self)
        if status == self.status:
            return
        old = self.status
        self.status = status
        self.save(update_fields=["status"])
        ActionProgressNote.objects.create(
            action=self, author=by, kind=ActionProgressNote.Kind.STATUS, old=old, new=status
        )

    @transaction.atomic
    def note_changes(self, fields: list[str], *, by: User) -> "ActionProgressNote":
        """A dated note of which agreed fields were changed (their names, not their texts)."""
        return ActionProgressNote.objects.create(
            action=self, author=by, kind=ActionProgressNote.Kind.CHANGED, fields=fields
        )


class ActionProgressNote(models.Model):
    """A dated note of progress on a follow-up action, by the ministry or the region.

    A note somebody writes keeps their text. The notes the service writes itself (a status
    changed, agreed fields edited) keep what happened, not a sentence: they are written out
    in the reader's language when shown (`display_text`), not in the writer's when stored.
    """

    class Kind(models.TextChoices):
        NOTE = "note", _("merkintä")
        STATUS = "status", _("tilan muutos")
        CHANGED = "changed", _("muutos")

    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("edistyminen"), blank=True)
    old = models.CharField(max_length=20, blank=True)  # STATUS: the status codes
    new = models.CharField(max_length=20, blank=True)
    fields = models.JSONField(default=list, blank=True)  # CHANGED: the field names
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "created_at", "pk"]
        verbose_name = _("edistymismerkintä")
        verbose_name_plural = _("edistymismerkinnät")

    def __str__(self) -> str:
        return self.display_text[:50]

    @property
    def display_text(self) -> str:
        """The note in the active language."""
        if self.kind == self.Kind.STATUS:
            return gettext("Tila muutettu: %(old)s → %(new)s") % {
                "old": status_label(self.old),
                "new": status_label(self.new),
            }
        if self.kind == self.Kind.CHANGED:
            labels = [field_label(name) for name in self.fields]
            return gettext("Muutettu: %(fields)s") % {"fields": ", ".join(labels)}
        return self.text


def status_label(code: str) -> str:
    return str(FollowUpAction.Status(code).label) if code in FollowUpAction.Status else code


def field_label(name: str) -> str:
    try:
        return str(FollowUpAction._meta.get_field(name).verbose_name).lower()
    except FieldDoesNotExist:
        return name


class RecommendationResponse(models.Model):
    """Vastine: the region's response to a ministry's recommendation, written by its preparer
    in the situation report of a later round (one per recommendation and report)."""

    action = models.ForeignKey(
        FollowUpAction,
        verbose_name=_("toimenpidesuositus"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    report = models.ForeignKey(
        SituationReport,
        verbose_name=_("tilannekuva"),
        on_delete=models.CASCADE,
        related_name="recommendation_responses",
    )
    text = models.TextField(_("vastine"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "report", "pk"]
        verbose_name = _("alueen vastine")
        verbose_name_plural = _("alueen vastineet")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "report"], name="recommendation_response_once_per_report"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:50]
