import io
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.conf import settings
from django.test import Client
from pypdf import PdfReader

from simpatik.sop.services import load_definition

ARTIFACTS = Path("test-artifacts")
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


def _normal(text: str) -> str:
    return " ".join(text.split())


def test_sop_sheet_pdf_has_every_step_text_and_every_role_column(sop):
    response = Client().get(f"/sop/{sop.pk}/dokumen.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = _normal(" ".join(page.extract_text() for page in reader.pages))
    definition = sop.definition
    for step in definition.steps:
        assert _normal(step.uraian)[:60] in text, step.number
    for role in definition.roles:
        assert role["nama"] in text
    for heading in [
        "Nomor SOP",
        "Dasar Hukum",
        "Kualifikasi Pelaksana",
        "Keterkaitan",
        "Peralatan/Perlengkapan",
        "Peringatan",
        "Pencatatan dan Pendataan",
        "Mutu Baku",
        "Kelengkapan",
        "Waktu",
        "Output",
    ]:
        assert heading in text
    assert "NIP. 19641024 198603 1 002" in text
    assert len(reader.pages) >= 3  # the identity page and a procedure table that breaks a page


def test_first_page_picture_is_kept_as_an_artifact(sop):
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "sop-sheet.pdf"
    pdf.write_bytes(Client().get(f"/sop/{sop.pk}/dokumen.pdf").content)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "2",
            str(pdf),
            str(ARTIFACTS / "sop-sheet"),
        ],
        check=True,
    )
    picture = ARTIFACTS / "sop-sheet-1.png"
    assert picture.exists() and picture.stat().st_size > 5000
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sop_sheet_html_is_public_and_draws_the_flowchart(sop):
    page = Client().get(f"/sop/{sop.pk}/dokumen/").content.decode()
    assert page.count("<svg") >= 3
    assert "polygon" in page and "marker-end" in page  # diamonds and arrows
    for role in sop.definition.roles:
        assert all(word in page for word in role["nama"].split())  # a long name wraps in its lane


def test_project_sheet_marks_done_current_and_pending_and_needs_scope(project, team, outsider):
    from simpatik.testing.walker import walk_to

    walk_to(project, team, 3)
    kabid = Client()
    kabid.force_login(team[1])
    page = kabid.get(f"/sop/{project.sop_version_id}/dokumen/?proyek={project.pk}").content.decode()
    assert page.count("#dff1e4") >= 2 and "#dbe9f7" in page  # done rows green, current row blue
    stranger = Client()
    stranger.force_login(outsider)
    assert (
        stranger.get(f"/sop/{project.sop_version_id}/dokumen/?proyek={project.pk}").status_code
        == 404
    )
    pdf = kabid.get(f"/sop/{project.sop_version_id}/dokumen.pdf?proyek={project.pk}")
    assert pdf.status_code == 200 and project.kode in pdf["Content-Disposition"]


def test_bpmn_export_is_well_formed_with_18_tasks_5_lanes_and_the_gateways(sop):
    response = Client().get(f"/sop/{sop.pk}/bpmn.xml")
    root = ET.fromstring(response.content)
    process = root.find(f"{BPMN}process")
    tasks = [task.get("id") for task in process.findall(f"{BPMN}userTask")]
    assert len([t for t in tasks if t.startswith("langkah_")]) == 18
    assert [t for t in tasks if not t.startswith("langkah_")] == ["ditangguhkan_7"]
    assert len(process.find(f"{BPMN}laneSet").findall(f"{BPMN}lane")) == 5
    gateways = process.findall(f"{BPMN}exclusiveGateway")
    assert len(gateways) == 3
    flows = process.findall(f"{BPMN}sequenceFlow")
    ids = {element.get("id") for element in process}
    assert all(flow.get("sourceRef") in ids and flow.get("targetRef") in ids for flow in flows)
    rejected = [
        f
        for f in flows
        if f.get("sourceRef") == "keputusan_11" and f.get("targetRef") == "langkah_9"
    ]
    assert rejected and rejected[0].get("name") == "Tidak setuju (susun ulang rencana)"
    in_lanes = [ref.text for lane in process.find(f"{BPMN}laneSet") for ref in lane]
    assert len(in_lanes) == len(set(in_lanes)) and "langkah_1" in in_lanes


def test_sop_api_gives_version_ids_and_an_unknown_version_is_404(sop, kadis):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(kadis)
    assert client.get("/api/v1/sop/").json()[0]["id"] == sop.pk
    assert Client().get(f"/sop/{sop.pk + 99}/dokumen.pdf").status_code == 404
    assert Client().get(f"/sop/{sop.pk + 99}/bpmn.xml").status_code == 404


def test_the_sheet_lists_what_each_role_may_do_outside_the_steps(sop):
    from simpatik.testing import sopfile

    page = Client().get(f"/sop/{sop.pk}/dokumen/").content.decode()
    section = page[page.index('id="kewenangan"') :]
    rows = section.split("<tr>")[2:]  # after the header row
    by_role = {role["nama"]: row for role, row in zip(sop.definition.roles, rows, strict=False)}
    assert "melihat dasbor pengawasan" in by_role["Kasie e-Government"]
    assert "menolak usulan" not in by_role["Kasie e-Government"]
    assert "menolak usulan" in by_role["Kabid Aptika"]
    assert "kelola_inventaris" not in section  # labels, not keys
    assert sopfile.DATA["sistem"]["nama"] in section


def test_the_sheet_states_the_escalation_rules_of_the_file(sop):
    revised = settings.SIMPATIK_SOP_DEFINITION.read_text().replace(
        "atasan_setelah: 2", "atasan_setelah: 4"
    )
    version = load_definition(revised).version
    response = Client().get(f"/sop/{version.pk}/dokumen.pdf")
    text = _normal(PdfReader(io.BytesIO(response.content)).pages[0].extract_text())
    assert "Catatan Mutu Baku" in text
    assert "diingatkan 1 hari kerja sebelum batas waktu" in text
    assert "Setelah 4 hari kerja terlambat" in text
    assert "Tim Pengembang → Kasie e-Government" in text
