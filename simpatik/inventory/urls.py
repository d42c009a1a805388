from django.urls import path, re_path

from simpatik.inventory import catalogue, views

app_name = "inventory"

urlpatterns = [
    path("inventaris/", views.application_list, name="list"),
    path("inventaris/baru/", views.application_edit, name="create"),
    path("inventaris/sejenis/", views.similar_search, name="similar"),
    path("inventaris/ringkasan/", views.overview, name="overview"),
    path("inventaris/impor/", views.import_upload, name="import"),
    path("inventaris/impor/<str:sha>/", views.import_preview, name="import-preview"),
    re_path(r"^inventaris/ekspor\.(?P<fmt>xlsx|csv|json)$", views.export, name="export"),
    re_path(
        r"^inventaris/katalog-spbe\.(?P<fmt>xlsx|json)$",
        views.spbe_catalogue,
        name="spbe-catalogue",
    ),
    path("inventaris/<int:pk>/", views.application_detail, name="detail"),
    path("inventaris/<int:pk>/ubah/", views.application_edit, name="edit"),
    path("inventaris/<int:pk>/arsip/", views.application_archive, name="archive"),
    path("inventaris/<int:pk>/integrasi/", views.integration_add, name="integration-add"),
    path("katalog/", catalogue.catalogue, name="catalogue"),
    path("katalog/data.json", catalogue.catalogue_json, name="catalogue-json"),
    path("katalog/data.csv", catalogue.catalogue_csv, name="catalogue-csv"),
]
