from django.urls import path

from simpatik.monev import views

app_name = "monev"
urlpatterns = [
    path("monev/", views.index, name="index"),
    path("monev/mulai/", views.start, name="start"),
    path("monev/<int:pk>/", views.detail, name="detail"),
    path("monev/<int:pk>/tandatangani/", views.finish, name="finish"),
    path("monev/<int:pk>/revisi/", views.revise, name="revise"),
]
