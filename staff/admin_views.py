"""Trainer tool in the Wagtail admin: accounts and client addresses locked by wrong
passwords, and unlocking them."""

from academy import login_throttle
from academy.admin_guards import TrainerToolView
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages

from .models import StaffProfile

PERMISSION = "staff.unlock_login"


class LoginLocksView(TrainerToolView, TemplateView):
    permission = PERMISSION
    template_name = "staff/admin/login_locks.html"
    page_title = gettext_lazy("Locked logins")
    header_icon = "lock"

    def get_context_data(self, **kwargs):
        accounts = login_throttle.locked_accounts()
        people = {
            p.user.get_username(): p
            for p in StaffProfile.objects.select_related("user", "site").filter(
                user__username__in=[name for name, _until in accounts]
            )
        }
        return super().get_context_data(
            accounts=[(name, until, people.get(name)) for name, until in accounts],
            clients=login_throttle.locked_clients(),
            limits={
                "account": login_throttle.limits()[login_throttle.USERNAME],
                "client": login_throttle.limits()[login_throttle.CLIENT],
                "minutes": login_throttle.cool_off().seconds // 60,
            },
            **kwargs,
        )


class UnlockView(TrainerToolView, TemplateView):
    permission = PERMISSION
    http_method_names = ["post"]

    def post(self, request):
        if username := request.POST.get("username", "").strip():
            login_throttle.unlock_account(username, by=request.user)
            messages.success(request, _("%(who)s can sign in again.") % {"who": username})
        elif address := request.POST.get("address", "").strip():
            login_throttle.unlock_client(address, by=request.user)
            messages.success(request, _("Sign-in from %(who)s is open again.") % {"who": address})
        return redirect("staff_admin:login_locks")
