"""Rounds and their themes: what the ministry plans before the negotiations."""

import uuid

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from negotiations.models.locking import lock_row
from regions.localized import Localized, LocalizedMixin, language_code
from regions.models import Region
from regions.roles import is_ministry_official


class Ministry(models.TextChoices):
    STM = "STM", _("sosiaali- ja terveysministeriö (STM)")
    VM = "VM", _("valtiovarainministeriö (VM)")
    SM = "SM", _("sisäministeriö (SM)")
    TEM = "TEM", _("työ- ja elinkeinoministeriö (TEM)")
    OKM = "OKM", _("opetus- ja kulttuuriministeriö (OKM)")


def question_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class Theme(LocalizedMixin, models.Model):
    """Teema: a subject of the negotiations, kept in a catalogue and chosen per round."""

    code = models.SlugField(_("tunnus"), max_length=50, unique=True)
    title_fi = models.CharField(_("otsikko suomeksi"), max_length=200)
    title_sv = models.CharField(_("otsikko ruotsiksi"), max_length=200)
    title_en = models.CharField(_("otsikko englanniksi"), max_length=200)
    description_fi = models.TextField(_("kuvaus suomeksi"), blank=True)
    description_sv = models.TextField(_("kuvaus ruotsiksi"), blank=True)
    description_en = models.TextField(_("kuvaus englanniksi"), blank=True)
    guiding_questions_fi = models.TextField(
        _("ohjaavat kysymykset suomeksi"), blank=True, help_text=_("Yksi kysymys riviä kohti.")
    )
    guiding_questions_sv = models.TextField(
        _("ohjaavat kysymykset ruotsiksi"), blank=True, help_text=_("Yksi kysymys riviä kohti.")
    )
    guiding_questions_en = models.TextField(
        _("ohjaavat kysymykset englanniksi"), blank=True, help_text=_("Yksi kysymys riviä kohti.")
    )
    is_active = models.BooleanField(
        _("käytössä"),
        default=True,
        help_text=_("Vain käytössä olevia teemoja voi valita kierrokselle."),
    )

    title = Localized()
    description = Localized()

    class Meta:
        ordering = ["title_fi"]
        verbose_name = _("teema")
        verbose_name_plural = _("teemat")

    def __str__(self) -> str:
        return self.title

    @property
    def guiding_questions(self) -> list[str]:
        return question_lines(self.localized("guiding_questions"))


class RoundQuerySet(models.QuerySet):
    def for_user(self, user: User | AnonymousUser) -> "RoundQuerySet":
        """Ministry officials see every round; others the rounds their visible regions are in."""
        from negotiations.models.schedule import Negotiation

        if is_ministry_official(user):
            return self.all()
        regions = Region.objects.for_user(user)
        return self.filter(pk__in=Negotiation.objects.filter(region__in=regions).values("round_id"))

    def with_negotiation_count(self) -> "RoundQuerySet":
        # Meta.ordering does not apply to aggregating queries, so order explicitly.
        return self.annotate(negotiation_count=models.Count("negotiations")).order_by(
            *self.model._meta.ordering
        )


class Round(LocalizedMixin, models.Model):
    """Neuvottelukierros: one yearly cycle of negotiations, e.g. the autumn 2018 sote talks."""

    class Kind(models.TextChoices):
        SIMULATION = "simulation", _("harjoitusneuvottelut")
        SOTE_TALKS = "sote-talks", _("sote-neuvottelut")
        REGIONAL_DISCUSSIONS = "regional-discussions", _("aluekeskustelut")
        COUNTY_NEGOTIATIONS = "county-negotiations", _("hyvinvointialueneuvottelut")

    class Status(models.TextChoices):
        PLANNING = "planning", _("suunnittelussa")
        OPEN_FOR_REPORTS = "open-for-reports", _("auki tilannekuville")
        NEGOTIATING = "negotiating", _("neuvottelut käynnissä")
        CLOSED = "closed", _("päättynyt")

    # The status moves forward one step at a time.
    NEXT_STATUS = {
        Status.PLANNING: Status.OPEN_FOR_REPORTS,
        Status.OPEN_FOR_REPORTS: Status.NEGOTIATING,
        Status.NEGOTIATING: Status.CLOSED,
    }

    name_fi = models.CharField(_("nimi suomeksi"), max_length=200)
    name_sv = models.CharField(_("nimi ruotsiksi"), max_length=200)
    name_en = models.CharField(_("nimi englanniksi"), max_length=200, blank=True)
    kind = models.CharField(_("tyyppi"), max_length=30, choices=Kind.choices)
    status = models.CharField(
        _("tila"), max_length=20, choices=Status.choices, default=Status.PLANNING
    )
    period_start = models.DateField(_("neuvottelukausi alkaa"))
    period_end = models.DateField(_("neuvottelukausi päättyy"))
    report_deadline = models.DateField(_("tilannekuvien määräpäivä"), null=True, blank=True)
    lead_ministry = models.CharField(
        _("johtava ministeriö"), max_length=10, choices=Ministry.choices, default=Ministry.STM
    )
    ministries = models.JSONField(
        _("osallistuvat ministeriöt"),
        default=list,
        blank=True,
        help_text=_("Ministeriöiden lyhenteet, esim. STM, VM, SM."),
    )
    allows_region_theme = models.BooleanField(
        _("aluekohtainen teema sallittu"),
        default=False,
        help_text=_("Jokainen alue voi lisätä neuvotteluunsa oman teeman."),
    )
    calendar_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    themes = models.ManyToManyField(
        Theme, through="RoundTheme", related_name="rounds", verbose_name=_("teemat"), blank=True
    )
    objective_period = models.ForeignKey(
        "knowledge.ObjectivePeriod",
        verbose_name=_("valtakunnallisten tavoitteiden kausi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        help_text=_("Kausi, jonka valtakunnallisia tavoitteita kierroksella seurataan."),
    )

    name = Localized()

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "pk"]
        verbose_name = _("neuvottelukierros")
        verbose_name_plural = _("neuvottelukierrokset")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="round_period_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def year(self) -> int:
        return self.period_start.year

    @property
    def next_status(self) -> str | None:
        return self.NEXT_STATUS.get(self.status)

    def ministry_labels(self) -> list[str]:
        return [Ministry(code).label for code in self.ministries if code in Ministry.values]

    @transaction.atomic
    def advance_status(self, to: str) -> None:
        """Move the round one step on: planning → open for reports → negotiating → closed."""
        lock_row(self)
        if to == self.status:
            raise ValidationError(
                _("Kierros on jo tilassa ”%(status)s”.") % {"status": self.get_status_display()},
                code="already_done",
            )
        if to != self.next_status:
            raise ValidationError(
                _("Kierroksen tilaa ei voi muuttaa tilasta ”%(current)s” tilaan ”%(new)s”.")
                % {
                    "current": self.get_status_display(),
                    "new": self.Status(to).label if to in self.Status.values else to,
                },
                code="invalid_transition",
            )
        self.status = to
        self.save(update_fields=["status"])


class RoundTheme(models.Model):
    """A theme chosen for a round, in order, with the guiding questions for this round."""

    round = models.ForeignKey(
        Round, verbose_name=_("kierros"), on_delete=models.CASCADE, related_name="round_themes"
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("teema"), on_delete=models.PROTECT, related_name="round_themes"
    )
    position = models.PositiveSmallIntegerField(_("järjestys"), default=0)
    guiding_questions_fi = models.TextField(
        _("ohjaavat kysymykset suomeksi"),
        blank=True,
        help_text=_("Yksi kysymys riviä kohti. Tyhjä: teemaluettelon kysymykset."),
    )
    guiding_questions_sv = models.TextField(
        _("ohjaavat kysymykset ruotsiksi"),
        blank=True,
        help_text=_("Yksi kysymys riviä kohti. Tyhjä: teemaluettelon kysymykset."),
    )
    objectives = models.ManyToManyField(
        "knowledge.NationalObjective",
        verbose_name=_("valtakunnalliset tavoitteet"),
        related_name="round_themes",
        blank=True,
    )
    indicators = models.ManyToManyField(
        "knowledge.Indicator",
        verbose_name=_("indikaattorit"),
        related_name="round_themes",
        blank=True,
        help_text=_("Alueen luvut näistä indikaattoreista näytetään teeman yhteydessä."),
    )

    class Meta:
        ordering = ["round", "position", "pk"]
        verbose_name = _("kierroksen teema")
        verbose_name_plural = _("kierroksen teemat")
        constraints = [
            models.UniqueConstraint(fields=["round", "theme"], name="round_theme_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.theme}"

    @property
    def guiding_questions(self) -> list[str]:
        """This round's questions in the active language, else the catalogue's."""
        own = getattr(self, f"guiding_questions_{language_code()}", "") or self.guiding_questions_fi
        return question_lines(own) or self.theme.guiding_questions
