import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from simpatik.accounts.permissions import system_actor
from simpatik.audit.models import AuditRecord
from simpatik.core.errors import Conflict, PermissionDenied
from simpatik.jobs import services as jobs
from simpatik.jobs.models import Job
from simpatik.notifications.models import Notification
from simpatik.provisioning import services
from simpatik.provisioning.models import Repository
from simpatik.testing.walker import complete_current, walk_to


def _through_step_8(project, team, jobs):
    """Complete step 8; its repository job runs when the step commits (jobs: run_jobs_now)."""
    walk_to(project, team, 8)
    with jobs():
        complete_current(project, team, extra_fields={"tim_pengembang": ["pengembang"]})
    return Repository.objects.get(project=project)


def test_project_api_shows_no_repository_before_step_8_and_its_clone_url_after(
    project, team, settings, tmp_path, run_jobs_now
):
    settings.SIMPATIK_GIT_ROOT = tmp_path / "git"
    client = APIClient()
    client.force_authenticate(team[2])
    assert client.get(f"/api/v1/projects/{project.pk}/").json()["repository"] is None
    repository = _through_step_8(project, team, run_jobs_now)
    body = client.get(f"/api/v1/projects/{project.pk}/").json()["repository"]
    assert body["provider"] == "local" and body["status"] == "siap"
    assert body["clone_url"].endswith(f"/git/{repository.name}.git")
    assert (tmp_path / "git" / f"{repository.name}.git" / "HEAD").exists()


def test_a_failure_is_recorded_does_not_undo_the_step_and_can_be_retried(
    project, team, settings, tmp_path, run_jobs_now
):
    blocker = tmp_path / "bukan-direktori"
    blocker.write_text("x")
    settings.SIMPATIK_GIT_ROOT = blocker / "git"  # a path under a file: the server cannot make it
    repository = _through_step_8(project, team, run_jobs_now)
    # The job will try again: the repository is still being made, the error is kept on it.
    assert repository.status == "menunggu" and "tidak dapat dibuat" in repository.error
    assert project.step_runs.get(step_number=8).status == "selesai"  # the step record stands
    assert not list(tmp_path.glob("**/*.git"))  # nothing half-made is left
    with pytest.raises(PermissionDenied):
        services.retry_repository(repository, actor=team[3])
    settings.SIMPATIK_GIT_ROOT = tmp_path / "git"
    with run_jobs_now():  # an operator does not wait out the backoff: the job runs now
        repository = services.retry_repository(repository, actor=team[2])
    repository.refresh_from_db()
    assert repository.status == "siap" and repository.attempts == 2
    actions = list(
        AuditRecord.objects.filter(object_type="provisioning.repository").values_list(
            "action", flat=True
        )
    )
    # Only a final failure is history; the attempt that failed is the job's (its last error).
    assert "repository.failed" not in actions and "repository.provisioned" in actions
    with pytest.raises(Conflict):
        services.retry_repository(repository, actor=team[2])


def test_repo_provision_command(project, team, settings, tmp_path, run_jobs_now, capsys):
    settings.SIMPATIK_GIT_ROOT = tmp_path / "git"
    kabid = next(user for user in team if "kabid" in user.role_keys())
    with pytest.raises(CommandError):
        call_command("repo", "provision", "PRJ-TIDAK-ADA", "--as", kabid.username)
    with pytest.raises(CommandError, match="--as"):
        call_command("repo", "provision", project.kode)
    call_command("repo", "provision", project.kode, "--as", kabid.username)
    assert "Siap:" in capsys.readouterr().out
    assert Repository.objects.get(project=project).status == "siap"


class FakeForge(BaseHTTPRequestHandler):
    """Answers as Gitea's and GitLab's REST APIs do, remembering what was asked."""

    calls: list = []
    refuse_member = False
    failures = 0  # answer this many repository creations with a 500, as a forge having a bad time

    def _reply(self, status, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null") if length else None
        auth = self.headers.get("Authorization") or self.headers.get("PRIVATE-TOKEN")
        FakeForge.calls.append((self.command, self.path, body, auth))
        path = self.path
        if path == "/api/v1/orgs/diskominfo/repos" and self.command == "POST":
            if FakeForge.failures:
                FakeForge.failures -= 1
                return self._reply(500, {"message": "database is locked"})
            return self._reply(
                201,
                {
                    "clone_url": f"https://git.example/diskominfo/{body['name']}.git",
                    "html_url": f"https://git.example/diskominfo/{body['name']}",
                },
            )
        if "/collaborators/" in path and self.command == "PUT":
            return self._reply(422 if FakeForge.refuse_member else 204)
        if path.startswith("/api/v1/repos/") and self.command == "DELETE":
            return self._reply(204)
        if path == "/api/v4/projects" and self.command == "POST":
            return self._reply(
                201,
                {
                    "id": 77,
                    "http_url_to_repo": f"https://gitlab.example/{body['path']}.git",
                    "web_url": f"https://gitlab.example/{body['path']}",
                },
            )
        if path.endswith(("/git/refs/tags/v1.0", "/repository/tags/v1.0")):
            return self._reply(200, {"name": "v1.0"})
        if path.startswith("/api/v4/users?username="):
            return self._reply(200, [{"id": 5, "username": path.rsplit("=", 1)[1]}])
        if path == "/api/v4/projects/77/members" and self.command == "POST":
            return self._reply(201, {"id": body["user_id"], "access_level": body["access_level"]})
        return self._reply(404, {"message": "404 Not found"})

    do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture
def forge():
    FakeForge.calls = []
    FakeForge.refuse_member = False
    FakeForge.failures = 0
    server = HTTPServer(("127.0.0.1", 0), FakeForge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_gitea_creates_a_private_repository_and_adds_the_team(
    project, team, settings, forge, run_jobs_now
):
    settings.SIMPATIK_REPO_PROVIDER = "gitea"
    settings.SIMPATIK_GITEA_URL, settings.SIMPATIK_GITEA_TOKEN = forge, "rahasia"
    repository = _through_step_8(project, team, run_jobs_now)
    assert repository.status == "siap" and repository.clone_url.startswith(
        "https://git.example/diskominfo/"
    )
    create, member = FakeForge.calls[0], FakeForge.calls[1]
    assert create[0:2] == ("POST", "/api/v1/orgs/diskominfo/repos") and create[2]["private"] is True
    assert create[3] == "token rahasia"
    assert (
        member[0] == "PUT"
        and member[1].endswith("/collaborators/pengembang")
        and member[2] == {"permission": "write"}
    )


def test_gitea_removes_the_repository_when_the_team_cannot_be_added(
    project, team, settings, forge, run_jobs_now
):
    settings.SIMPATIK_REPO_PROVIDER = "gitea"
    settings.SIMPATIK_GITEA_URL, settings.SIMPATIK_GITEA_TOKEN = forge, "rahasia"
    FakeForge.refuse_member = True
    repository = _through_step_8(project, team, run_jobs_now)
    assert repository.status == "menunggu" and "menambahkan pengembang" in repository.error
    assert FakeForge.calls[-1][0] == "DELETE"  # no half-made repository left on Gitea


def test_gitlab_creates_a_private_project_with_developers(
    project, team, settings, forge, run_jobs_now
):
    settings.SIMPATIK_REPO_PROVIDER = "gitlab"
    settings.SIMPATIK_GITLAB_URL, settings.SIMPATIK_GITLAB_TOKEN = forge, "glpat-rahasia"
    settings.SIMPATIK_GITLAB_NAMESPACE_ID = 12
    repository = _through_step_8(project, team, run_jobs_now)
    assert repository.status == "siap" and repository.clone_url.startswith(
        "https://gitlab.example/"
    )
    create = FakeForge.calls[0]
    assert (
        create[2]["visibility"] == "private"
        and create[2]["namespace_id"] == 12
        and create[3] == "glpat-rahasia"
    )
    member = next(call for call in FakeForge.calls if call[1] == "/api/v4/projects/77/members")
    assert member[2] == {"user_id": 5, "access_level": 30}


def _due(job):
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now() - timedelta(seconds=1))


def _project_page(user, project):
    client = Client()
    client.force_login(user)
    response = client.get(f"/proyek/{project.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _gitea(settings, forge):
    settings.SIMPATIK_REPO_PROVIDER = "gitea"
    settings.SIMPATIK_GITEA_URL, settings.SIMPATIK_GITEA_TOKEN = forge, "rahasia"


def test_a_failing_forge_is_retried_with_a_growing_wait_until_the_repository_is_made(
    project, team, settings, forge, run_jobs_now
):
    _gitea(settings, forge)
    FakeForge.failures = 2
    started = timezone.now()
    repository = _through_step_8(project, team, run_jobs_now)
    job = services.repository_job(repository)
    assert job.status == "menunggu" and job.attempts == 1 and "(500)" in job.last_error
    first_wait = job.run_after - started
    assert first_wait >= timedelta(seconds=14)
    assert repository.status == "menunggu" and "database is locked" in repository.error
    # Whoever follows the project sees that it is on its way, and why it is late.
    teknis = team[4]
    page = _project_page(teknis, project)
    assert 'data-state="dibuat"' in page and "Percobaan 1 dari 8 gagal" in page
    assert "database is locked" in page and "repositori/ulang/" not in page
    assert jobs.run(job.pk) == "dilewati"  # the backoff holds it back
    _due(job)
    assert jobs.run(job.pk) == "diulang"
    job.refresh_from_db()
    assert job.run_after - timezone.now() > first_wait  # the wait grew
    _due(job)
    assert jobs.run(job.pk) == "berhasil"
    repository.refresh_from_db()
    job.refresh_from_db()
    assert repository.status == "siap" and repository.attempts == 3 and repository.error == ""
    assert job.status == "berhasil" and job.attempts == 3
    assert [c[1] for c in FakeForge.calls].count("/api/v1/orgs/diskominfo/repos") == 3
    made = AuditRecord.objects.get(action="repository.provisioned")
    assert made.actor == system_actor() and made.via == "worker"
    assert not AuditRecord.objects.filter(action="repository.failed").exists()
    page = _project_page(teknis, project)
    assert 'data-state="siap"' in page and "git.example/diskominfo/" in page


def test_a_repository_job_that_gives_up_shows_failed_and_an_operator_runs_it_again(
    project, team, settings, forge, run_jobs_now
):
    _gitea(settings, forge)
    FakeForge.failures = 100
    repository = _through_step_8(project, team, run_jobs_now)
    job = services.repository_job(repository)
    while job.status == "menunggu":
        _due(job)
        jobs.run(job.pk)
        job.refresh_from_db()
    assert job.status == "gagal" and job.attempts == job.max_attempts == 8
    repository.refresh_from_db()
    assert repository.status == "gagal" and repository.attempts == 8
    failed = AuditRecord.objects.get(action="repository.failed")  # once: the final failure
    assert failed.data["attempts"] == 8 and failed.actor == system_actor()
    assert AuditRecord.objects.get(action="job.failed").project == project
    kasie, pengembang, teknis = team[2], team[3], team[4]
    page = _project_page(kasie, project)
    assert 'data-state="gagal"' in page and "database is locked" in page
    assert "repositori/ulang/" in page  # an operator may run it again
    assert "repositori/ulang/" not in _project_page(teknis, project)
    refused = Client()
    refused.force_login(pengembang)
    assert refused.post(f"/proyek/{project.pk}/repositori/ulang/").status_code == 403
    FakeForge.failures = 0
    operator = Client()
    operator.force_login(kasie)
    with run_jobs_now():
        response = operator.post(f"/proyek/{project.pk}/repositori/ulang/")
    assert response.status_code == 302
    repository.refresh_from_db()
    job.refresh_from_db()
    assert repository.status == "siap" and job.status == "berhasil"  # the same job, run again
    assert AuditRecord.objects.get(action="job.retried").actor == kasie
    assert Job.objects.filter(name=services.CREATE_REPOSITORY).count() == 1


def test_subdomain_api_and_zonefile_endpoint(project, kasie, teknis, opd_user, settings):
    settings.SIMPATIK_DNS_ZONE = "bolmutkab.go.id"
    subdomain = services.request_subdomain(
        project, actor=kasie, name="cuti", record_type="A", content="10.0.0.1"
    )
    services.publish_subdomain(subdomain, actor=kasie)
    client = APIClient()
    client.force_authenticate(teknis)
    rows = client.get("/api/v1/subdomains/").json()
    assert rows["count"] == 1
    assert rows["results"] == [
        {
            "id": subdomain.pk,
            "name": "cuti",
            "fqdn": "cuti.bolmutkab.go.id",
            "record_type": "A",
            "content": "10.0.0.1",
            "status": "terbit",
            "application": None,
            "project": project.pk,
        }
    ]
    zone = client.get("/api/v1/dns/zonefile/")
    assert zone.status_code == 200 and b"cuti 3600 IN A 10.0.0.1" in zone.content
    opd = APIClient()
    opd.force_authenticate(opd_user)
    assert opd.get("/api/v1/dns/zonefile/").status_code == 403


def test_dns_commands(project, kasie, settings, capsys, tmp_path):
    settings.SIMPATIK_DNS_ZONE = "bolmutkab.go.id"
    services.request_subdomain(
        project, actor=kasie, name="cuti", record_type="A", content="10.0.0.1"
    )
    call_command("dns", "publish", "cuti", "--as", kasie.username)
    assert "Terbit: cuti.bolmutkab.go.id" in capsys.readouterr().out
    call_command("dns", "export", str(tmp_path / "zona"))
    assert "cuti 3600 IN A 10.0.0.1" in (tmp_path / "zona").read_text()
    with pytest.raises(CommandError):
        call_command("dns", "publish", "tidakada", "--as", kasie.username)
    assert AuditRecord.objects.filter(action="dns.subdomain.published", via="cli").exists()


@pytest.mark.parametrize("provider", ["gitea", "gitlab"])
def test_a_release_is_looked_up_on_the_forge(provider, project, settings, forge):
    from simpatik.provisioning.models import Repository
    from simpatik.provisioning.repos import get_provider

    settings.SIMPATIK_GITEA_URL, settings.SIMPATIK_GITEA_TOKEN = forge, "rahasia"
    settings.SIMPATIK_GITLAB_URL, settings.SIMPATIK_GITLAB_TOKEN = forge, "glpat-rahasia"
    repository = Repository(
        project=project, provider=provider, name="cuti", web_url="https://gitlab.example/apl/cuti"
    )
    found = get_provider(provider)
    assert found.has_ref(repository, "v1.0") and not found.has_ref(repository, "v9.9")
    asked = [call[1] for call in FakeForge.calls]
    if provider == "gitea":
        assert asked[0] == "/api/v1/repos/diskominfo/cuti/git/refs/tags/v1.0"
    else:
        assert asked[0] == "/api/v4/projects/apl%2Fcuti/repository/tags/v1.0"


def test_a_repository_left_without_a_job_is_sent_to_the_worker_by_an_operator(
    project, team, run_jobs_now
):
    """A request recorded before provisioning ran as jobs has nothing waiting for it."""
    repository = Repository.objects.create(
        project=project, provider="local", name=services.repository_name(project)
    )
    kasie = team[2]
    page = _project_page(kasie, project)
    assert 'data-state="dibuat"' in page and "repositori/ulang/" in page
    with run_jobs_now():
        services.retry_repository(repository, actor=kasie, via="web")
    repository.refresh_from_db()
    assert repository.status == "siap"
    assert AuditRecord.objects.get(action="repository.requested").actor == kasie
    assert services.repository_job(repository).status == "berhasil"


def test_a_repository_job_that_gives_up_tells_the_operators_and_the_step_holder(
    project, team, settings, forge, run_jobs_now, smtpd
):
    _gitea(settings, forge)
    FakeForge.failures = 100
    kadis, kabid, kasie, pengembang, teknis = team
    for person in team:
        person.email = f"{person.username}@example.invalid"
        person.save(update_fields=["email"])
    repository = _through_step_8(project, team, run_jobs_now)
    job = services.repository_job(repository)
    with run_jobs_now():
        while job.status == "menunggu":
            _due(job)
            jobs.run(job.pk)
            job.refresh_from_db()
    assert job.status == "gagal"
    notes = Notification.objects.filter(event="penyediaan.gagal")
    # Those who manage provisioning (kelola_penyediaan: Kadis, Kabid, Kasie) and the developer
    # holding step 9, which needs the repository; not the Tim Teknis.
    told = {note.recipient.username for note in notes}
    assert told == {kadis.username, kabid.username, kasie.username, pengembang.username}
    note = notes.get(recipient=pengembang)
    assert "8 percobaan" in note.message and "database is locked" in note.message
    assert note.project == project
    mails = {rcpt for _from, rcpts, _msg in smtpd.messages for rcpt in rcpts}
    subjects = [msg["Subject"] for _from, _rcpts, msg in smtpd.messages]
    assert "pengembang@example.invalid" in mails and "kasie@example.invalid" in mails
    assert subjects.count("[SIMPATIK] Penyediaan layanan gagal") == 4
    assert jobs.run(job.pk) == "dilewati" and notes.count() == 4  # told once
    page = _project_page(teknis, project)
    assert 'id="provisioning-failures"' in page and "database is locked" in page
    assert pengembang.display_name in page.split('id="provisioning-failures"')[1]
