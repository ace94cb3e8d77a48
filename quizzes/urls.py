from django.urls import path

from . import views

urlpatterns = [
    path("<int:quiz_id>/", views.quiz_detail, name="quiz_detail"),
    path("<int:quiz_id>/start/", views.quiz_start, name="quiz_start"),
    path("attempts/<int:attempt_id>/", views.attempt_take, name="quiz_attempt"),
    path("attempts/<int:attempt_id>/answer/", views.attempt_autosave, name="quiz_autosave"),
    path("attempts/<int:attempt_id>/save/", views.attempt_save_page, name="quiz_save_page"),
    path("attempts/<int:attempt_id>/finish/", views.attempt_finish, name="quiz_finish"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit, name="quiz_submit"),
    path("attempts/<int:attempt_id>/review/", views.attempt_review, name="quiz_review"),
]
