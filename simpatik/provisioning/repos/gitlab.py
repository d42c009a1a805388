"""GitLab through its REST API (/api/v4): a private project in a group, the team as Developers.

Written against GitLab's published API; it cannot run here, so the tests use a local server that
answers as the documentation says.
"""

from urllib.parse import urlparse

import requests
from django.conf import settings

from simpatik.core.http import call
from simpatik.provisioning.repos import Created, ProvisioningError

DEVELOPER = 30  # GitLab access level


class GitLabProvider:
    name = "gitlab"

    def __init__(self):
        if not settings.SIMPATIK_GITLAB_URL or not settings.SIMPATIK_GITLAB_TOKEN:
            raise ProvisioningError(
                "GitLab belum dikonfigurasi (SIMPATIK_GITLAB_URL, SIMPATIK_GITLAB_TOKEN)."
            )
        self.base = settings.SIMPATIK_GITLAB_URL.rstrip("/") + "/api/v4"
        self.headers = {"PRIVATE-TOKEN": settings.SIMPATIK_GITLAB_TOKEN}

    def _call(self, method, path, **kwargs):
        return call(
            method,
            self.base,
            path,
            service="GitLab",
            error=ProvisioningError,
            timeout=30,
            headers=self.headers,
            **kwargs,
        )

    def create(self, *, name, description, members) -> Created:
        payload = {
            "name": name,
            "path": name,
            "description": description[:255],
            "visibility": "private",
            "default_branch": "main",
        }
        if settings.SIMPATIK_GITLAB_NAMESPACE_ID:
            payload["namespace_id"] = settings.SIMPATIK_GITLAB_NAMESPACE_ID
        response = self._call("POST", "/projects", json=payload)
        if response.status_code != 201:
            raise ProvisioningError(
                f"GitLab menolak membuat proyek ({response.status_code}): {response.text[:200]}"
            )
        project = response.json()
        try:
            for user in members:
                found = self._call("GET", "/users", params={"username": user.username})
                matches = found.json() if found.status_code == 200 else []
                if not matches:
                    raise ProvisioningError(f"Pengguna {user.username} tidak ada di GitLab.")
                added = self._call(
                    "POST",
                    f"/projects/{project['id']}/members",
                    json={"user_id": matches[0]["id"], "access_level": DEVELOPER},
                )
                if added.status_code not in (201, 409):
                    raise ProvisioningError(
                        f"GitLab menolak menambahkan {user.username} ({added.status_code})."
                    )
        except ProvisioningError:
            self._call("DELETE", f"/projects/{project['id']}")  # no repository without its team
            raise
        return Created(
            clone_url=project.get("http_url_to_repo", ""), web_url=project.get("web_url", "")
        )

    def delete(self, name):
        self._call("DELETE", f"/projects/{requests.utils.quote(name, safe='')}")

    def has_ref(self, repository, ref) -> bool:
        # GitLab addresses a project by its full path (namespace/name), URL-encoded.
        full_path = urlparse(repository.web_url).path.strip("/") or repository.name
        project = requests.utils.quote(full_path, safe="")
        ref = requests.utils.quote(ref, safe="")
        for path in (f"/repository/tags/{ref}", f"/repository/commits/{ref}"):
            if self._call("GET", f"/projects/{project}{path}").status_code == 200:
                return True
        return False

    def recent_commits(self, name, limit=10):
        return []
