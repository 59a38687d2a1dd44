"""Sign-in, sign-out and failed sign-in; changes of who may see and do what.

The entries go to the usage log of the request that caused them (audit.log), with the user
who made the change (the admin), the address and the time; the user whose rights changed is
the entry's object.
"""

import time

from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from audit import log
from audit.middleware import REFRESHED_AT, SIGN_OUT_REASON, SIGNED_IN_AT
from audit.models import UsageEntry
from regions.models import Region, RegionMembership

Kind = UsageEntry.Kind
Type = UsageEntry.ObjectType


# --- signing in and out -------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="audit-sign-in")
def signed_in(sender, request, user, **kwargs) -> None:
    # The start of the absolute session age (audit.middleware.SessionMaxAgeMiddleware), and
    # the session's save for activity: signing in saves it (SessionRefreshMiddleware).
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[REFRESHED_AT] = now
    log.note(Kind.SIGN_IN, user=user, object_type=Type.USER, object_id=user.pk)


@receiver(user_logged_out, dispatch_uid="audit-sign-out")
def signed_out(sender, request, user, **kwargs) -> None:
    if user is None:  # signing out without having signed in
        return
    reason = getattr(request, SIGN_OUT_REASON, "") if request is not None else ""
    log.note(Kind.SIGN_OUT, user=user, object_type=Type.USER, object_id=user.pk, detail=reason)


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # django-axes has handled the failure already (its app comes first): it says whether this
    # attempt is over the limit.
    locked = request is not None and getattr(request, "axes_locked_out", False)
    log.note(
        Kind.SIGN_IN_FAILED,
        username=str(credentials.get("username") or "")[:150],
        detail="locked-out" if locked else "",
    )


# --- memberships, groups, permissions, flags ------------------------------------------------


def _actor():
    return log.acting_user(log.current_request())


def _permission_change(target_type: str, target_id, detail: str, *, region_id=None) -> None:
    log.note(
        Kind.PERMISSION_CHANGE,
        user=_actor(),
        object_type=target_type,
        object_id=target_id,
        region_id=region_id,
        detail=detail,
    )


def _region_text(region: Region) -> str:
    return f"{region.kind} {region.code} {region.name_fi}"


@receiver(post_save, sender=RegionMembership, dispatch_uid="audit-membership-saved")
def membership_saved(sender, instance: RegionMembership, created: bool, raw=False, **kwargs):
    if raw:
        return
    what = "added" if created else "changed"
    _permission_change(
        Type.USER,
        instance.user_id,
        f"region membership {what}: {instance.user.username} → {_region_text(instance.region)}",
        region_id=instance.region_id,
    )


@receiver(post_delete, sender=RegionMembership, dispatch_uid="audit-membership-deleted")
def membership_deleted(sender, instance: RegionMembership, **kwargs) -> None:
    # The user may be going too (a cascade): say who it was from what is at hand.
    username = User.objects.filter(pk=instance.user_id).values_list("username", flat=True)
    region = Region.objects.filter(pk=instance.region_id).first()
    _permission_change(
        Type.USER,
        instance.user_id,
        f"region membership removed: {username.first() or instance.user_id} → "
        f"{_region_text(region) if region else instance.region_id}",
        region_id=region.pk if region else None,
    )


def _group_names(pks) -> list[str]:
    return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))


def _permission_names(pks) -> list[str]:
    return sorted(
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(pk__in=pks).values_list(
            "content_type__app_label", "codename"
        )
    )


# The many-to-many relations that give rights: the holder (a user or a group), the field's
# name in the entry, and how to name the rights.
RIGHTS = {
    "groups": (User, Type.USER, _group_names),
    "user_permissions": (User, Type.USER, _permission_names),
    "permissions": (Group, Type.GROUP, _permission_names),
}


def _holder_names(model, pks) -> dict[int, str]:
    name = "username" if model is User else "name"
    return dict(model.objects.filter(pk__in=pks).values_list("pk", name))


def _rights_changed(field: str, instance, action: str, reverse: bool, pk_set) -> None:
    """Rights added or removed, from either side of the relation (user.groups.add(group) or
    group.user_set.add(user)): one entry per user or group whose rights changed."""
    model, holder_type, names = RIGHTS[field]
    m2m = model._meta.get_field(field)
    holder_column, right_column = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    if action == "pre_clear":
        # clear() does not say what it removes: look before it does.
        mine, other = (right_column, holder_column) if reverse else (holder_column, right_column)
        instance._usage_cleared = set(
            m2m.remote_field.through.objects.filter(**{mine: instance.pk}).values_list(
                f"{other}_id", flat=True
            )
        )
        return
    if action == "post_clear":
        pk_set, sign = getattr(instance, "_usage_cleared", set()), "-"
    elif action in ("post_add", "post_remove"):
        sign = "+" if action == "post_add" else "-"
    else:
        return
    if not pk_set:
        return
    changes = {pk: {instance.pk} for pk in pk_set} if reverse else {instance.pk: set(pk_set)}
    holders = _holder_names(model, changes)
    for holder, rights in sorted(changes.items()):
        items = ", ".join(f"{sign}{name}" for name in names(rights))
        _permission_change(holder_type, holder, f"{holders.get(holder, holder)}: {field} {items}")


def _connect_rights() -> None:
    for field, (model, _type, _names) in RIGHTS.items():

        def receiver_(sender, instance, action, reverse, pk_set, field=field, **kwargs):
            _rights_changed(field, instance, action, reverse, pk_set)

        m2m_changed.connect(
            receiver_,
            sender=model._meta.get_field(field).remote_field.through,
            weak=False,
            dispatch_uid=f"audit-rights-{field}",
        )


_connect_rights()


FLAGS = ("is_active", "is_staff", "is_superuser")


@receiver(pre_save, sender=User, dispatch_uid="audit-user-flags-before")
def remember_flags(sender, instance: User, raw=False, update_fields=None, **kwargs) -> None:
    # Signing in saves last_login only: no query then.
    if raw or instance._state.adding:
        return
    if update_fields is not None and not set(update_fields) & set(FLAGS):
        return
    before = User.objects.filter(pk=instance.pk).values(*FLAGS).first() or {}
    instance._usage_flag_changes = [
        f"{flag}: {before[flag]} → {getattr(instance, flag)}"
        for flag in FLAGS
        if flag in before and before[flag] != getattr(instance, flag)
    ]


@receiver(post_save, sender=User, dispatch_uid="audit-user-flags")
def user_saved(sender, instance: User, created: bool, raw=False, **kwargs) -> None:
    if raw:
        return
    if created:
        flags = [flag for flag in FLAGS if flag != "is_active" and getattr(instance, flag)]
        detail = f"user created: {instance.username}" + "".join(f", {flag}" for flag in flags)
        _permission_change(Type.USER, instance.pk, detail)
        return
    changes = getattr(instance, "_usage_flag_changes", [])
    instance._usage_flag_changes = []
    if changes:
        _permission_change(Type.USER, instance.pk, f"{instance.username}: " + ", ".join(changes))


@receiver(post_delete, sender=User, dispatch_uid="audit-user-deleted")
def user_deleted(sender, instance: User, **kwargs) -> None:
    _permission_change(Type.USER, instance.pk, f"user deleted: {instance.username}")


@receiver(post_delete, sender=Group, dispatch_uid="audit-group-deleted")
def group_deleted(sender, instance: Group, **kwargs) -> None:
    _permission_change(Type.GROUP, instance.pk, f"group deleted: {instance.name}")
