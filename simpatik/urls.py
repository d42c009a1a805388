from django.contrib import admin
from django.urls import include, path

from simpatik.core.health import SimpatikHealthView

urlpatterns = [
    path("healthz", SimpatikHealthView.as_view(), name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("simpatik.api_urls")),
    path("", include("simpatik.accounts.urls")),
    path("", include("simpatik.inventory.urls")),
    path("", include("simpatik.letters.urls")),
    path("", include("simpatik.sop.urls")),
    path("", include("simpatik.provisioning.urls")),
    path("", include("simpatik.wiki.urls")),
    path("", include("simpatik.jobs.urls")),
    path("", include("simpatik.notifications.urls")),
    path("", include("simpatik.oversight.urls")),
    path("", include("simpatik.meetings.urls")),
    path("", include("simpatik.discussions.urls")),
    path("", include("simpatik.projects.urls")),
]
