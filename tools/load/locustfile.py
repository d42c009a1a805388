"""50 simulated officials: pages, the task API, and projects driven through their steps.

Run by tools/load/run (`make load`). Every request is named by its page, not its URL, so the
summary prints one line per page with its errors and p50/p99.
"""

import os
import random
import re

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "Demo-Simpatik-2026")
OPD_ID = int(os.environ.get("LOAD_OPD_ID", "1"))
ROLES = ["kadis", "kabid", "kasie", "pengembang", "teknis"]
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
TOKENS: dict[str, str] = {}


@events.test_start.add_listener
def _tokens(environment, **_kwargs):
    import requests

    for username in ROLES:
        response = requests.post(
            environment.host + "/api/v1/auth/token/",
            data={"username": username, "password": PASSWORD},
            timeout=30,
        )
        response.raise_for_status()
        TOKENS[username] = response.json()["token"]


def _auth(username):
    return {"Authorization": f"Token {TOKENS[username]}"}


class Official(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.username = random.choice(ROLES)
        page = self.client.get("/masuk/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post(
            "/masuk/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": self.username,
                "login": self.username,
                "password": PASSWORD,
            },
            headers={"Referer": self.host + "/masuk/"},
            name="login",
        )
        self.project_ids = []

    @task(4)
    def tasks_page(self):
        self.client.get("/tugas/", name="/tugas/")

    @task(3)
    def project_list(self):
        self.client.get("/proyek/", name="/proyek/")

    @task(3)
    def project_page(self):
        projects = self.client.get(
            "/api/v1/projects/?limit=20", headers=_auth(self.username), name="/api/v1/projects/"
        )
        if projects.ok and projects.json().get("results"):
            project = random.choice(projects.json()["results"])
            self.client.get(f"/proyek/{project['id']}/", name="/proyek/<id>/")

    @task(2)
    def task_api(self):
        self.client.get("/api/v1/tasks/", headers=_auth(self.username), name="/api/v1/tasks/")

    @task(2)
    def advance_a_project(self):
        """Start a project (as the Kadis) or move one of ours a step on, uploading what it lacks."""
        if not self.project_ids or random.random() < 0.2:
            created = self.client.post(
                "/api/v1/projects/",
                json={"nama": f"Aplikasi uji beban {random.randint(1, 10**9)}", "opd": OPD_ID},
                headers=_auth("kadis"),
                name="start project",
            )
            if created.status_code == 201:
                self.project_ids.append(created.json()["id"])
            return
        project_id = random.choice(self.project_ids)
        detail = self.client.get(
            f"/api/v1/projects/{project_id}/", headers=_auth("kadis"), name="/api/v1/projects/<id>/"
        )
        if not detail.ok:
            return
        current = detail.json().get("current") or []
        if not current:
            self.project_ids.remove(project_id)
            return
        number, role = current[0]["number"], current[0]["role_key"]
        if role not in TOKENS:
            return
        base = f"/api/v1/projects/{project_id}/steps/{number}/"
        step = self.client.get(base, headers=_auth(role), name="step detail")
        if not step.ok:
            return
        step = step.json()
        decision = (step.get("decisions") or [{}])[0].get("value")
        fields = {}
        for item in step.get("requirements", []):
            if item.get("satisfied") or item.get("generated"):
                continue
            if item["kind"] == "document":
                self.client.post(
                    base + "documents/",
                    data={"key": item["key"]},
                    files={"file": (f"{item['key']}.pdf", TINY_PDF, "application/pdf")},
                    headers=_auth(role),
                    name="upload document",
                )
            elif item.get("choices"):
                first = item["choices"][0]["value"]
                fields[item["key"]] = [first] if item.get("multiple") else first
            elif item.get("type") == "number":
                fields[item["key"]] = 10
            else:
                fields[item["key"]] = item.get("example") or f"Isian uji beban {item['key']}"
        body = {"fields": fields}
        if decision:
            body.update(decision=decision, reason="Uji beban")
        self.client.post(base + "complete/", json=body, headers=_auth(role), name="complete step")
