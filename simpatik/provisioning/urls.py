from django.urls import path, re_path

from simpatik.provisioning import git_http, views

app_name = "provisioning"

urlpatterns = [
    re_path(r"^git/(?P<name>[a-z0-9][a-z0-9-]*)\.git/(?P<path>.*)$", git_http.git_http, name="git"),
    path("proyek/<int:pk>/repositori/ulang/", views.repository_retry, name="repository-retry"),
    path("dns/", views.registry, name="registry"),
    path("dns/<int:pk>/", views.subdomain_detail, name="subdomain"),
    path("dns/<int:pk>/ulang/", views.subdomain_retry, name="subdomain-retry"),
    path("dns/zona.txt", views.zonefile, name="zonefile"),
]
