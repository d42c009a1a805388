from django.contrib import admin
from django.urls import include, path

from simpatik.core.views import csp_report

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("csp-report/", csp_report, name="csp-report"),
    path("api/", include("simpatik.api_urls")),
    path("", include("simpatik.accounts.urls")),
    path("", include("simpatik.inventory.urls")),
    path("", include("simpatik.letters.urls")),
    path("", include("simpatik.sop.urls")),
    path("", include("simpatik.provisioning.urls")),
    path("", include("simpatik.wiki.urls")),
    path("", include("simpatik.projects.urls")),
]
