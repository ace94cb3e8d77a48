from django.urls import path

from . import views

urlpatterns = [
    path("", views.staff_list, name="records_staff_list"),
    path("<int:staff_id>/", views.person_detail, name="person_record"),
    path("<int:staff_id>/competencies/<slug:competency_slug>/", views.adjust_level,
         name="record_adjust"),
]
