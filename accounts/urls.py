from django.urls import path

from . import views

urlpatterns = [
    path("", views.activate_form, name="activate"),
    path("finish/", views.activate_finish, name="activate_finish"),
    path("sheet/", views.activation_sheet, name="activation_sheet"),
    path("reset/<int:staff_id>/", views.activation_reset_view, name="activation_reset"),
    path("<str:token>/", views.activate_link, name="activate_link"),
]
