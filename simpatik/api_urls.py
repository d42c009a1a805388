from django.urls import path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView

from simpatik.accounts.api.views import Logout, Me, ObtainToken, TokenDetail, TokenList
from simpatik.core.openapi import SchemaView
from simpatik.inventory.api import views as inventory
from simpatik.letters.api.views import LetterPdf, LetterSign, ProjectLetters, StepPreview
from simpatik.notifications.api.views import NotificationList, NotificationRead
from simpatik.oversight.api.views import Stats
from simpatik.projects.api import views as projects
from simpatik.provisioning.api.views import SubdomainList, ZoneFile
from simpatik.sop.api.views import SopVersionDetail, SopVersionList

step = "projects/<int:pk>/steps/<int:number>/"

urlpatterns = [
    path("v1/auth/token/", ObtainToken.as_view(), name="api-token"),
    path("v1/auth/tokens/", TokenList.as_view(), name="api-tokens"),
    path("v1/auth/tokens/<str:key>/", TokenDetail.as_view(), name="api-token-detail"),
    path("v1/auth/logout/", Logout.as_view(), name="api-logout"),
    path("v1/me/", Me.as_view(), name="api-me"),
    path("v1/needs/", projects.NeedList.as_view(), name="api-needs"),
    path("v1/needs/<int:pk>/", projects.NeedDetail.as_view(), name="api-need"),
    path("v1/needs/<int:pk>/withdraw/", projects.NeedWithdraw.as_view(), name="api-need-withdraw"),
    path("v1/projects/", projects.ProjectList.as_view(), name="api-projects"),
    path("v1/projects/<int:pk>/", projects.ProjectDetail.as_view(), name="api-project"),
    path(
        "v1/projects/<int:pk>/resume/", projects.ProjectResume.as_view(), name="api-project-resume"
    ),
    path(
        "v1/projects/<int:pk>/history/",
        projects.ProjectHistory.as_view(),
        name="api-project-history",
    ),
    path("v1/projects/<int:pk>/letters/", ProjectLetters.as_view(), name="api-project-letters"),
    path("v1/letters/<int:pk>/pdf/", LetterPdf.as_view(), name="api-letter-pdf"),
    path("v1/letters/<int:pk>/sign/", LetterSign.as_view(), name="api-letter-sign"),
    path(
        f"v1/{step}preview/<slug:key>/",
        StepPreview.as_view(),
        name="api-step-preview",
    ),
    path(f"v1/{step}", projects.StepDetail.as_view(), name="api-step"),
    path(f"v1/{step}documents/", projects.StepDocuments.as_view(), name="api-step-documents"),
    path(f"v1/{step}complete/", projects.StepComplete.as_view(), name="api-step-complete"),
    path(f"v1/{step}claim/", projects.StepClaim.as_view(), name="api-step-claim"),
    path(f"v1/{step}draft/", projects.StepDraft.as_view(), name="api-step-draft"),
    path(f"v1/{step}reassign/", projects.StepReassign.as_view(), name="api-step-reassign"),
    path("v1/tasks/", projects.TaskList.as_view(), name="api-tasks"),
    path("v1/notifications/", NotificationList.as_view(), name="api-notifications"),
    path(
        "v1/notifications/<int:pk>/read/", NotificationRead.as_view(), name="api-notification-read"
    ),
    path("v1/stats/", Stats.as_view(), name="api-stats"),
    path("v1/subdomains/", SubdomainList.as_view(), name="api-subdomains"),
    path("v1/dns/zonefile/", ZoneFile.as_view(), name="api-zonefile"),
    path("v1/applications/", inventory.ApplicationList.as_view(), name="api-applications"),
    path(
        "v1/applications/similar/",
        inventory.ApplicationSimilar.as_view(),
        name="api-applications-similar",
    ),
    path(
        "v1/applications/katalog-spbe/",
        inventory.SpbeCatalogue.as_view(),
        name="api-applications-spbe",
    ),
    path(
        "v1/applications/<int:pk>/", inventory.ApplicationDetail.as_view(), name="api-application"
    ),
    path(
        "v1/applications/<int:pk>/history/",
        inventory.ApplicationHistory.as_view(),
        name="api-application-history",
    ),
    path("v1/sop/", SopVersionList.as_view(), name="api-sop"),
    path("v1/sop/<int:pk>/", SopVersionDetail.as_view(), name="api-sop-version"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the docs page keeps the strict CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^[\s\S]*$", projects.not_found),  # [\s\S]: a path holding a newline too
]
