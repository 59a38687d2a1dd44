"""The roles of the product, kept as Django groups. Admins are superusers."""

from django.contrib.auth.models import AnonymousUser, User

MINISTRY_OFFICIAL = "ministry-official"
REGIONAL_PREPARER = "regional-preparer"


def _group_names(user: User | AnonymousUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    # Cached on the user object: templates and views ask several times per request.
    if not hasattr(user, "_role_group_names"):
        user._role_group_names = set(user.groups.values_list("name", flat=True))
    return user._role_group_names


def is_ministry_official(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (user.is_superuser or MINISTRY_OFFICIAL in _group_names(user))


def is_regional_preparer(user: User | AnonymousUser) -> bool:
    return REGIONAL_PREPARER in _group_names(user)
