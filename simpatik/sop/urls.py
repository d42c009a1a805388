from django.urls import path

from simpatik.sop import views

app_name = "sop"

urlpatterns = [
    path("sop/", views.version_list, name="versions"),
    path("sop/<int:pk>/dokumen/", views.sheet, name="sheet"),
    path("sop/<int:pk>/dokumen.pdf", views.sheet_pdf, name="sheet-pdf"),
    path("sop/<int:pk>/bpmn.xml", views.bpmn, name="bpmn"),
]
