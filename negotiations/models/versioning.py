"""Saving a versioned section (of a situation report or a record) without lost updates."""

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone


def save_new_version(
    section: Model, *, texts: dict[str, str], fields: tuple[str, ...], base_version: int, by
) -> bool:
    """Store `texts` as the section's next version unless someone saved since
    `base_version`; False on conflict (the section is then reloaded with the newer text).

    The check and the write are one UPDATE, so two simultaneous saves cannot both win. Each
    saved version is also kept in `section.versions` (all of `fields`, author and time).
    """
    now = timezone.now()
    with transaction.atomic():
        updated = (
            type(section)
            .objects.filter(pk=section.pk, version=base_version)
            .update(**texts, version=F("version") + 1, updated_at=now, updated_by=by)
        )
        section.refresh_from_db()
        if not updated:
            return False
        stored = {field: getattr(section, field) for field in fields}
        section.versions.create(version=section.version, author=by, created_at=now, **stored)
    return True
