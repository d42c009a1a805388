from django.urls import path

from simpatik.spbe import views

app_name = "spbe"
urlpatterns = [
    path("spbe/pemetaan/", views.mapping_page, name="mapping"),
    path("spbe/bundel/", views.bundle_page, name="bundle"),
]
