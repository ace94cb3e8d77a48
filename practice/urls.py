from django.urls import path

from . import views

urlpatterns = [
    path("", views.practice_session, name="practice_session"),
    path("reviews/", views.practice_review, name="practice_review"),
]
