from django.urls import path

from simpatik.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.home, name="home"),
    path("tugas/", views.tasks, name="tasks"),
    path("usulan/", views.need_list, name="needs"),
    path("usulan/baru/", views.need_create, name="need-create"),
    path("usulan/<int:pk>/", views.need_detail, name="need"),
    path("usulan/<int:pk>/ubah/", views.need_edit, name="need-edit"),
    path("usulan/<int:pk>/tarik/", views.need_withdraw, name="need-withdraw"),
    path("usulan/lampiran/<int:pk>/", views.need_attachment, name="need-attachment"),
    path("proyek/", views.project_list, name="projects"),
    path("proyek/baru/", views.project_create, name="project-create"),
    path("proyek/<int:pk>/", views.project_detail, name="project"),
    path("proyek/<int:pk>/riwayat/", views.project_history, name="project-history"),
    path("proyek/<int:pk>/lanjutkan/", views.project_resume, name="project-resume"),
    path(
        "proyek/<int:pk>/langkah/<int:number>/<slug:action>/", views.step_action, name="step-action"
    ),
    path("dokumen/<int:pk>/", views.document_download, name="document"),
]
