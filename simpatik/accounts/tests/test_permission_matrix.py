"""Every capability × every role of the SOP file × OPD staff × anonymous, through the web and the
API: allowed exactly where the SOP file grants it.

The expected column is read from the SOP file itself (YAML), not from the code under test, so a
revised file that moves a capability moves this matrix with it, and code that decides access by
anything else breaks it.
"""

import pytest
import yaml
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from simpatik.accounts.models import Opd
from simpatik.accounts.permissions import can, system_actor
from simpatik.inventory.models import Application
from simpatik.meetings import services as meetings
from simpatik.projects import services
from simpatik.projects.models import ProjectMember
from simpatik.provisioning.models import Repository, Subdomain
from simpatik.provisioning.services import provision_repository
from simpatik.sop.capabilities import CAPABILITIES
from simpatik.spbe.services import load_mapping
from simpatik.testing.personas import make_user

pytestmark = pytest.mark.django_db

SOP_FILE = yaml.safe_load(settings.SIMPATIK_SOP_DEFINITION.read_text())
ROLES = [role["key"] for role in SOP_FILE["roles"]]
GRANTED = {role["key"]: set(role.get("kewenangan") or ()) for role in SOP_FILE["roles"]}
PERSONAS = [*ROLES, "opd_user", "anonymous"]
PASSWORD = "rahasia-123"


def expected(persona: str, capability: str) -> bool:
    return capability in GRANTED.get(persona, set())


@pytest.fixture
def world(sop, opd, other_opd):
    """A project of one OPD that nobody below belongs to, with what hangs from it; a second
    project where each role's persona is a team member in its own role (to push)."""
    users = {role: make_user(role, [role], password=PASSWORD) for role in ROLES}
    users["opd_user"] = make_user("staf", [], opd=other_opd, password=PASSWORD)
    starter = make_user("pembuka", [r for r in ROLES if "mulai_proyek" in GRANTED[r]])
    project = services.start_project(actor=starter, nama="Aplikasi Cuti", opd=opd)
    team_project = services.start_project(actor=starter, nama="Aplikasi Tim", opd=opd)
    for role in ROLES:
        ProjectMember.objects.create(
            project=team_project, user=users[role], role_key=role, added_by=starter
        )
    repositories = {}
    for name, owner in (("cuti", project), ("tim", team_project)):
        repository = Repository.objects.create(project=owner, provider="local", name=name)
        repositories[name] = provision_repository(repository, actor=system_actor())
    subdomain = Subdomain.objects.create(
        zone=settings.SIMPATIK_DNS_ZONE,
        name="cuti",
        project=project,
        record_type="A",
        content="10.0.0.5",
    )
    application = Application.objects.create(nama="SIMPEG", opd=opd, status="aktif")
    need = services.submit_need(
        actor=make_user("opd-a", [], opd=opd), judul="Aplikasi Arsip", latar_belakang="Manual"
    )
    load_mapping((settings.REPO_DIR / "sop" / "pemetaan-spbe.yaml").read_text())
    presentation_step = next(iter(meetings.presentation_steps(project.definition)))
    run = services.engine.open_step(project, presentation_step, actor=starter)
    return {
        "users": users,
        "project": project,
        "repositories": repositories,
        "subdomain": subdomain,
        "application": application,
        "need": need,
        "run": run,
        "opd": opd,
    }


def _web(world, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(world["users"][persona])
    return client


def _api(world, persona):
    client = APIClient()
    if persona != "anonymous":
        client.force_authenticate(world["users"][persona])
    return client


def _git(world, persona, repository, service):
    client = Client()
    headers = {}
    if persona != "anonymous":
        import base64

        secret = base64.b64encode(f"{world['users'][persona].username}:{PASSWORD}".encode())
        headers["HTTP_AUTHORIZATION"] = "Basic " + secret.decode()
    response = client.get(f"/git/{repository.name}.git/info/refs?service={service}", **headers)
    assert response.status_code in {200, 401, 403, 404}, response.status_code
    return response.status_code == 200


def _allowed(response) -> bool:
    """Done (200, 201, or a redirect after a POST) rather than refused (403, 404, to sign-in)."""
    assert response.status_code < 500, response.status_code
    if response.status_code in {301, 302}:
        return "/masuk/" not in response["Location"]
    return response.status_code < 300


# Each probe answers "was it allowed?" through the web and through the API (or git, its API).
def probe_mulai_proyek(world, persona):
    web = _allowed(_web(world, persona).get("/proyek/baru/"))
    created = _api(world, persona).post(
        "/api/v1/projects/", {"nama": "Aplikasi Baru", "opd": world["opd"].pk}, format="json"
    )
    return web, _allowed(created)


def probe_lihat_semua_proyek(world, persona):
    pk = world["project"].pk
    web = _allowed(_web(world, persona).get(f"/proyek/{pk}/"))
    return web, _allowed(_api(world, persona).get(f"/api/v1/projects/{pk}/"))


def probe_catat_usulan(world, persona):
    """Registering a paper usulan for another OPD: OPD staff may only ask for their own."""
    page = _web(world, persona).get("/usulan/baru/")
    web = page.status_code == 200 and 'name="opd"' in page.content.decode()
    sent = _api(world, persona).post(
        "/api/v1/needs/",
        {"judul": "Aplikasi Surat", "latar_belakang": "Manual", "opd": world["opd"].pk},
        format="json",
    )
    api = sent.status_code == 201 and sent.json()["opd"] == world["opd"].pk
    assert sent.status_code in {201, 400, 401, 403}, sent.status_code
    return web, api


def probe_putuskan_usulan(world, persona):
    need = world["need"]
    client = _web(world, persona)
    response = client.post(f"/usulan/{need.pk}/", {"action": "reject", "reason": "Sudah ada"})
    need.refresh_from_db()
    return _allowed(response) and need.status == "ditolak", None


def probe_baca_repositori(world, persona):
    return None, _git(world, persona, world["repositories"]["cuti"], "git-upload-pack")


def probe_dorong_repositori(world, persona):
    return None, _git(world, persona, world["repositories"]["tim"], "git-receive-pack")


def probe_kelola_penyediaan(world, persona):
    subdomain = world["subdomain"]
    response = _web(world, persona).post(
        f"/dns/{subdomain.pk}/", {"confirm": "ya", "reason": "Diganti nama lain"}
    )
    subdomain.refresh_from_db()
    return _allowed(response) and subdomain.status == "ditarik", None


def probe_sunting_dokumentasi(world, persona):
    pk = world["project"].pk
    return _allowed(_web(world, persona).get(f"/proyek/{pk}/dokumentasi/baru/")), None


def probe_lihat_dasbor(world, persona):
    web = _allowed(_web(world, persona).get("/pengawasan/"))
    # The SPBE evidence bundles are the dashboard holders' too.
    assert _allowed(_web(world, persona).get("/spbe/bundel/")) == web
    return web, _allowed(_api(world, persona).get("/api/v1/stats/"))


def probe_evaluasi_sop(world, persona):
    from simpatik.monev.models import Evaluation

    response = _web(world, persona).post("/monev/mulai/", {"periode": "2026-S1"})
    return _allowed(response) and Evaluation.objects.filter(periode="2026-S1").exists(), None


def probe_jadwalkan_presentasi(world, persona):
    run = world["run"]
    response = _web(world, persona).post(
        f"/proyek/{run.project_id}/langkah/{run.step_number}/presentasi/",
        {
            "starts_at": "2026-12-03T09:30",
            "duration_minutes": "60",
            "place": "Aula",
            "attendees": [world["users"][ROLES[0]].pk],
        },
    )
    return response.status_code == 302 and run.presentations.exists(), None


def probe_lihat_inventaris(world, persona):
    listed = _api(world, persona).get("/api/v1/applications/")
    assert listed.status_code in {200, 401, 403}
    rows = listed.json()["results"] if listed.status_code == 200 else []
    names = {row["nama"] for row in rows}
    page = _web(world, persona).get(f"/inventaris/{world['application'].pk}/")
    return _allowed(page), "SIMPEG" in names


def probe_kelola_inventaris(world, persona):
    web = _allowed(_web(world, persona).get("/inventaris/baru/"))
    sent = _api(world, persona).post(
        "/api/v1/applications/",
        {"nama": "Aplikasi Arsip", "opd": world["opd"].pk, "status": "aktif"},
        format="json",
    )
    assert sent.status_code in {201, 401, 403}, sent.content
    return web, sent.status_code == 201


PROBES = {name[len("probe_") :]: f for name, f in globals().items() if name.startswith("probe_")}


def test_every_capability_has_a_probe():
    assert set(PROBES) == set(CAPABILITIES)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("capability", sorted(CAPABILITIES))
def test_matrix(world, persona, capability):
    want = expected(persona, capability)
    web, api = PROBES[capability](world, persona)
    assert web in {want, None}, f"web: {persona} {capability}"
    assert api in {want, None}, f"api: {persona} {capability}"
    if persona != "anonymous":
        user = world["users"][persona]
        user.__dict__.pop("_simpatik_capabilities", None)
        assert can(user, capability) == want


def test_the_system_actor_holds_what_the_file_declares(world):
    actor = system_actor()
    declared = set(SOP_FILE["sistem"]["kewenangan"])
    assert {c for c in CAPABILITIES if can(actor, c)} == declared
    assert not actor.has_usable_password()


def test_a_superuser_holds_every_capability(world):
    admin = make_user("admin", [])
    admin.is_superuser = True
    admin.save()
    assert all(can(admin, capability) for capability in CAPABILITIES)


def test_opd_scoped_presence_does_not_leak(world):
    """An OPD user sees its own agency's projects only; a Diskominfo role the rest by capability."""
    other = Opd.objects.get(kode="dinkes")
    project = services.start_project(
        actor=make_user("pembuka2", [r for r in ROLES if "mulai_proyek" in GRANTED[r]]),
        nama="Aplikasi Puskesmas",
        opd=other,
    )
    client = _web(world, "opd_user")
    assert client.get(f"/proyek/{project.pk}/").status_code == 200
    assert client.get(f"/proyek/{world['project'].pk}/").status_code == 404
