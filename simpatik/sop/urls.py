from django.urls import path

from simpatik.sop import editor_views, views

app_name = "sop"

urlpatterns = [
    path("sop/", views.version_list, name="versions"),
    path("sop/<int:pk>/dokumen/", views.sheet, name="sheet"),
    path("sop/<int:pk>/dokumen.pdf", views.sheet_pdf, name="sheet-pdf"),
    path("sop/<int:pk>/bpmn.xml", views.bpmn, name="bpmn"),
    path("sop/<int:pk>/sumber.yaml", editor_views.download, name="download"),
    path("sop/<int:pk>/sunting/", editor_views.editor, name="edit"),
    path("sop/<int:pk>/sunting/periksa/", editor_views.check, name="edit-check"),
    path("sop/<int:pk>/sunting/pratinjau/", editor_views.preview, name="edit-preview"),
    path("sop/<int:pk>/perbedaan/", editor_views.version_diff, name="diff"),
    path("sop/<int:pk>/berlakukan/", editor_views.activate, name="activate"),
]
