"""The census SOP (sop/inventarisasi-aplikasi.yaml, draft): one project fans out into one part
per OPD (`untuk_setiap: opd`), each done by that OPD's pengelola and verified or returned on its
own; the inventory is updated from the verified parts, with its history."""

import json

import pytest
from django.conf import settings

from simpatik.accounts.models import Opd
from simpatik.audit.models import AuditRecord
from simpatik.core.errors import PermissionDenied, ValidationError
from simpatik.inventory import services as inventory
from simpatik.inventory.models import Application
from simpatik.letters.models import Letter
from simpatik.projects import services
from simpatik.projects.models import Project, StepRun
from simpatik.projects.tests.test_api import _file, client_for, value_for
from simpatik.sop.definition import DefinitionError
from simpatik.sop.services import load_definition
from simpatik.testing.personas import make_user

CENSUS = settings.REPO_DIR / "sop" / "inventarisasi-aplikasi.yaml"
PENGELOLA = "opd_pengelola"


@pytest.fixture
def census_sop(sop):
    return load_definition(CENSUS.read_text()).version


@pytest.fixture
def world(census_sop, kadis, kabid, kasie, opd, other_opd):
    third = Opd.objects.create(kode="disdik", nama="Dinas Pendidikan", singkatan="Disdik")
    opds = [opd, other_opd, third]
    managers = {
        o.kode: make_user(f"pengelola_{o.kode}", [PENGELOLA], opd=o, password="rahasia-123")
        for o in opds
    }
    simpeg = inventory.register_application(
        actor=kasie, data={"nama": "SIMPEG", "opd": opd, "status": "aktif", "url": "simpeg.go.id"}
    )
    project = services.start_project(
        actor=kadis, nama="Inventarisasi Aplikasi 2026", opd=opd, sop="inventarisasi-aplikasi"
    )
    return {"project": project, "opds": opds, "managers": managers, "simpeg": simpeg}


def _open(project, number):
    runs = project.step_runs.filter(step_number=number, status=StepRun.Status.BERJALAN)
    return {run.opd.kode if run.opd_id else None: run for run in runs.select_related("opd")}


def _open_census(world, kabid):
    (run,) = _open(world["project"], 1).values()
    fields = {
        "dasar_pendataan": "SE Kadis 2026",
        "tahun_sensus": 2026,
        "batas_pendataan": "2026-12-15",
    }
    services.complete_step(run, actor=kabid, fields=fields)


def _answer(world, kode, rows):
    run = _open(world["project"], 2)[kode]
    services.complete_step(
        run, actor=world["managers"][kode], fields={"daftar_aplikasi": json.dumps(rows)}
    )


def test_census_fans_out_and_finishes_only_after_the_returned_part(world, kabid, kasie):
    project, simpeg = world["project"], world["simpeg"]
    _open_census(world, kabid)
    parts = _open(project, 2)
    assert set(parts) == {"bkpsdm", "dinkes", "disdik"}
    # Each part starts from its OPD's applications in the inventory.
    prefilled = json.loads(parts["bkpsdm"].values["daftar_aplikasi"])
    assert [(row["id"], row["nama"]) for row in prefilled] == [(simpeg.pk, "SIMPEG")]
    assert json.loads(parts["dinkes"].values["daftar_aplikasi"]) == []

    prefilled[0]["url"] = "https://simpeg.bolmutkab.go.id"
    _answer(world, "bkpsdm", [*prefilled, {"nama": "E-Absen", "status": "aktif"}])
    _answer(world, "dinkes", [{"nama": "SIMPUS", "status": "aktif"}])
    _answer(world, "disdik", [{"nama": "Dapodik Daerah", "status": "tidak_aktif"}])
    assert not _open(project, 2) and set(_open(project, 3)) == {"bkpsdm", "dinkes", "disdik"}

    verify = _open(project, 3)
    services.complete_step(verify["bkpsdm"], actor=kasie, decision="diterima")
    services.complete_step(
        verify["dinkes"], actor=kasie, decision="dikembalikan", reason="SIMPUS: URL belum diisi"
    )
    services.complete_step(verify["disdik"], actor=kasie, decision="diterima")
    # Only the returned OPD has work again; the census waits for it.
    assert set(_open(project, 2)) == {"dinkes"} and not _open(project, 4)
    again = _open(project, 2)["dinkes"]
    assert again.round == 2
    assert json.loads(again.values["daftar_aplikasi"]) == [{"nama": "SIMPUS", "status": "aktif"}]
    _answer(world, "dinkes", [{"nama": "SIMPUS", "status": "aktif", "url": "simpus.go.id"}])
    assert not _open(project, 4)
    services.complete_step(_open(project, 3)["dinkes"], actor=kasie, decision="diterima")
    assert set(_open(project, 4)) == {None}

    before = Application.objects.count()
    services.complete_step(_open(project, 4)[None], actor=kasie)
    simpeg.refresh_from_db()
    assert simpeg.url == "https://simpeg.bolmutkab.go.id"
    assert Application.objects.count() == before + 3
    assert Application.objects.get(nama="SIMPUS").opd.kode == "dinkes"
    assert Application.objects.get(nama="SIMPUS").url == "simpus.go.id"
    change = AuditRecord.objects.get(
        action="inventory.application.updated", object_id=str(simpeg.pk)
    )
    assert change.data["changes"]["url"] == ["simpeg.go.id", "https://simpeg.bolmutkab.go.id"]
    assert project.kode in change.reason


def test_another_opds_user_is_refused_on_an_opds_part(world, kabid):
    _open_census(world, kabid)
    part = _open(world["project"], 2)["bkpsdm"]
    stranger = world["managers"]["dinkes"]
    with pytest.raises(PermissionDenied) as refused:
        services.complete_step(part, actor=stranger, fields={"daftar_aplikasi": "[]"})
    assert refused.value.code == "wrong_opd"
    mine = StepRun.objects.actionable_by(stranger).filter(project=world["project"])
    assert [run.opd.kode for run in mine] == ["dinkes"]
    part.refresh_from_db()
    assert part.status == StepRun.Status.BERJALAN


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bukan json", "format JSON"),
        ('[{"nama": ""}]', "nama aplikasi wajib diisi"),
        ('[{"nama": "A", "status": "hidup"}]', "baris 1"),
        ('[{"nama": "A", "warna": "x"}]', "kolom tidak dikenal"),
        ('[{"nama": "A"}, {"nama": "a"}]', "ditulis dua kali"),
        ('[{"nama": "SIMPEG"}]', "sudah ada di inventaris"),
        # Nested past what json.loads can read without crashing (a RecursionError, a 500).
        ("[" * 4999 + "]" * 4999, "format JSON"),
    ],
)
def test_bad_rows_are_refused_in_indonesian_and_nothing_is_saved(world, kabid, text, message):
    _open_census(world, kabid)
    part = _open(world["project"], 2)["bkpsdm"]
    prefilled = part.values
    with pytest.raises(ValidationError) as refused:
        services.complete_step(
            part, actor=world["managers"]["bkpsdm"], fields={"daftar_aplikasi": text}
        )
    assert message in refused.value.message
    part.refresh_from_db()
    assert part.status == StepRun.Status.BERJALAN and part.values == prefilled


def test_a_row_naming_another_opds_application_is_refused(world, kabid, kasie, other_opd):
    foreign = inventory.register_application(actor=kasie, data={"nama": "SIMPUS", "opd": other_opd})
    _open_census(world, kabid)
    part = _open(world["project"], 2)["bkpsdm"]
    with pytest.raises(ValidationError) as refused:
        services.complete_step(
            part,
            actor=world["managers"]["bkpsdm"],
            fields={"daftar_aplikasi": json.dumps([{"id": foreign.pk, "nama": "SIMPUS"}])},
        )
    assert refused.value.code == "sensus_invalid"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                "untuk_setiap: opd\n    uraian: Pengelola",
                "untuk_setiap: semua\n    uraian: Pengelola",
            ),
            "untuk_setiap 'semua' tidak dikenal",
        ),
        (
            ("role: kabid\n    uraian", "role: kabid\n    untuk_setiap: opd\n    uraian"),
            "langkah pertama tidak dapat untuk_setiap",
        ),
    ],
)
def test_loader_checks_untuk_setiap(sop, change, message):
    text = CENSUS.read_text()
    assert change[0] in text
    with pytest.raises(DefinitionError) as refused:
        load_definition(text.replace(change[0], change[1], 1))
    assert message in str(refused.value)


def test_api_walks_the_census_driven_by_step_details(world, kadis, kabid, kasie):
    project_id = world["project"].pk
    clients = {"kadis": client_for(kadis), "kabid": client_for(kabid), "kasie": client_for(kasie)}
    managers = {kode: client_for(user) for kode, user in world["managers"].items()}
    returned = {"disdik"}
    for _ in range(40):
        project = clients["kadis"].get(f"/api/v1/projects/{project_id}/").json()
        if project["status"] == "selesai":
            break
        number = project["current_steps"][0]
        url = f"/api/v1/projects/{project_id}/steps/{number}/"
        detail = clients["kadis"].get(url).json()
        if detail.get("untuk_setiap") == "opd":
            part = next(p for p in detail["parts"] if p["status"] == "berjalan")
            kode = part["opd_kode"]
            detail = clients["kadis"].get(f"{url}?opd={part['opd']}").json()
            assert detail["opd"] == part["opd"]
            actor = managers[kode] if detail["role"] == PENGELOLA else clients[detail["role"]]
            target = f"{url}complete/?opd={part['opd']}"
        else:
            kode, actor, target = None, clients[detail["role"]], f"{url}complete/"
        decision, reason = None, ""
        if detail["decisions"]:
            option = detail["decisions"][0]
            if kode in returned:
                returned.discard(kode)
                option = next(o for o in detail["decisions"] if o["requires_reason"])
            decision, reason = (
                option["value"],
                "Perlu diperbaiki" if option["requires_reason"] else "",
            )
        fields = {}
        for requirement in detail["requirements"]:
            if requirement.get("type") == "boolean":
                fields[requirement["key"]] = True  # the Kadis publishes the catalogue
                continue
            if requirement["satisfied"]:
                continue
            if requirement["kind"] == "document":
                upload = actor.post(
                    f"{url}documents/",
                    {"key": requirement["key"], "file": _file(requirement["key"])},
                    format="multipart",
                )
                assert upload.status_code == 201, upload.content
            elif requirement.get("validate") == "inventory.sensus_aplikasi":
                rows = json.loads(requirement.get("suggested") or "[]")
                new = {"nama": f"Aplikasi {kode}"}  # a returned part starts from its answer
                fields[requirement["key"]] = json.dumps(rows if new in rows else [*rows, new])
            else:
                fields[requirement["key"]] = value_for(requirement, project_id)
        done = actor.post(
            target, {"fields": fields, "decision": decision, "reason": reason}, format="json"
        )
        assert done.status_code == 200, (number, kode, done.content)
    assert project["status"] == "selesai"
    assert not returned
    named = set(
        Application.objects.filter(nama__startswith="Aplikasi ").values_list("nama", flat=True)
    )
    assert named == {"Aplikasi bkpsdm", "Aplikasi dinkes", "Aplikasi disdik"}
    public = set(Application.objects.public().values_list("nama", flat=True))
    assert public == named | {"SIMPEG"}
    report = Letter.objects.get(project_id=project_id, kind="rekapitulasi_sensus")
    assert report.step_run.step_number == 5 and report.signer == kabid


def test_each_opd_confirms_its_own_part_on_the_web_and_the_kasie_picks_a_part(world, kabid, kasie):
    from django.test import Client

    _open_census(world, kabid)
    project = world["project"]
    browser = Client()
    browser.force_login(world["managers"]["dinkes"])  # not the project's own OPD
    page = browser.get(project.get_absolute_url())
    assert page.status_code == 200
    assert 'id="step-parts"' in page.text and f"?opd={world['opds'][1].pk}" in page.text
    assert "SIMPEG" not in page.text  # another OPD's rows are not offered to it
    rows = json.dumps([{"nama": "SIMPUS", "status": "aktif"}])
    done = browser.post(
        f"/proyek/{project.pk}/langkah/2/selesai/", {"daftar_aplikasi": rows}, follow=True
    )
    assert done.status_code == 200
    assert set(_open(project, 2)) == {"bkpsdm", "disdik"} and set(_open(project, 3)) == {"dinkes"}

    browser.force_login(kasie)
    dinkes = world["opds"][1]
    tasks = browser.get("/tugas/").text
    assert f"{project.get_absolute_url()}?opd={dinkes.pk}" in tasks  # its part, by its OPD
    assert f"Bagian OPD {dinkes}" in tasks  # the part's OPD named, not the project's
    page = browser.get(f"{project.get_absolute_url()}?opd={dinkes.pk}")
    assert page.status_code == 200 and "SIMPUS" in page.text
    assert f"/proyek/{project.pk}/langkah/3/selesai/?opd={dinkes.pk}" in page.text
    returned = browser.post(
        f"/proyek/{project.pk}/langkah/3/selesai/?opd={dinkes.pk}",
        {"decision": "dikembalikan", "reason": "SIMPUS: URL belum diisi"},
        follow=True,
    )
    assert returned.status_code == 200
    assert set(_open(project, 2)) == {"bkpsdm", "dinkes", "disdik"} and not _open(project, 3)
    assert _open(project, 2)["dinkes"].round == 2


def test_demo_load_with_every_sop_make_demo_loads(sop):
    """`make demo` loads the census SOP too: its sample census waits at the step run per OPD,
    one task for each active OPD, instead of stopping the demo load."""
    import re

    from django.core.management import call_command

    makefile = (settings.REPO_DIR / "Makefile").read_text()
    demo = makefile.split("\ndemo:")[1].split("\n\n")[0]
    for path in re.findall(r"sop load (sop/\S+\.yaml)", demo):
        load_definition((settings.REPO_DIR / path).read_text())
    call_command("demo", "load")
    (census,) = Project.objects.filter(sop_version__kode="inventarisasi-aplikasi")
    parts = StepRun.objects.filter(project=census, status=StepRun.Status.BERJALAN)
    assert parts.count() == Opd.objects.filter(aktif=True).count() > 1
    assert all(run.opd_id for run in parts)


def test_the_project_list_shows_a_step_run_per_opd_as_one_line(world, kabid, kasie, client):
    _open_census(world, kabid)
    client.force_login(kasie)
    row = next(
        line
        for line in client.get("/proyek/").content.decode().split("<tr>")
        if world["project"].kode in line
    )
    assert row.count("2 (3 bagian OPD) ·") == 1
    assert "hari kerja2" not in row  # the parts are not strung together


def test_an_opds_staff_read_their_own_part_only(world, kabid, kasie):
    """Another OPD's part lists that OPD's applications: its staff asking for it by `?opd=` (the
    API and the page) find nothing; the office's staff, who see every project, read any part."""
    _open_census(world, kabid)
    project, (own, other, _third) = world["project"], world["opds"]
    manager = client_for(world["managers"][own.kode])
    url = f"/api/v1/projects/{project.pk}/steps/2/"
    assert manager.get(url, {"opd": own.pk}).status_code == 200
    refused = manager.get(url, {"opd": other.pk})
    assert (refused.status_code, refused.json()["code"]) == (404, "opd_unknown")
    assert client_for(kasie).get(url, {"opd": other.pk}).status_code == 200


def test_a_recorded_date_reads_as_a_date_on_the_step(world, kabid, client):
    _open_census(world, kabid)
    client.force_login(kabid)
    page = client.get(f"/proyek/{world['project'].pk}/?langkah=1").content.decode()
    item = page[page.index('data-key="batas_pendataan"') :].split("</li>")[0]
    assert "15 Des 2026" in item and "2026-12-15" not in item


def test_the_history_says_whose_part_was_completed(world, kabid, kasie, client):
    """Five OPDs answer the census: "menyelesaikan langkah 2" alone could not tell whose part
    was sent in, accepted or returned."""
    from simpatik.audit.sentences import describe

    _open_census(world, kabid)
    part = _open(world["project"], 2)["bkpsdm"]
    services.complete_step(
        part, actor=world["managers"]["bkpsdm"], fields={"daftar_aplikasi": "[]"}
    )
    record = AuditRecord.objects.get(action="project.step.completed", step_number=2)
    assert record.data["opd"] == part.opd.nama
    (entry,) = describe([record])
    assert ("OPD", part.opd.nama) in [(str(label), str(value)) for label, value in entry.rows]


def test_one_census_at_a_time(world, kadis, opd):
    """A second census beside a running one would ask every OPD for its list twice."""
    from simpatik.core.errors import Conflict

    with pytest.raises(Conflict) as refused:
        services.start_project(
            actor=kadis, nama="Inventarisasi lagi", opd=opd, sop="inventarisasi-aplikasi"
        )
    assert refused.value.code == "sop_already_running"
    assert world["project"].kode in refused.value.message
    assert Project.objects.filter(sop_version__kode="inventarisasi-aplikasi").count() == 1
    # Applications are still started side by side under the other SOPs.
    services.start_project(actor=kadis, nama="Sistem A", opd=opd)
    services.start_project(actor=kadis, nama="Sistem B", opd=opd)
