from django.urls import path

from simpatik.letters import views

app_name = "letters"

urlpatterns = [
    path(
        "proyek/<int:pk>/langkah/<int:number>/pratinjau/<slug:key>/",
        views.preview,
        name="preview",
    ),
    path("naskah/<int:pk>/tandatangani/", views.sign, name="sign"),
    path("proyek/<int:pk>/naskah/", views.project_letters, name="project"),
    path("naskah/<int:pk>/unduh/", views.download, name="download"),
    path("naskah/<int:pk>/koreksi/", views.correct, name="correct"),
    path("verifikasi/", views.verify_lookup, name="verify-lookup"),
    path("verifikasi/<str:code>/", views.verify, name="verify"),
    path("pki/ca.pem", views.ca_certificate, name="ca"),
]
