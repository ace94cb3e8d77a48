from django.urls import path

from . import views

urlpatterns = [
    path("", views.learner_home, name="learner_home"),
    path("search/", views.lesson_search, name="lesson_search"),
    path("emergency/", views.emergency, name="emergency"),
    path("offline/", views.offline_page, name="offline_page"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("team/", views.team_progress, name="team_progress"),
    path("people/<int:staff_id>/progress/", views.person_progress, name="person_progress"),
]
