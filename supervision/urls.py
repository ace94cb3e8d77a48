from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("matrix/", views.matrix, name="competency_matrix"),
    path("assign/", views.assign, name="assign_program"),
    path("unreachable/", views.unreachable, name="unreachable_staff"),
    re_path(r"^export\.(?P<kind>csv|xlsx)$", views.export, name="dashboard_export"),
]
