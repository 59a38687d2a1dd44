"""Negotiation records (neuvottelumuistio): their sections, attendance, comments and log.
The follow-up actions agreed in them are in `negotiations.models.actions`."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from negotiations.models.locking import lock_row
from negotiations.models.rounds import RoundTheme
from negotiations.models.schedule import Negotiation, Participant
from negotiations.models.versioning import SectionQuerySet, SectionVersion, VersionedSection
from regions.roles import is_ministry_official

if TYPE_CHECKING:
    from negotiations.models.actions import FollowUpAction


class RecordQuerySet(models.QuerySet):
    def for_user(self, user: User | AnonymousUser) -> "RecordQuerySet":
        """The records of the negotiations the user sees; a region never sees a draft (the
        ministry's work in progress) until it is sent to the region for comments."""
        if is_ministry_official(user):
            # Every negotiation: no subquery of them all to compile and run.
            return self.all()
        records = self.filter(negotiation__in=Negotiation.objects.for_user(user))
        return records.exclude(status=Record.Status.DRAFT)

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
        indexes = [
            # The few records in one status (with the regions for comments: the ministry's
            # home page), found without reading every record and its comments.
            models.Index(fields=["status"], name="record_status"),
        ]

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
    # Autosave's columns: the page cache counts their updates apart (pagecache.triggers).
    TEXTS_COUNTED_APART = (*TEXT_FIELDS, "version", "updated_at", "updated_by")

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
        kind = self.kind
        return self.title_of(
            kind,
            theme_title=self.round_theme.theme.title if kind == self.Kind.THEME else "",
            region_theme_title=(
                self.record.negotiation.region_theme_title if kind == self.Kind.REGION_THEME else ""
            ),
        )

    @classmethod
    def title_of(cls, kind: str, *, theme_title: str, region_theme_title: str) -> str:
        """A section's title from its kind and the titles it may take: the theme's, the
        region's own theme's, or the kind's name (for sections read as values)."""
        if kind == cls.Kind.THEME:
            return theme_title
        if kind == cls.Kind.REGION_THEME:
            return region_theme_title
        return str(cls.Kind(kind).label).capitalize()

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
