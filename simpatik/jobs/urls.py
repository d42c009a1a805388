from django.urls import path

from simpatik.jobs import views

app_name = "jobs"
urlpatterns = [
    path("pekerjaan/", views.job_list, name="list"),
    path("pekerjaan/<int:pk>/ulang/", views.job_retry, name="retry"),
]
