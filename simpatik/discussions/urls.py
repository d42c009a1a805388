from django.urls import path

from simpatik.discussions import views

app_name = "discussions"
urlpatterns = [
    path("proyek/<int:pk>/langkah/<int:number>/diskusi/", views.discussion, name="thread"),
    path("diskusi/lampiran/<int:pk>/", views.attachment, name="attachment"),
]
