"""Versioned sections: the texts of a situation report or a record, saved without lost updates.

A report section (one answer) and a record section (four texts) work the same way, so the
rules live here once: a save is based on the version the writer saw and is refused when
someone saved since (a conflict), the document's lock is checked on its locked row in the
same transaction as the write, and every saved version is kept with its author and time.
"""

import datetime
import enum

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SaveOutcome(enum.Enum):
    SAVED = "saved"
    UNCHANGED = "unchanged"  # the same text again: no empty version in the history
    CONFLICT = "conflict"  # someone saved since the writer's version
    LOCKED = "locked"  # the report was submitted or the record approved meanwhile


class SectionQuerySet(models.QuerySet):
    def written(self) -> "SectionQuerySet":
        """Sections someone has saved text in (a new section is version 0)."""
        return self.filter(version__gt=0)

    def unwritten(self) -> "SectionQuerySet":
        return self.filter(version=0)


class VersionedSection(models.Model):
    """A section whose texts (`TEXT_FIELDS`) are saved as numbered versions."""

    TEXT_FIELDS: tuple[str, ...] = ()

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
        abstract = True

    def texts(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in self.TEXT_FIELDS}

    def lock_document(self) -> bool:
        """Lock the row of the report or record this section belongs to and say whether it
        still takes text. Called inside the saving transaction."""
        raise NotImplementedError

    def after_save(self, by) -> None:
        """What a saved version changes in the document (a report becomes a draft)."""

    def save_texts(self, *, texts: dict[str, str], base_version: int | None, by) -> SaveOutcome:
        """Store `texts` (some or all of TEXT_FIELDS) as the next version unless the document
        is locked or someone saved since `base_version`. On a refusal the section is reloaded,
        so on a conflict it holds the newer text to show beside the writer's.

        The section in hand was read before the document's lock. When it is the version the
        writer started from, one UPDATE checks and writes: the version is still that one
        (nobody saved since) and the texts differ (else nothing is saved). Only when it
        writes nothing is the row read again, to say which."""
        texts = {field: texts[field] for field in self.TEXT_FIELDS if field in texts}
        now = timezone.now()
        with transaction.atomic():
            if not self.lock_document():
                self.refresh_from_db()
                return SaveOutcome.LOCKED
            if base_version is None or self.version != base_version:
                # Not the writer's base in hand: the row as it is now says whether it is.
                self.refresh_from_db()
                if base_version is None or self.version != base_version:
                    return SaveOutcome.CONFLICT
            # Two simultaneous saves cannot both win: the check is in the UPDATE.
            updated = texts and (
                type(self)
                .objects.filter(pk=self.pk, version=base_version)
                .exclude(**texts)
                .update(**texts, version=F("version") + 1, updated_at=now, updated_by=by)
            )
            if not updated:
                self.refresh_from_db()
                if self.version != base_version:
                    return SaveOutcome.CONFLICT
                return SaveOutcome.UNCHANGED
            # What the UPDATE wrote, without reading the row (and its texts) back; the other
            # texts are those of the base version, which the section in hand holds.
            for field, text in texts.items():
                setattr(self, field, text)
            self.version, self.updated_at, self.updated_by = base_version + 1, now, by
            self._store_version(by=by, now=now)
            self.after_save(by)
        return SaveOutcome.SAVED

    def _store_version(self, *, by, now) -> None:
        """The saved texts as the newest version: a new one, or the newest updated when the
        same person saved it less than COALESCE_WITHIN ago. (`version` of the section still
        counts every save: that is what the conflict rule compares.)"""
        # The choice and the update are one statement: the newest version, if it is theirs
        # and recent enough, takes the texts; if none is, a new one is made.
        if by is not None:
            newest = self.versions.order_by("-version").values("pk")[:1]
            recent = self.versions.model.objects.filter(
                pk=Subquery(newest), author=by, created_at__gt=now - COALESCE_WITHIN
            )
            if recent.update(version=self.version, created_at=now, **self.texts()):
                return
        self.versions.create(version=self.version, author=by, created_at=now, **self.texts())


# Saves by the same person this close together are one version in the history: an autosave
# after every pause in typing would otherwise bury the versions worth reading.
COALESCE_WITHIN = datetime.timedelta(minutes=10)


class SectionVersion(models.Model):
    """One saved version of a section: its texts, who saved it and when."""

    # Every autosave writes one; only the history pages read them, and those are drawn every
    # time: the page cache does not count their changes (pagecache.triggers).
    COUNTED_BY_PAGE_CACHE = False

    version = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["section", "-version"]
        verbose_name = _("versio")
        verbose_name_plural = _("versiot")

    def __str__(self) -> str:
        return f"{self.section} v{self.version}"
