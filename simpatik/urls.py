from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path

from simpatik.core.health import SimpatikHealthView
from simpatik.core.views import csp_report

# The admin signs in through /masuk/ too, so its logins pass the failure counter and MFA.
admin.site.login = staff_member_required(admin.site.login, login_url=settings.LOGIN_URL)

urlpatterns = [
    path("healthz", SimpatikHealthView.as_view(), name="healthz"),
    path("admin/", admin.site.urls),
    path("akun/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("csp-report/", csp_report, name="csp-report"),
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
    path("", include("simpatik.spbe.urls")),
    path("", include("simpatik.monev.urls")),
    path("", include("simpatik.meetings.urls")),
    path("", include("simpatik.discussions.urls")),
    path("", include("simpatik.projects.urls")),
]
