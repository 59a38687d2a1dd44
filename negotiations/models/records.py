"""Negotiation records (neuvottelumuistio) and the follow-up actions agreed in them."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from negotiations.models.locking import lock_row
from negotiations.models.reports import SituationReport
from negotiations.models.rounds import Ministry, RoundTheme
from negotiations.models.schedule import Negotiation, Participant
from negotiations.models.versioning import SectionQuerySet, SectionVersion, VersionedSection
from regions.models import Region
from regions.roles import is_ministry_official


class RecordQuerySet(models.QuerySet):
    def for_user(self, user: User | AnonymousUser) -> "RecordQuerySet":
        """The records of the negotiations the user sees; a region never sees a draft (the
        ministry's work in progress) until it is sent to the region for comments."""
        records = self.filter(negotiation__in=Negotiation.objects.for_user(user))
        if not is_ministry_official(user):
            records = records.exclude(status=Record.Status.DRAFT)
        return records

    def published(self) -> "RecordQuerySet":
        return self.filter(status=Record.Status.PUBLISHED)


class Record(models.Model):
    """The ministry's record of one negotiation, theme by theme.

    draft → sent to the region for comments → (the ministry revises) → approved (locked) →
    published. Reopening an approved record needs a reason, which the event log keeps.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("luonnos")
        COMMENTS = "comments", _("alueen kommentoitavana")
        APPROVED = "approved", _("hyväksytty")
        PUBLISHED = "published", _("julkaistu")

    EDITABLE = (Status.DRAFT, Status.COMMENTS)

    negotiation = models.OneToOneField(
        Negotiation, verbose_name=_("neuvottelu"), on_delete=models.CASCADE, related_name="record"
    )
    status = models.CharField(
        _("tila"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    approved_at = models.DateTimeField(_("hyväksytty"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hyväksyjä"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("julkaistu"), null=True, blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("neuvottelumuistio")
        verbose_name_plural = _("neuvottelumuistiot")

    def __str__(self) -> str:
        return str(self.negotiation)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def ensure_sections(self) -> None:
        """Opening notes, one section per theme (and the region's own theme), closing notes."""
        existing = set(self.sections.values_list("kind", "round_theme_id"))
        kind = RecordSection.Kind
        wanted = [(kind.OPENING, None, 0)]
        wanted += [
            (kind.THEME, pk, 100 + position)
            for pk, position in self.negotiation.round.round_themes.values_list("pk", "position")
        ]
        if self.negotiation.region_theme_title:
            wanted.append((kind.REGION_THEME, None, 900))
        wanted.append((kind.CLOSING, None, 1000))
        RecordSection.objects.bulk_create(
            RecordSection(record=self, kind=section_kind, round_theme_id=pk, order=order)
            for section_kind, pk, order in wanted
            if (section_kind, pk) not in existing
        )

    def _log(self, action: str, by: User | None, reason: str = "") -> None:
        self.events.create(action=action, by=by, reason=reason)

    def _require(self, allowed: tuple, message: str) -> None:
        if self.status not in allowed:
            raise ValidationError(message, code="invalid_transition")

    def lock(self) -> None:
        lock_row(self)

    def require_editable(self, message: str | None = None) -> None:
        """Lock the record and refuse a change once it is approved: after approval the record,
        its attendance and its actions change only by reopening it with a reason."""
        self.lock()
        if not self.is_editable:
            raise ValidationError(
                message or _("Muistio on hyväksytty ja lukittu, joten muutosta ei tallennettu."),
                code="locked",
            )

    # Each step locks the record's row and checks the status on it, and writes the status and
    # its event in one transaction: a repeated or concurrent request finds the step done.

    @transaction.atomic
    def send_for_comments(self, *, by: User) -> None:
        self.lock()
        if self.status == self.Status.COMMENTS:
            raise ValidationError(
                _("Muistio on jo lähetetty alueelle kommentoitavaksi."), code="already_done"
            )
        self._require(
            (self.Status.DRAFT,), _("Vain luonnoksen voi lähettää alueelle kommentoitavaksi.")
        )
        self.status = self.Status.COMMENTS
        self.save(update_fields=["status"])
        self._log(RecordEvent.Action.SENT, by)

    @property
    def region_has_had_it(self) -> bool:
        """Whether the record was ever sent to the region for comments (the event log says;
        a reopened record goes back to draft, but the region has had it)."""
        return self.events.filter(action=RecordEvent.Action.SENT).exists()

    @transaction.atomic
    def approve(self, *, by: User, reason: str = "") -> None:
        """Approve and lock; `reason` (why approve a record the region never had) is logged."""
        self.lock()
        self._require(self.EDITABLE, _("Muistio on jo hyväksytty."))
        self.status = self.Status.APPROVED
        self.approved_at, self.approved_by = timezone.now(), by
        self.save(update_fields=["status", "approved_at", "approved_by"])
        self._log(RecordEvent.Action.APPROVED, by, reason.strip())

    @transaction.atomic
    def reopen(self, *, by: User, reason: str) -> None:
        self.lock()
        if self.is_editable:
            raise ValidationError(_("Muistio on jo avattu muokattavaksi."), code="already_done")
        self._require(
            (self.Status.APPROVED,), _("Vain hyväksytyn, julkaisemattoman muistion voi avata.")
        )
        if not reason.strip():
            raise ValidationError({"reason": _("Kerro, miksi hyväksytty muistio avataan.")})
        self.status = self.Status.DRAFT
        self.approved_at = self.approved_by = None
        self.save(update_fields=["status", "approved_at", "approved_by"])
        self._log(RecordEvent.Action.REOPENED, by, reason.strip())

    @transaction.atomic
    def publish(self, *, by: User) -> None:
        self.lock()
        if self.status == self.Status.PUBLISHED:
            raise ValidationError(_("Muistio on jo julkaistu."), code="already_done")
        self._require((self.Status.APPROVED,), _("Vain hyväksytyn muistion voi julkaista."))
        self.status = self.Status.PUBLISHED
        self.published_at = timezone.now()
        self.save(update_fields=["status", "published_at"])
        self._log(RecordEvent.Action.PUBLISHED, by)

    @transaction.atomic
    def set_attendance(self, participants) -> None:
        """Who attended, copied from the invited participants: what the record says stays as
        it was recorded, whatever later happens to the negotiation's participant list."""
        self.require_editable()
        self.attendees.all().delete()
        RecordAttendee.objects.bulk_create(
            RecordAttendee(
                record=self,
                participant=participant,
                side=participant.side,
                name=participant.display_name,
                title=participant.title,
                organisation=participant.organisation,
            )
            for participant in participants
        )

    @transaction.atomic
    def add_action(self, action: "FollowUpAction") -> None:
        """Save a new follow-up action agreed in this record, only before approval."""
        self.require_editable(
            _("Muistio on hyväksytty, joten siihen ei voi enää lisätä jatkotoimenpiteitä.")
        )
        action.negotiation_id = self.negotiation_id
        action.save()

    @transaction.atomic
    def add_comment(self, *, section: "RecordSection", by: User, text: str) -> "RecordComment":
        """The region's comment, only while the record is with it for comments."""
        self.lock()
        if self.status != self.Status.COMMENTS:
            raise ValidationError(
                _("Muistio ei ole enää alueen kommentoitavana, joten kommenttia ei tallennettu."),
                code="not_commentable",
            )
        return section.comments.create(author=by, text=text)


class RecordAttendee(models.Model):
    """Someone recorded as present: a copy of the participant at the time it was recorded."""

    record = models.ForeignKey(
        "Record", verbose_name=_("muistio"), on_delete=models.CASCADE, related_name="attendees"
    )
    # Only to tick the box again on the attendance form; the copy below is what the record says.
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    side = models.CharField(_("osapuoli"), max_length=20, choices=Participant.Side.choices)
    name = models.CharField(_("nimi"), max_length=300)
    title = models.CharField(_("tehtävänimike"), max_length=200, blank=True)
    organisation = models.CharField(_("organisaatio"), max_length=200, blank=True)

    class Meta:
        ordering = ["record", "side", "organisation", "name", "pk"]
        verbose_name = _("läsnäolija")
        verbose_name_plural = _("läsnäolijat")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.name


class RecordEvent(models.Model):
    """Who moved the record on, when, and why (a reopening always has a reason, and so has
    the approval of a record the region never had for comments)."""

    class Action(models.TextChoices):
        SENT = "sent", _("lähetetty alueelle kommentoitavaksi")
        APPROVED = "approved", _("hyväksytty")
        REOPENED = "reopened", _("avattu uudelleen")
        PUBLISHED = "published", _("julkaistu")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("tapahtuma"), max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("perustelu"), blank=True)

    class Meta:
        ordering = ["record", "at", "pk"]
        verbose_name = _("muistion tapahtuma")
        verbose_name_plural = _("muistion tapahtumat")

    def __str__(self) -> str:
        return f"{self.record}: {self.get_action_display()}"


class RecordSectionQuerySet(SectionQuerySet):
    def written(self) -> "RecordSectionQuerySet":
        """Sections with saved text, agreed actions or the region's comments."""
        return self.filter(
            Q(version__gt=0) | Q(actions__isnull=False) | Q(comments__isnull=False)
        ).distinct()

    def unwritten(self) -> "RecordSectionQuerySet":
        return self.exclude(pk__in=self.written().values("pk"))


class RecordSection(VersionedSection):
    """One part of the record. Theme sections have four texts; opening and closing notes use
    `discussion` only. `version` works as in report sections: no save overwrites a newer one."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("avaus")
        THEME = "theme", _("teema")
        REGION_THEME = "region-theme", _("aluekohtainen teema")
        CLOSING = "closing", _("päätös")

    TEXT_FIELDS = ("situation", "discussion", "challenges", "measures")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    round_theme = models.ForeignKey(
        RoundTheme, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    situation = models.TextField(_("tilanne"), blank=True)
    discussion = models.TextField(_("keskustelu"), blank=True)
    challenges = models.TextField(_("haasteet"), blank=True)
    measures = models.TextField(_("kehittämistoimet"), blank=True)
    # Opening notes first, then the themes in the round's order, the region's own theme and
    # the closing notes; kept as a number so that sections added later still fall in place.
    order = models.PositiveIntegerField(default=0)

    objects = RecordSectionQuerySet.as_manager()

    class Meta:
        ordering = ["record", "order", "pk"]
        verbose_name = _("muistion osio")
        verbose_name_plural = _("muistion osiot")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "round_theme"],
                condition=Q(round_theme__isnull=False),
                name="record_section_per_theme",
            ),
            models.UniqueConstraint(
                fields=["record", "kind"],
                condition=~Q(kind="theme"),
                name="record_section_once_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.kind == self.Kind.THEME:
            return self.round_theme.theme.title
        if self.kind == self.Kind.REGION_THEME:
            return self.record.negotiation.region_theme_title
        return str(self.get_kind_display()).capitalize()

    @property
    def is_theme(self) -> bool:
        return self.kind in (self.Kind.THEME, self.Kind.REGION_THEME)

    def lock_document(self) -> bool:
        self.record.lock()
        return self.record.is_editable


class RecordSectionVersion(SectionVersion):
    section = models.ForeignKey(RecordSection, on_delete=models.CASCADE, related_name="versions")
    situation = models.TextField(blank=True)
    discussion = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    measures = models.TextField(blank=True)

    class Meta(SectionVersion.Meta):
        constraints = [
            models.UniqueConstraint(fields=["section", "version"], name="record_version_unique"),
        ]


class RecordComment(models.Model):
    """The region's comment on a section of a record sent to it for comments."""

    section = models.ForeignKey(RecordSection, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("kommentti"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["section", "created_at", "pk"]
        verbose_name = _("kommentti")
        verbose_name_plural = _("kommentit")

    def __str__(self) -> str:
        return self.text[:50]


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
