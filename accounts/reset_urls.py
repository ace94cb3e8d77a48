"""Self-service password reset, under /accounts/password-reset/ beside the login."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.password_reset_request, name="password_reset"),
    path("sent/", views.password_reset_sent, name="password_reset_sent"),
    path("code/", views.password_reset_code, name="password_reset_code"),
    path("code/password/", views.password_reset_code_finish, name="password_reset_code_finish"),
    path("link/<uidb64>/<token>/", views.ResetLinkView.as_view(), name="password_reset_confirm"),
]
