"""The draft SOP "Pengembangan Aplikasi oleh OPD" (sop/pengembangan-aplikasi-oleh-opd.yaml):
loaded beside the seed, walked through the API from step details alone (with one plan returned
for revision), its OPD-scoped steps refused to another OPD, and its sheet marked as a draft."""

import io
from collections import Counter

import pytest
from django.test import Client
from pypdf import PdfReader

from simpatik.accounts.permissions import can
from simpatik.core.errors import ValidationError
from simpatik.inventory.models import Application
from simpatik.letters.models import Letter
from simpatik.letters.tests.helpers import raw_tokens, text_of
from simpatik.projects import queries, services
from simpatik.projects.models import Project, ProjectMember, StepRun
from simpatik.projects.tests.test_api import client_for
from simpatik.sop.definition import DefinitionError
from simpatik.sop.services import load_definition
from simpatik.testing.personas import make_user
from simpatik.testing.sopfile import GRANTED, OPD_SOP
from simpatik.testing.walker import api_complete_current, open_run

KODE = "pengembangan-aplikasi-oleh-opd"


@pytest.fixture
def opd_sop(sop):
    return load_definition(OPD_SOP.read_text()).version


@pytest.fixture
def people(opd_sop, team, opd):
    """The seed's team and, in the requesting OPD, its application manager and its vendor."""
    scoped = [
        make_user(role["key"], [role["key"]], opd=opd, first_name=role["nama"], password="x-1")
        for role in opd_sop.definition.roles
        if role["key"] in opd_sop.definition.opd_roles
    ]
    return [*team, *scoped]


@pytest.fixture
def opd_project(people, kadis, opd):
    return services.start_project(
        actor=kadis, nama="Aplikasi Layanan Kepegawaian", opd=opd, sop=KODE
    )


def test_loader_accepts_the_draft_and_keeps_its_draft_mark(opd_sop):
    definition = opd_sop.definition
    assert definition.kode == KODE
    assert definition.identitas["status"] == "draf"
    assert "Kepala Dinas" in definition.identitas["catatan_status"]
    assert definition.opd_roles == frozenset({"opd_pengelola", "opd_vendor"})
    assert definition.first_step.role == "opd_pengelola"
    # Every step has the Mutu Baku columns: Waktu and Output (Kelengkapan after the first).
    for step in definition.steps:
        assert step.output and (step.waktu or step.waktu_from_field), step.number


def test_the_draft_widens_no_authority_of_a_role_it_shares_with_the_seed(opd_sop):
    shared = [role for role in opd_sop.definition.roles if role["key"] in GRANTED]
    assert {role["key"] for role in shared} == {"kadis", "kabid", "kasie", "teknis"}
    for role in shared:
        assert set(role.get("kewenangan") or ()) <= GRANTED[role["key"]], role["key"]


def test_an_unknown_identity_status_is_refused(sop):
    text = OPD_SOP.read_text().replace("status: draf", "status: hampir")
    with pytest.raises((DefinitionError, ValidationError)) as caught:
        load_definition(text)
    assert "status 'hampir'" in str(caught.value)


def test_full_walk_through_the_api_with_the_plan_returned_once(opd_project, people):
    project = opd_project
    returned = False
    while (run := open_run(project)) is not None:
        decision = None
        if run.step_number == 3 and not returned:
            decision, returned = "perbaikan", True
        api_complete_current(project, people, decision=decision)
        project.refresh_from_db()
    assert project.status == "selesai"
    # The plan went back to the OPD once: steps 1 to 3 ran twice, the rest once.
    done = project.step_runs.filter(status=StepRun.Status.SELESAI)
    rounds = Counter(done.values_list("step_number", flat=True))
    assert rounds == {1: 2, 2: 2, 3: 2, **{n: 1 for n in range(4, 13)}}
    rows = client_for(people[0]).get(f"/api/v1/projects/{project.pk}/letters/").json()
    assert sorted(row["step"] for row in rows) == [4, 7, 8, 10, 11, 12]
    assert {row["step"]: row["kind"] for row in rows}[4] == "rekomendasi_pengembangan"
    # Every letter reads as plain Indonesian; the recommendation quotes the OPD's own plan and
    # is addressed to its OPD-scoped role (`kepada: opd_pengelola`).
    for letter in Letter.objects.filter(project=project):
        text = text_of(letter)
        assert project.nama in text and raw_tokens(text) == [], letter.kind
    recommendation = text_of(Letter.objects.get(project=project, step_number=4))
    assert "merekomendasikan" in recommendation and "Pengelola Aplikasi OPD" in recommendation
    assert "CV Teknologi Nusantara" in recommendation  # the vendor named at step 1
    # The inventory holds the OPD's application, built by its vendor, in operation.
    application = Application.objects.get(project=project)
    assert application.status == Application.Status.AKTIF
    assert application.pengembang == Application.Pengembang.PIHAK_KETIGA
    assert application.opd == project.opd and application.repositori and application.url
    # The vendor the OPD named at step 5 is the project's team (it pushes to the repository).
    vendor = next(u for u in people if u.username == "opd_vendor")
    assert ProjectMember.objects.filter(project=project, user=vendor, aktif=True).exists()


def test_opd_scoped_step_refused_to_a_user_of_another_opd(opd_project, other_opd, opd):
    project = opd_project
    run = queries.open_run_of(project, 1)
    url = f"/api/v1/projects/{project.pk}/steps/1/complete/"
    body = {"fields": {"latar_belakang_opd": "Latar"}}
    lain = make_user("pengelola_lain", ["opd_pengelola"], opd=other_opd, password="rahasia-123")
    assert client_for(lain).post(url, body, format="json").status_code == 404
    pengawas = make_user(
        "pengawas_lain", ["kadis", "opd_pengelola"], opd=other_opd, password="rahasia-123"
    )
    refused = client_for(pengawas).post(url, body, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "wrong_opd"
    run.refresh_from_db()
    assert run.is_open
    # The requesting OPD's own manager may.
    pengelola = make_user("pengelola", ["opd_pengelola"], opd=opd, password="rahasia-123")
    assert can(pengelola, "kerjakan_langkah", run) and not can(pengawas, "kerjakan_langkah", run)


def test_sop_sheet_pdf_renders_with_the_draft_mark(opd_sop):
    response = Client().get(f"/sop/{opd_sop.pk}/dokumen.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "DRAF" in first and "ditandatangani Kepala Dinas" in first
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for role in opd_sop.definition.roles:
        assert role["nama"] in text
    for step in opd_sop.definition.steps:
        assert " ".join(step.uraian.split())[:50] in text, step.number


def test_web_sheet_and_bpmn_come_from_the_drafts_own_definition(opd_sop):
    page = Client().get(f"/sop/{opd_sop.pk}/dokumen/").content.decode()
    assert ">DRAF<" in page and "#b00020" in page  # the red mark in the identity header
    assert page.count("<svg") >= 3
    bpmn = Client().get(f"/sop/{opd_sop.pk}/bpmn.xml")
    assert bpmn.status_code == 200
    xml = bpmn.content.decode()
    assert "Pengelola Aplikasi OPD" in xml and "Keputusan atas rencana OPD" in xml


def test_seed_sheet_has_no_draft_mark(sop):
    response = Client().get(f"/sop/{sop.pk}/dokumen.pdf")
    first = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "DRAF" not in first


def test_make_demo_loads_the_draft_and_makes_its_opd_users(opd_sop):
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    makefile = (settings.REPO_DIR / "Makefile").read_text()
    assert f"sop load sop/{OPD_SOP.name}" in makefile.split("\ndemo:")[1].split("\n\n")[0]
    call_command("demo", "load")
    users = get_user_model().objects
    pengelola, vendor = users.get(username="opd_pengelola"), users.get(username="opd_vendor")
    assert pengelola.role_keys() == {"opd_pengelola"} and vendor.role_keys() == {"opd_vendor"}
    assert pengelola.opd is not None and vendor.opd == pengelola.opd
    assert pengelola.check_password("Demo-Simpatik-2026")
    for role in opd_sop.definition.roles:  # every role of the draft has its demo user
        assert users.filter(username=role["key"]).exists(), role["key"]
    # A sample project of the draft waits at its first decision, the Kabid's.
    (sample,) = Project.objects.filter(sop_version=opd_sop)
    assert [(r.step_number, r.role_key) for r in queries.open_runs(sample)] == [(3, "kabid")]
    assert sample.opd == pengelola.opd


def test_a_late_opd_step_is_escalated_to_the_kasie_of_diskominfo(opd_project, people):
    """The OPD's own steps have no supervisor inside the OPD: the Kasie e-Government (then the
    Kabid and the Kadis) hears when the OPD's plan is late, as the SOP's `supervises` says."""
    import datetime as dt

    from simpatik.notifications import deadlines
    from simpatik.notifications.models import Notification

    run = StepRun.objects.get(project=opd_project, step_number=1)
    run.due_date = dt.date(2026, 3, 10)
    run.save(update_fields=["due_date"])
    assert opd_project.definition.supervisors_of("opd_pengelola") == ["kasie", "kabid", "kadis"]
    counts = deadlines.sweep(today=dt.date(2026, 3, 20))  # eight working days late
    assert counts["eskalasi"] >= 1
    told = set(
        Notification.objects.filter(event="eskalasi").values_list("recipient__username", flat=True)
    )
    assert told == {"kasie"}  # the nearest supervisor: the Kasie, before the Kabid and Kadis
    late = set(
        Notification.objects.filter(event="tenggat.lewat").values_list(
            "recipient__username", flat=True
        )
    )
    assert late == {"opd_pengelola"}


def test_a_choice_reads_by_its_label_on_the_step_and_in_the_history(opd_project, people, client):
    """`choice_labels:` in the SOP file: the OPD SOP's developer choice read "pihak_ketiga"."""
    from simpatik.audit.models import AuditRecord
    from simpatik.audit.sentences import describe
    from simpatik.testing.walker import complete_current

    step = opd_project.definition.step(1)
    item = step.requirement("pengembang_aplikasi")
    assert dict(item.choice_labels) == {
        "pihak_ketiga": "Pihak ketiga (vendor)",
        "opd": "Tim internal OPD",
    }
    complete_current(opd_project, people, extra_fields={"pengembang_aplikasi": "pihak_ketiga"})
    manager = next(u for u in people if u.username == "opd_pengelola")
    client.force_login(manager)
    page = client.get(f"/proyek/{opd_project.pk}/?langkah=1").content.decode()
    shown = page[page.index('data-key="pengembang_aplikasi"') :].split("</li>")[0]
    assert "Pihak ketiga (vendor)" in shown and "pihak_ketiga" not in shown.split(">", 1)[1]
    record = AuditRecord.objects.get(action="project.step.completed", step_number=1)
    (entry,) = describe([record])
    assert "Pengembang aplikasi : Pihak ketiga (vendor)" in " ".join(
        f"{label} : {value}" for label, value in entry.rows
    )


def test_choice_labels_name_only_the_items_choices(opd_sop):
    text = OPD_SOP.read_text().replace(
        'choice_labels: {pihak_ketiga: "Pihak ketiga (vendor)", opd: "Tim internal OPD"}',
        'choice_labels: {vendor: "Vendor"}',
    )
    with pytest.raises(DefinitionError) as caught:
        load_definition(text)
    assert any("choice_labels" in problem for problem in caught.value.problems)


def test_a_vendor_sees_only_the_projects_whose_team_it_is_on(opd_project, people, kadis, opd):
    """The vendor (`pihak_ketiga`) is not its OPD's staff: it sees neither the OPD's other
    projects, nor its usulan or inventory, and may not ask for an application; once the OPD
    names it at step 5 it sees that project."""
    from simpatik.projects.models import Need
    from simpatik.testing.walker import walk_to

    vendor = next(u for u in people if u.username == "opd_vendor")
    manager = next(u for u in people if u.username == "opd_pengelola")
    other = services.start_project(actor=kadis, nama="Sistem Arsip", opd=opd)
    Application.objects.create(nama="SIMPEG", opd=opd)
    assert not Project.objects.visible_to(vendor).exists()
    assert not can(vendor, "ajukan_usulan") and can(manager, "ajukan_usulan")
    assert not Application.objects.visible_to(vendor).exists()
    assert Application.objects.visible_to(manager).count() == 1
    browser = Client()
    browser.force_login(vendor)
    assert browser.get(f"/proyek/{other.pk}/").status_code == 404
    assert browser.get("/usulan/baru/").status_code == 403
    # Its menu offers no usulan list (it sees none); the OPD's manager's does.
    assert ">Usulan</a>" not in browser.get("/tugas/").content.decode()
    staff = Client()
    staff.force_login(manager)
    assert ">Usulan</a>" in staff.get("/tugas/").content.decode()
    assert not Need.objects.visible_to(vendor).exists()

    # Nor through the API, which took the usulan for the vendor's OPD.
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(vendor)
    asked = api.post(
        "/api/v1/needs/", {"judul": "Aplikasi X", "latar_belakang": "Y"}, format="json"
    )
    assert asked.status_code == 403 and not Need.objects.exists()

    walk_to(opd_project, people, 6)  # step 5 named the vendor as the project's team
    assert list(Project.objects.visible_to(vendor)) == [opd_project]
    assert browser.get(f"/proyek/{opd_project.pk}/").status_code == 200
    assert set(Project.objects.visible_to(manager)) == {opd_project, other}
    # The SOP retired (its projects run on): its vendor is still no staff of the OPD.
    from simpatik.accounts.permissions import staff_opd
    from simpatik.sop.models import SopVersion

    SopVersion.objects.filter(kode=KODE).update(berlaku=False)
    assert staff_opd(vendor) is None and staff_opd(manager) == opd.pk
    assert list(Project.objects.visible_to(vendor)) == [opd_project]
