"""The knowledge base (tietopohja): indicators and their values per place and year.

A value belongs to exactly one place: a region (a county, Helsinki, HUS or a maakunta of
2018), a cooperation area, or the whole country. Regions and cooperation areas are different
models in `regions`, and the whole country is neither, so a value has two nullable foreign
keys and a flag, and the database checks that exactly one of them is set.
"""

from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, When, Window
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from regions.localized import Localized, LocalizedMixin
from regions.models import CooperationArea, Region

# The counties ranked against each other: the 21 wellbeing services counties and Helsinki,
# which organises the same services (HUS and the maakunnat of 2018 are not among them).
RANKED_KINDS = (Region.Kind.COUNTY, Region.Kind.CITY)


class WholeCountry:
    """The place of a figure for all of Finland, for `IndicatorValueQuerySet.at()`."""

    def __str__(self) -> str:
        return str(_("Koko maa"))


WHOLE_COUNTRY = WholeCountry()
Place = Region | CooperationArea | WholeCountry


class Indicator(LocalizedMixin, models.Model):
    """An indicator of THL's Sotkanet, e.g. 127 "Väestö 31.12."."""

    class Direction(models.TextChoices):
        HIGHER_IS_BETTER = "higher", _("suurempi arvo on parempi")
        LOWER_IS_BETTER = "lower", _("pienempi arvo on parempi")
        NEITHER = "neither", _("ei paremmuussuuntaa")

    sotkanet_id = models.PositiveIntegerField(_("Sotkanet-tunnus"), unique=True)
    name_fi = models.CharField(_("nimi suomeksi"), max_length=500)
    name_sv = models.CharField(_("nimi ruotsiksi"), max_length=500, blank=True)
    name_en = models.CharField(_("nimi englanniksi"), max_length=500, blank=True)
    description_fi = models.TextField(_("kuvaus suomeksi"), blank=True)
    description_sv = models.TextField(_("kuvaus ruotsiksi"), blank=True)
    description_en = models.TextField(_("kuvaus englanniksi"), blank=True)
    unit_fi = models.CharField(_("yksikkö suomeksi"), max_length=100, blank=True)
    unit_sv = models.CharField(_("yksikkö ruotsiksi"), max_length=100, blank=True)
    unit_en = models.CharField(_("yksikkö englanniksi"), max_length=100, blank=True)
    decimals = models.PositiveSmallIntegerField(_("desimaaleja"), default=0)
    direction = models.CharField(
        _("suunta"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.NEITHER,
        help_text=_("Sotkanet ei kerro tätä: ministeriö päättää tulkinnasta."),
    )
    producer_fi = models.CharField(_("tuottaja suomeksi"), max_length=200, blank=True)
    producer_sv = models.CharField(_("tuottaja ruotsiksi"), max_length=200, blank=True)
    producer_en = models.CharField(_("tuottaja englanniksi"), max_length=200, blank=True)
    licence = models.CharField(
        _("lisenssi"),
        max_length=200,
        blank=True,
        help_text=_("Esim. CC BY 4.0; muiden kuin THL:n ehdot vaihtelevat."),
    )
    source_fi = models.TextField(_("lähdeviite suomeksi"), blank=True)
    source_sv = models.TextField(_("lähdeviite ruotsiksi"), blank=True)
    source_en = models.TextField(_("lähdeviite englanniksi"), blank=True)
    data_updated = models.DateField(_("tiedot päivitetty Sotkanetissa"), null=True, blank=True)

    name = Localized()
    description = Localized()
    unit = Localized()
    producer = Localized()
    source = Localized()

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("indikaattori")
        verbose_name_plural = _("indikaattorit")
        permissions = [("import_indicator", _("Voi tuoda indikaattoreita Sotkanetista"))]

    def __str__(self) -> str:
        return f"{self.name} ({self.sotkanet_id})"


class IndicatorValueQuerySet(models.QuerySet):
    """Reads of indicator values; chain them, e.g.
    `IndicatorValue.objects.for_indicator(i).at(region).between(2019, 2024)`."""

    def state(self) -> tuple:
        """What changes whenever one of these values is added, changed or removed: how many
        there are, the newest id and the latest `updated_at` (set on every save, by the
        importer's updates too). A cache of figures keeps its entries under it."""
        state = self.order_by().aggregate(
            count=Count("pk"), newest=models.Max("pk"), updated=models.Max("updated_at")
        )
        return (state["count"], state["newest"], state["updated"])

    def for_indicator(self, indicator: Indicator) -> "IndicatorValueQuerySet":
        return self.filter(indicator=indicator)

    def in_year(self, year: int) -> "IndicatorValueQuerySet":
        return self.filter(year=year)

    def between(self, first: int, last: int) -> "IndicatorValueQuerySet":
        """Values of the years first..last (both included), oldest first: a time series."""
        return self.filter(year__gte=first, year__lte=last).order_by("year")

    def at(self, place: Place) -> "IndicatorValueQuerySet":
        """Values of one place: a region, a cooperation area or `WHOLE_COUNTRY`."""
        if isinstance(place, Region):
            return self.filter(region=place)
        if isinstance(place, CooperationArea):
            return self.filter(cooperation_area=place)
        if isinstance(place, WholeCountry):
            return self.filter(whole_country=True)
        raise TypeError(f"Not a place: {place!r}")

    def for_country(self) -> "IndicatorValueQuerySet":
        return self.filter(whole_country=True)

    def for_areas(self) -> "IndicatorValueQuerySet":
        return self.filter(cooperation_area__isnull=False)

    def counties(self) -> "IndicatorValueQuerySet":
        """Values of the counties and Helsinki, the places that are ranked together."""
        return self.filter(region__kind__in=RANKED_KINDS)

    def newest(self) -> "IndicatorValue | None":
        """The newest value of this queryset (filter it to one indicator and place first)."""
        return self.order_by("-year").first()

    def newest_per_place(self) -> "IndicatorValueQuerySet":
        """Of each indicator at each place, only the value of its newest year: one query for
        the latest figures of many indicators and places."""
        newest_year = Window(
            models.Max("year"),
            partition_by=[F("indicator"), F("region"), F("cooperation_area"), F("whole_country")],
        )
        return self.annotate(newest_year=newest_year).filter(year=F("newest_year"))

    def ranked_counties(self) -> "IndicatorValueQuerySet":
        """The counties' values, each with its `rank` among the counties of the same indicator
        and year: 1 is the best where the indicator has a direction, else the largest value;
        equal values share a rank. The rank is a subquery of each row, not a window, so that
        it stays the rank among all counties when the rows are filtered further (one county,
        a cooperation area's counties)."""
        peers = IndicatorValue.objects.counties().filter(
            indicator=OuterRef("indicator"), year=OuterRef("year")
        )

        def count(rows: models.QuerySet) -> Coalesce:
            counted = rows.order_by().values("indicator").annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(counted), 0)

        better = Case(
            When(
                indicator__direction=Indicator.Direction.LOWER_IS_BETTER,
                then=count(peers.filter(value__lt=OuterRef("value"))),
            ),
            default=count(peers.filter(value__gt=OuterRef("value"))),
        )
        return (
            self.counties()
            .annotate(rank=better + 1)
            .order_by("indicator", "year", "rank", "region__name_fi")
        )


class IndicatorValue(models.Model):
    """One figure: an indicator's value at one place in one year."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikaattori"), on_delete=models.CASCADE, related_name="values"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("alue"),
        on_delete=models.PROTECT,
        related_name="indicator_values",
        null=True,
        blank=True,
    )
    cooperation_area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("yhteistyöalue"),
        on_delete=models.PROTECT,
        related_name="indicator_values",
        null=True,
        blank=True,
    )
    whole_country = models.BooleanField(_("koko maa"), default=False)
    year = models.PositiveSmallIntegerField(_("vuosi"))
    value = models.DecimalField(_("arvo"), max_digits=20, decimal_places=6)
    updated_at = models.DateTimeField(_("tallennettu"), auto_now=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("indikaattorin arvo")
        verbose_name_plural = _("indikaattorien arvot")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(region__isnull=False, cooperation_area__isnull=True, whole_country=False)
                    | Q(region__isnull=True, cooperation_area__isnull=False, whole_country=False)
                    | Q(region__isnull=True, cooperation_area__isnull=True, whole_country=True)
                ),
                name="indicator_value_has_one_place",
            ),
            models.UniqueConstraint(
                fields=["indicator", "region", "year"],
                condition=Q(region__isnull=False),
                name="indicator_value_unique_per_region_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "cooperation_area", "year"],
                condition=Q(cooperation_area__isnull=False),
                name="indicator_value_unique_per_area_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(whole_country=True),
                name="indicator_value_unique_per_country_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}, {self.place}, {self.year}: {self.value}"

    @property
    def place(self) -> Place:
        if self.whole_country:
            return WHOLE_COUNTRY
        return self.region or self.cooperation_area


class ObjectivePeriod(LocalizedMixin, models.Model):
    """A period of the national objectives (valtakunnalliset tavoitteet), set by the
    Government for four years (e.g. 2024–2027); a round names the period it follows."""

    start_year = models.PositiveSmallIntegerField(_("alkuvuosi"))
    end_year = models.PositiveSmallIntegerField(_("loppuvuosi"))
    name_fi = models.CharField(_("nimi suomeksi"), max_length=200)
    name_sv = models.CharField(_("nimi ruotsiksi"), max_length=200, blank=True)
    name_en = models.CharField(_("nimi englanniksi"), max_length=200, blank=True)

    name = Localized()

    class Meta:
        ordering = ["-start_year", "pk"]
        verbose_name = _("tavoitekausi")
        verbose_name_plural = _("tavoitekaudet")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="objective_period_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["start_year", "end_year"], name="objective_period_unique_years"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_year}–{self.end_year})"


class NationalObjective(LocalizedMixin, models.Model):
    """One national objective of a period, and the indicators that measure it.

    `is_example` marks text that is not the Government's official wording (the demo's):
    every page that shows the objective says so."""

    period = models.ForeignKey(
        ObjectivePeriod,
        verbose_name=_("tavoitekausi"),
        on_delete=models.CASCADE,
        related_name="objectives",
    )
    title_fi = models.CharField(_("lyhyt otsikko suomeksi"), max_length=200)
    title_sv = models.CharField(_("lyhyt otsikko ruotsiksi"), max_length=200, blank=True)
    title_en = models.CharField(_("lyhyt otsikko englanniksi"), max_length=200, blank=True)
    text_fi = models.TextField(_("teksti suomeksi"), blank=True)
    text_sv = models.TextField(_("teksti ruotsiksi"), blank=True)
    text_en = models.TextField(_("teksti englanniksi"), blank=True)
    indicators = models.ManyToManyField(
        Indicator,
        verbose_name=_("mittaavat indikaattorit"),
        related_name="objectives",
        blank=True,
    )
    order = models.PositiveSmallIntegerField(_("järjestys"), default=0)
    is_example = models.BooleanField(
        _("esimerkki"),
        default=False,
        help_text=_(
            "Valitse, jos teksti ei ole valtioneuvoston virallinen sanamuoto: jokainen sivu, "
            "jolla tavoite näkyy, kertoo sen silloin."
        ),
    )

    title = Localized()
    text = Localized()

    class Meta:
        ordering = ["period", "order", "pk"]
        verbose_name = _("valtakunnallinen tavoite")
        verbose_name_plural = _("valtakunnalliset tavoitteet")

    def __str__(self) -> str:
        return self.title
