from django.urls import path

from simpatik.meetings import views

app_name = "meetings"
urlpatterns = [
    path(
        "proyek/<int:pk>/langkah/<int:number>/presentasi/",
        views.presentations,
        name="presentations",
    ),
    path("presentasi/<int:pk>/batal/", views.presentation_cancel, name="cancel"),
    path("kalender/", views.calendar, name="calendar"),
    path("kalender/<str:token>.ics", views.feed, name="feed"),
]
