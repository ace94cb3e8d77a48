"""Forms of the reset pages: Django's own, fitted to staff who were imported without a
password and have not yet accepted the personal-information notice."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from .selectors import users_with_email_for_reset


class ResetPasswordForm(SetPasswordForm):
    """Django's set-password form (its validators, their messages in Chinese), with the
    notice to accept for someone who has not accepted it. The password is set by
    `services.password_reset_complete`, not by `save()`."""

    def __init__(self, user, *args, needs_notice: bool = False, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.needs_notice = needs_notice
        if needs_notice:
            self.fields["accept_notice"] = forms.BooleanField(
                label=_("I have read and accept how my personal information is used.")
            )


class AdminPasswordResetForm(WagtailPasswordResetForm):
    """The admin's "forgotten password" form (WAGTAILADMIN_USER_PASSWORD_RESET_FORM), which
    Django would have skip everyone without a usable password: imported staff included."""

    def get_users(self, email):
        return users_with_email_for_reset(email)
