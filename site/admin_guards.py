"""Deleting content that learners' records depend on: say why not, instead of a 500."""

from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.shortcuts import redirect
from wagtail.admin import messages


def refuse_protected_delete(request, instances, *, message: str):
    """For a `before_delete_snippet` hook: a redirect with `message` (formatted with
    %(what)s, the kinds of records in the way) if deleting would break protected records."""
    collector = Collector(using="default")
    try:
        collector.collect(instances)
    except (ProtectedError, RestrictedError) as error:
        blockers = {str(o._meta.verbose_name) for o in error.args[1]}
        messages.error(request, message % {"what": "、".join(sorted(blockers))})
        return redirect(request.META.get("HTTP_REFERER") or "wagtailadmin_home")
    return None
