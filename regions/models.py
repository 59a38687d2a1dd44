"""Who the ministry negotiates with: regions, cooperation areas, and who prepares for them."""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regions.localized import Localized, LocalizedMixin
from regions.roles import is_ministry_official

# The maakunnat older than the service (no valid_from in the facts) are shown by the years
# in which the ministry negotiated with them, as the pickers group them: "Maakunnat 2018–2022".
MAAKUNTA_NEGOTIATIONS_FROM = 2018


class CooperationArea(LocalizedMixin, models.Model):
    """Yhteistyöalue: one of the five cooperation areas of decree 91/2022."""

    code = models.SlugField(_("tunnus"), max_length=32, unique=True)
    name_fi = models.CharField(_("nimi suomeksi"), max_length=100)
    name_sv = models.CharField(_("nimi ruotsiksi"), max_length=100)
    name_en = models.CharField(_("nimi englanniksi"), max_length=100)

    name = Localized()

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("yhteistyöalue")
        verbose_name_plural = _("yhteistyöalueet")

    def __str__(self) -> str:
        return self.name


class RegionQuerySet(models.QuerySet):
    def for_user(self, user: User | AnonymousUser) -> "RegionQuerySet":
        """The regions whose data this user may see.

        Ministry officials and admins see every region. A regional preparer sees the regions
        they prepare for and the predecessors of those regions (Pirkanmaa county sees the
        Pirkanmaa maakunta of 2018), so that earlier records and follow-up actions stay in
        view. Everybody else sees none.
        """
        if is_ministry_official(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        # Worked out once per request: a page asks for several kinds of rows for the user.
        # Cached on the user object, as its groups are (regions.roles).
        if not hasattr(user, "_visible_region_ids"):
            user._visible_region_ids = frozenset(Region.objects.prepared_by(user).lineage_ids())
        return self.filter(pk__in=user._visible_region_ids)

    def prepared_by(self, user: User | AnonymousUser) -> "RegionQuerySet":
        """The regions this user prepares for: the only ones whose material they may edit."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def lineage_ids(self) -> set[int]:
        """These regions and every region they succeed, transitively: the Uusimaa counties,
        Helsinki and HUS lead back to the Uusimaa maakunta of 2018."""
        ids = set(self.values_list("pk", flat=True))
        if not ids:
            return ids
        return set().union(*self.lineages(ids).values())

    def lineages(self, region_ids: Iterable[int]) -> dict[int, frozenset[int]]:
        """Each of these regions with every region it succeeds, transitively, from one read of
        the succession table: the ids are given, so that a page that has them already (one
        row per region) needs no query for them."""
        predecessors = defaultdict(set)
        for predecessor, successor in Region.successors.through.objects.values_list(
            "from_region_id", "to_region_id"
        ):
            predecessors[successor].add(predecessor)
        result = {}
        for region_id in set(region_ids):
            seen, frontier = {region_id}, {region_id}
            while frontier:
                frontier = {p for r in frontier for p in predecessors[r]} - seen
                seen |= frontier
            result[region_id] = frozenset(seen)
        return result

    def current(self) -> "RegionQuerySet":
        return self.filter(kind__in=Region.CURRENT_KINDS, valid_to__isnull=True)

    def in_area(self, area: CooperationArea) -> "RegionQuerySet":
        return self.filter(cooperation_area=area)


class Region(LocalizedMixin, models.Model):
    """A counterpart of the ministry: a maakunta (2018-2022), a wellbeing services county,
    Helsinki, or the HUS group (2023-)."""

    class Kind(models.TextChoices):
        MAAKUNTA = "maakunta", _("maakunta")
        COUNTY = "county", _("hyvinvointialue")
        CITY = "city", _("kaupunki")
        JOINT_AUTHORITY = "joint-authority", _("yhtymä")

    CURRENT_KINDS = (Kind.COUNTY, Kind.CITY, Kind.JOINT_AUTHORITY)

    code = models.CharField(
        _("tunnus"),
        max_length=8,
        help_text=_("Tilastokeskuksen koodi, esim. 08; HUS-yhtymällä HUS."),
    )
    kind = models.CharField(_("tyyppi"), max_length=20, choices=Kind.choices)
    name_fi = models.CharField(_("nimi suomeksi"), max_length=100)
    name_sv = models.CharField(_("nimi ruotsiksi"), max_length=100)
    name_en = models.CharField(_("nimi englanniksi"), max_length=100)
    cooperation_area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("yhteistyöalue"),
        on_delete=models.PROTECT,
        related_name="regions",
        null=True,
        blank=True,
    )
    valid_from = models.DateField(_("voimassa alkaen"), null=True, blank=True)
    valid_to = models.DateField(_("voimassa asti"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("seuraajat"),
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )

    name = Localized()

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("alue")
        verbose_name_plural = _("alueet")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="region_code_unique_per_kind"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="region_valid_to_after_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name with its kind and years, for pickers where the Pirkanmaa county and the
        Pirkanmaa maakunta would otherwise be the same line: "Pirkanmaa (maakunta, 2018–2022)"."""
        start = self.valid_from.year if self.valid_from else ""
        if not start and self.kind == self.Kind.MAAKUNTA:
            start = MAAKUNTA_NEGOTIATIONS_FROM  # the service's maakunnat are those of 2018–2022
        end = self.valid_to.year if self.valid_to else ""
        years = f"{start}–{end}" if start or end else ""
        # The choice's label directly: get_kind_display() makes the choices hashable each call,
        # and pickers list every region.
        details = ", ".join(part for part in (str(self.Kind(self.kind).label), years) if part)
        return f"{self.name} ({details})"


class RegionMembership(models.Model):
    """A user prepares the material of a region (alueellinen valmistelija)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("käyttäjä"),
        on_delete=models.CASCADE,
        related_name="region_memberships",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("alue"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        ordering = ["region__code", "user__username"]
        verbose_name = _("alueen valmistelija")
        verbose_name_plural = _("alueiden valmistelijat")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.region}"


class Profile(models.Model):
    """What a user has chosen for themselves: the language of the interface and of e-mails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("käyttäjä"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    language = models.CharField(
        _("kieli"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("käyttäjän asetukset")
        verbose_name_plural = _("käyttäjien asetukset")

    def __str__(self) -> str:
        return str(self.user)


def preferred_language(user) -> str:
    """The language to write to this user in: the one they last chose, else Finnish."""
    profile = Profile.objects.filter(user=user).first()
    return profile.language if profile else settings.LANGUAGE_CODE
