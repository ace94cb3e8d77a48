from django.urls import path, re_path

from . import assignment_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("matrix/", views.matrix, name="competency_matrix"),
    path("assign/", views.assign, name="assign_program"),
    path("assignments/", assignment_views.assignment_list, name="assignment_list"),
    path("assignments/<int:pk>/", assignment_views.assignment_change, name="assignment_detail"),
    path(
        "assignments/<int:pk>/<slug:action>/",
        assignment_views.assignment_change,
        name="assignment_change",
    ),
    path("unreachable/", views.unreachable, name="unreachable_staff"),
    re_path(r"^export\.(?P<kind>csv|xlsx)$", views.export, name="dashboard_export"),
]
