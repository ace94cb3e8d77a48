from django.urls import path

from . import views

urlpatterns = [
    path("", views.scenario_list, name="roleplay_list"),
    path("runs/<int:run_id>/", views.run_play, name="roleplay_run"),
    path("runs/<int:run_id>/choose/", views.run_choose, name="roleplay_choose"),
    path("runs/<int:run_id>/result/", views.run_result, name="roleplay_result"),
    path("<str:slug>/", views.scenario_detail, name="roleplay_detail"),
    path("<str:slug>/start/", views.scenario_start, name="roleplay_start"),
]
