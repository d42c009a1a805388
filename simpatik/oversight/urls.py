from django.urls import path

from simpatik.oversight import views

app_name = "oversight"
urlpatterns = [
    path("pengawasan/", views.dashboard, name="dashboard"),
    path("pengawasan/ekspor.xlsx", views.dashboard_xlsx, name="xlsx"),
    path("pengawasan/laporan-bulanan/", views.monthly_report, name="monthly_report"),
]
