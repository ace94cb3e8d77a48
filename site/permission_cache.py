"""The permissions of a signed-in user, kept in the shared cache between requests.

Every page asks what the user may do (the header shows "Certification dashboard" and
"Admin" by permission), and Django's ModelBackend answers with two queries per request.
Roles change rarely, so the answer is kept in the cache under the user: a change of a
user's groups or own permissions drops that user's entry, and a change of a group's
permissions replaces the version every entry is stamped with, so the next request of every
user recomputes.
Superuser and active flags are part of the stamp, so changing them needs no signal. One cache
round trip reads the version and the user's entry together.
"""

from __future__ import annotations

import time

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete
from django.dispatch import receiver

VERSION_KEY = "permissions:version"
TIMEOUT = 24 * 3600


def user_key(user_id: int) -> str:
    return f"permissions:user:{user_id}"


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend whose `get_all_permissions` is read from the cache when still valid."""

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = self._cached_permissions(user_obj)
        return user_obj._perm_cache

    def _cached_permissions(self, user_obj) -> set[str]:
        key = user_key(user_obj.pk)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            version = new_version()
        stamp = (version, user_obj.is_superuser, user_obj.is_active)
        entry = found.get(key)
        if entry is not None and entry[0] == stamp:
            return entry[1]
        permissions = super().get_all_permissions(user_obj)
        cache.set(key, (stamp, permissions), TIMEOUT)
        return permissions


def new_version() -> int:
    """A version no earlier entry can carry (a timestamp: it survives the key being evicted,
    where a counter starting again at 1 would match entries written before)."""
    version = time.time_ns()
    cache.set(VERSION_KEY, version, None)
    return version


def forget(user_ids) -> None:
    cache.delete_many([user_key(user_id) for user_id in user_ids])


def _roles_changed(action: str = "post_", **_kwargs) -> None:
    """A group's permissions changed (or a group or permission is gone): everybody's."""
    if not action.startswith("post_"):
        return
    # Now, for the rest of this transaction, and again after commit: a request that read the
    # old roles between the change and the commit may have stored them under the first new
    # version.
    new_version()
    transaction.on_commit(new_version)


def _user_roles_changed(instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Some users' groups or own permissions changed: only theirs (a roster import adds
    thousands of learners to their group without making everyone else read theirs again)."""
    if not action.startswith("post_"):
        return
    if not reverse:
        user_ids = [instance.pk]
    elif pk_set is not None:
        user_ids = list(pk_set)
    else:  # group.user_set.clear(): who was in it is no longer known
        _roles_changed(action)
        return
    forget(user_ids)
    transaction.on_commit(lambda: forget(user_ids))


for through in (User.groups.through, User.user_permissions.through):
    m2m_changed.connect(_user_roles_changed, sender=through, dispatch_uid=f"perm-cache-{through}")
m2m_changed.connect(
    _roles_changed, sender=Group.permissions.through, dispatch_uid="perm-cache-group-perms"
)


@receiver(post_delete, sender=Group, dispatch_uid="perm-cache-group-deleted")
@receiver(post_delete, sender=Permission, dispatch_uid="perm-cache-permission-deleted")
def _role_deleted(**kwargs) -> None:
    _roles_changed(**kwargs)
