"""Gitea through its REST API (/api/v1): a private repository in an organisation, the team as collaborators.

Written against Gitea's published API; it cannot run here, so the tests use a local server that
answers as the documentation says.
"""

from django.conf import settings

from simpatik.core.http import call
from simpatik.provisioning.repos import Created, ProvisioningError


class GiteaProvider:
    name = "gitea"

    def __init__(self):
        if not settings.SIMPATIK_GITEA_URL or not settings.SIMPATIK_GITEA_TOKEN:
            raise ProvisioningError(
                "Gitea belum dikonfigurasi (SIMPATIK_GITEA_URL, SIMPATIK_GITEA_TOKEN)."
            )
        self.base = settings.SIMPATIK_GITEA_URL.rstrip("/") + "/api/v1"
        self.org = settings.SIMPATIK_GITEA_ORG
        self.headers = {
            "Authorization": f"token {settings.SIMPATIK_GITEA_TOKEN}",
            "Accept": "application/json",
        }

    def _call(self, method, path, **kwargs):
        return call(
            method,
            self.base,
            path,
            service="Gitea",
            error=ProvisioningError,
            timeout=30,
            headers=self.headers,
            **kwargs,
        )

    def create(self, *, name, description, members) -> Created:
        response = self._call(
            "POST",
            f"/orgs/{self.org}/repos",
            json={
                "name": name,
                "description": description[:255],
                "private": True,
                "auto_init": False,
                "default_branch": "main",
            },
        )
        if response.status_code == 409:
            raise ProvisioningError(f"Repositori '{name}' sudah ada di Gitea.")
        if response.status_code != 201:
            raise ProvisioningError(
                f"Gitea menolak membuat repositori ({response.status_code}): {response.text[:200]}"
            )
        body = response.json()
        try:
            for user in members:
                added = self._call(
                    "PUT",
                    f"/repos/{self.org}/{name}/collaborators/{user.username}",
                    json={"permission": "write"},
                )
                if added.status_code not in (204, 200):
                    raise ProvisioningError(
                        f"Gitea menolak menambahkan {user.username} ({added.status_code}): {added.text[:200]}"
                    )
        except ProvisioningError:
            self.delete(name)  # no repository without its team
            raise
        return Created(clone_url=body.get("clone_url", ""), web_url=body.get("html_url", ""))

    def delete(self, name):
        self._call("DELETE", f"/repos/{self.org}/{name}")

    def has_ref(self, repository, ref) -> bool:
        from urllib.parse import quote

        ref = quote(ref, safe="")
        for path in (f"/git/refs/tags/{ref}", f"/branches/{ref}", f"/git/commits/{ref}"):
            if self._call("GET", f"/repos/{self.org}/{repository.name}{path}").status_code == 200:
                return True
        return False

    def recent_commits(self, name, limit=10):
        return []
