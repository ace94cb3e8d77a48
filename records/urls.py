from django.urls import path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    # The list of staff with their levels is the supervisor's competency matrix.
    path("", RedirectView.as_view(pattern_name="competency_matrix"), name="records_staff_list"),
    path("<int:staff_id>/", views.person_detail, name="person_record"),
    path("<int:staff_id>/unlock-login/", views.unlock_login, name="unlock_login"),
    path(
        "<int:staff_id>/competencies/<slug:competency_slug>/",
        views.adjust_level,
        name="record_adjust",
    ),
]
