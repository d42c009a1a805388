from django.urls import path

from simpatik.wiki import views

app_name = "wiki"

urlpatterns = [
    path("proyek/<int:pk>/dokumentasi/", views.page_list, name="list"),
    path("proyek/<int:pk>/dokumentasi/baru/", views.page_edit, name="create"),
    path("proyek/<int:pk>/dokumentasi/<slug:slug>/", views.page_view, name="page"),
    path("proyek/<int:pk>/dokumentasi/<slug:slug>/ubah/", views.page_edit, name="edit"),
    path("proyek/<int:pk>/dokumentasi/<slug:slug>/lampirkan/", views.attach, name="attach"),
]
