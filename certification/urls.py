from django.urls import path

from . import views

urlpatterns = [
    path("", views.verify_form, name="verify_form"),
    path("<str:code>/badge.json", views.badge_by_code, name="badge_by_code"),
    path("<str:code>/", views.verify_certificate, name="verify_certificate"),
]
