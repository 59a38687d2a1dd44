"""Negotiations: one meeting of the ministry and one region in a round, and who takes part."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from negotiations.display import meeting_datetime, meeting_time
from negotiations.models.rounds import Round, question_lines
from regions.models import Region
from regions.roles import is_ministry_official

HELSINKI = ZoneInfo("Europe/Helsinki")

REGION_THEME_NOT_ALLOWED = _("Tällä kierroksella ei ole aluekohtaisia teemoja.")


def late_report(today: datetime.date) -> Q:
    """A negotiation whose report is late: submitted after the deadline, or not submitted
    although the round takes reports and its deadline has passed (no report at all is not
    submitted either)."""
    from negotiations.models.reports import SituationReport  # reports.py imports this module

    return Q(report__is_late=True) | (
        ~Q(round__status=Round.Status.PLANNING)
        & Q(round__report_deadline__lt=today)
        & ~Q(report__status=SituationReport.Status.SUBMITTED)
    )


def meetings_overlap(first, second) -> bool:
    """Both are on the same day and their times overlap (a missing time spans the day).
    Anything with `date`, `start_time` and `end_time`: negotiations, or their bookings as
    `negotiations.overlaps` reads them."""
    if first.date is None or first.date != second.date:
        return False
    start, end = first.start_time or datetime.time.min, first.end_time or datetime.time.max
    other_start = second.start_time or datetime.time.min
    other_end = second.end_time or datetime.time.max
    return start < other_end and other_start < end


class NegotiationQuerySet(models.QuerySet):
    def for_user(self, user: User | AnonymousUser) -> "NegotiationQuerySet":
        if is_ministry_official(user):
            return self.all()
        return self.filter(region__in=Region.objects.for_user(user))

    def in_round(self, round_: Round) -> "NegotiationQuerySet":
        return self.filter(round=round_)

    def scheduled(self) -> "NegotiationQuerySet":
        return self.filter(date__isnull=False)

    def filtered(
        self,
        *,
        today: datetime.date,
        area_code: str = "",
        scheduled: bool | None = None,
        report_status: str = "",
        unfinished_reports: bool = False,
        late_reports: bool = False,
        record_status: str = "",
    ) -> "NegotiationQuerySet":
        """The negotiations that match every filter given ("", None or False: not filtered).
        Of the report filters one applies: a status (not started includes no report at
        all), not yet submitted (no report either), or late (`late_report`)."""
        from negotiations.models.reports import SituationReport  # reports.py imports this module

        report = SituationReport.Status
        negotiations = self
        if area_code:
            negotiations = negotiations.filter(region__cooperation_area__code=area_code)

        if scheduled is True:
            negotiations = negotiations.filter(date__isnull=False)
        elif scheduled is False:
            negotiations = negotiations.filter(date__isnull=True)

        if report_status == report.NOT_STARTED:
            negotiations = negotiations.filter(
                Q(report__isnull=True) | Q(report__status=report.NOT_STARTED)
            )
        elif report_status:
            negotiations = negotiations.filter(report__status=report_status)
        elif unfinished_reports:
            # exclude() also keeps the negotiations that have no report at all.
            negotiations = negotiations.exclude(report__status=report.SUBMITTED)
        elif late_reports:
            negotiations = negotiations.filter(late_report(today))

        if record_status:
            negotiations = negotiations.filter(record__status=record_status)
        return negotiations

    def with_progress(self, today: datetime.date) -> "NegotiationQuerySet":
        """Each negotiation's situation report status (`report_status`, None without a
        report), whether the report is late (`report_is_late`, `late_report`) and its
        record's status (`record_status`, None without a record).

        The report and the record come from reverse one-to-ones through LEFT JOINs, so a
        missing one costs no query. `Progress.of_negotiations` counts these, and the
        dashboard names them (`negotiations.views.dashboard.dashboard_rows`).
        """
        return self.annotate(
            report_status=F("report__status"),
            record_status=F("record__status"),
            report_is_late=Case(
                When(late_report(today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )


class Negotiation(models.Model):
    """Neuvottelu: the meeting of the ministry and one region within a round.

    Date and times are wall-clock times in Europe/Helsinki, the only time zone the
    negotiations are held in.
    """

    round = models.ForeignKey(
        Round, verbose_name=_("kierros"), on_delete=models.PROTECT, related_name="negotiations"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("alue"), on_delete=models.PROTECT, related_name="negotiations"
    )
    date = models.DateField(_("päivämäärä"), null=True, blank=True)
    start_time = models.TimeField(_("alkaa"), null=True, blank=True)
    end_time = models.TimeField(_("päättyy"), null=True, blank=True)
    place = models.CharField(_("paikka"), max_length=200, blank=True)
    video_link = models.URLField(_("videoyhteyden linkki"), max_length=500, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("puheenjohtaja"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_negotiations",
    )
    # iCalendar SEQUENCE: grows every time the meeting moves, so calendars update it.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    language = models.CharField(
        _("neuvottelun kieli"),
        max_length=2,
        choices=[("fi", _("suomi")), ("sv", _("ruotsi"))],
        default="fi",
        help_text=_("Muistio kirjoitetaan ja tulostetaan tällä kielellä."),
    )
    region_theme_title = models.CharField(_("aluekohtainen teema"), max_length=200, blank=True)
    region_theme_questions = models.TextField(
        _("aluekohtaisen teeman kysymykset"), blank=True, help_text=_("Yksi kysymys riviä kohti.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = NegotiationQuerySet.as_manager()

    class Meta:
        ordering = ["round", "region__kind", "region__code"]
        verbose_name = _("neuvottelu")
        verbose_name_plural = _("neuvottelut")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "region"], name="one_negotiation_per_region_per_round"
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="negotiation_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.region}"

    @property
    def is_scheduled(self) -> bool:
        return self.date is not None

    def _at(self, time: datetime.time | None) -> datetime.datetime | None:
        if self.date is None or time is None:
            return None
        return datetime.datetime.combine(self.date, time, tzinfo=HELSINKI)

    @property
    def starts_at(self) -> datetime.datetime | None:
        return self._at(self.start_time)

    @property
    def ends_at(self) -> datetime.datetime | None:
        return self._at(self.end_time)

    @property
    def time_label(self) -> str:
        """'ke 3.2.2027 9.00–12.00', as the date filters "D j.n.Y" and "G.i" write it
        (`_negotiation_time.html`)."""
        return meeting_time(self.date, self.start_time, self.end_time)

    @property
    def time_datetime(self) -> str:
        """The machine-readable time of `<time datetime>`: '2027-02-03T09:00'."""
        return meeting_datetime(self.date, self.start_time)

    @property
    def region_theme_question_list(self) -> list[str]:
        return question_lines(self.region_theme_questions)

    def overlaps(self, other: "Negotiation") -> bool:
        return meetings_overlap(self, other)

    def add_participant(
        self,
        *,
        side: str,
        user: User | None = None,
        name: str = "",
        organisation: str = "",
        title: str = "",
    ) -> "Participant":
        """Invite a user of the service or a named external person, each only once."""
        name, organisation, title = name.strip(), organisation.strip(), title.strip()
        if user is None and not name:
            raise ValidationError(
                _("Valitse palvelun käyttäjä tai anna ulkopuolisen henkilön nimi."),
                code="no_person",
            )
        if user is not None:
            duplicate = self.participants.filter(user=user)
        else:
            duplicate = self.participants.filter(
                user__isnull=True, name__iexact=name, organisation__iexact=organisation
            )
        if duplicate.exists():
            raise ValidationError(
                {
                    "user" if user is not None else "name": ValidationError(
                        _("Henkilö on jo osallistujana."), code="duplicate"
                    )
                }
            )
        try:
            with transaction.atomic():
                return self.participants.create(
                    side=side, user=user, name=name, organisation=organisation, title=title
                )
        except IntegrityError:
            # Added by someone else a moment ago: the unique constraint caught it.
            raise ValidationError(
                {"user": ValidationError(_("Henkilö on jo osallistujana."), code="duplicate")}
            ) from None

    def set_region_theme(self, *, title: str, questions: str) -> None:
        """The region-specific theme, one question a line; only when the round allows one."""
        if not self.round.allows_region_theme:
            raise ValidationError(REGION_THEME_NOT_ALLOWED, code="region_theme_not_allowed")
        title, lines = title.strip(), question_lines(questions)
        if lines and not title:
            raise ValidationError(
                {
                    "region_theme_title": ValidationError(
                        _("Anna aluekohtaiselle teemalle otsikko."), code="required"
                    )
                }
            )
        self.region_theme_title = title
        self.region_theme_questions = "\n".join(lines)
        self.save(update_fields=["region_theme_title", "region_theme_questions", "updated_at"])


class Participant(models.Model):
    """Someone invited to a negotiation: a user of the service or a named external person."""

    class Side(models.TextChoices):
        MINISTRY = "ministry", _("ministeriö")
        REGION = "region", _("alue")
        THL = "thl", _("THL")
        OTHER = "other", _("muu")

    negotiation = models.ForeignKey(
        Negotiation,
        verbose_name=_("neuvottelu"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    side = models.CharField(_("osapuoli"), max_length=20, choices=Side.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("käyttäjä"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="negotiation_participations",
    )
    name = models.CharField(_("nimi"), max_length=200, blank=True)
    organisation = models.CharField(_("organisaatio"), max_length=200, blank=True)
    title = models.CharField(_("tehtävänimike"), max_length=200, blank=True)

    class Meta:
        ordering = ["negotiation", "side", "name", "pk"]
        verbose_name = _("osallistuja")
        verbose_name_plural = _("osallistujat")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""),
                name="participant_is_a_user_or_named",
            ),
            models.UniqueConstraint(
                fields=["negotiation", "user"],
                condition=Q(user__isnull=False),
                name="participant_user_once_per_negotiation",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return self.name
