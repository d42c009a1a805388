"""The OPD's journey: it asks with its daftar kebutuhan, may change or withdraw, and follows its usulan."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from simpatik.accounts.models import Opd
from simpatik.audit.models import AuditRecord
from simpatik.core.errors import Conflict, PermissionDenied
from simpatik.projects import services
from simpatik.projects.models import Document, Need, NeedAttachment
from simpatik.projects.services.rules import requirement_states
from simpatik.testing.forms import browser_form
from simpatik.testing.personas import make_user
from simpatik.testing.walker import complete_current, open_run, sample_pdf, walk_to


def pdf(name="daftar-kebutuhan.pdf"):
    return SimpleUploadedFile(name, sample_pdf(name), "application/pdf")


def submit(client, **extra):
    data = {"judul": "Aplikasi Cuti Online", "latar_belakang": "Cuti masih di kertas.", **extra}
    return client.post("/usulan/baru/", data)


@pytest.fixture
def need(opd_user, sop):
    return services.submit_need(
        actor=opd_user,
        judul="Aplikasi Cuti Online",
        latar_belakang="Cuti masih di kertas.",
        attachments={"daftar_kebutuhan": pdf()},
    )


def test_opd_staff_land_on_their_usulan_and_sop_roles_on_their_tasks(client, opd_user, kasie):
    client.force_login(opd_user)
    response = client.get("/", follow=True)
    assert response.request["PATH_INFO"] == "/usulan/"
    assert "Usulan saya" in response.content.decode()
    assert 'href="/usulan/baru/"' in response.content.decode()
    client.force_login(kasie)
    assert client.get("/", follow=True).request["PATH_INFO"] == "/tugas/"


def test_the_form_takes_the_daftar_kebutuhan_and_it_flows_into_step_2(
    client, opd_user, kadis, team
):
    client.force_login(opd_user)
    response = submit(client, lampiran__daftar_kebutuhan=pdf())
    need = Need.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/usulan/{need.pk}/"
    attachment = NeedAttachment.objects.get(need=need)
    assert attachment.key == "daftar_kebutuhan" and attachment.name == "daftar-kebutuhan.pdf"
    project = services.start_project(actor=kadis, nama=need.judul, opd=need.opd, need=need)
    run2 = walk_to(project, team, 2)
    state = next(s for s in requirement_states(run2) if s.item.key == "daftar_kebutuhan")
    assert state.satisfied and state.document.sha256 == attachment.sha256
    assert Document.objects.get(project=project, key="daftar_kebutuhan").open().read() == (
        sample_pdf("daftar-kebutuhan.pdf")
    )
    assert AuditRecord.objects.filter(action="project.document.attached_from_need").exists()


def test_a_bad_attachment_is_refused_next_to_its_field_and_nothing_is_saved(client, opd_user, sop):
    client.force_login(opd_user)
    fake = SimpleUploadedFile("daftar.pdf", b"MZ not a pdf", "application/pdf")
    response = submit(client, lampiran__daftar_kebutuhan=fake)
    assert response.status_code == 400
    assert "Jenis berkas tidak diterima" in response.content.decode()
    assert 'value="Aplikasi Cuti Online"' in response.content.decode()  # nothing typed is lost
    assert not Need.objects.exists() and not NeedAttachment.objects.exists()


def test_the_opd_changes_its_usulan_with_a_new_attachment_until_it_is_taken_up(
    client, need, opd_user, kadis
):
    client.force_login(opd_user)
    response = client.post(
        f"/usulan/{need.pk}/ubah/",
        {
            "judul": "Aplikasi Cuti dan Izin",
            "latar_belakang": need.latar_belakang,
            "lampiran__daftar_kebutuhan": pdf("daftar-v2.pdf"),
        },
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.judul == "Aplikasi Cuti dan Izin"
    assert need.attachments.count() == 2  # the first file stays on record
    entry = AuditRecord.objects.get(action="need.updated")
    assert entry.data["changes"]["judul"] == ["Aplikasi Cuti Online", "Aplikasi Cuti dan Izin"]
    project = services.start_project(actor=kadis, nama=need.judul, opd=need.opd, need=need)
    assert Document.objects.get(project=project, key="daftar_kebutuhan").name == "daftar-v2.pdf"
    assert client.get(f"/usulan/{need.pk}/ubah/").status_code == 403
    with pytest.raises(Conflict) as caught:
        services.needs.update_need(need, actor=opd_user, judul="Lain")
    assert caught.value.code == "need_not_open"
    with pytest.raises(Conflict):
        services.needs.withdraw_need(need, actor=opd_user)


def test_another_opd_can_neither_see_change_nor_withdraw(client, need, sop):
    other = Opd.objects.create(kode="dinkes", nama="Dinas Kesehatan")
    stranger = make_user("dinkes", [], opd=other, password="rahasia-123")
    client.force_login(stranger)
    assert client.get(f"/usulan/{need.pk}/ubah/").status_code == 404
    assert client.post(f"/usulan/{need.pk}/tarik/", {"confirm": "ya"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.needs.withdraw_need(need, actor=stranger)
    need.refresh_from_db()
    assert need.status == "diajukan"


def test_withdrawal_needs_a_confirmation_keeps_the_usulan_and_is_audited(client, need, opd_user):
    client.force_login(opd_user)
    unconfirmed = client.post(
        f"/usulan/{need.pk}/tarik/", {"reason": "Sudah ada aplikasi provinsi"}
    )
    need.refresh_from_db()
    assert need.status == "diajukan" and unconfirmed.status_code == 400
    form = browser_form(unconfirmed)  # the reason typed is kept, the refusal beside the box
    assert form.values["reason"] == "Sudah ada aplikasi provinsi"
    assert "centang konfirmasi" in form.slots["withdraw-error"]
    response = client.post(
        f"/usulan/{need.pk}/tarik/", {"reason": "Sudah ada aplikasi provinsi", "confirm": "ya"}
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "ditarik" and need.status_reason == "Sudah ada aplikasi provinsi"
    assert AuditRecord.objects.filter(action="need.withdrawn", object_id=str(need.pk)).exists()
    page = client.get(f"/usulan/{need.pk}/").content.decode()
    assert "Usulan ditarik oleh pengusul" in page and "Sudah ada aplikasi provinsi" in page
    assert "Tarik usulan</button>" not in page


def test_need_status_and_timeline_follow_the_project(client, need, opd_user, kadis, team):
    client.force_login(opd_user)
    page = client.get(f"/usulan/{need.pk}/").content.decode()
    assert "Usulan diterima" in page and "Menunggu ditindaklanjuti" in page
    project = services.start_project(actor=kadis, nama=need.judul, opd=need.opd, need=need)
    walk_to(project, team, 5)
    run = open_run(project)
    page = client.get(f"/usulan/{need.pk}/").content.decode()
    assert f"Proyek {project.kode} dimulai" in page
    assert "Langkah 5 — Kepala Seksi E-Government" in page and "oleh Kasie e-Government" in page
    assert f"batas {run.due_date.day} " in page
    listed = client.get("/usulan/").content.decode()
    assert "Sedang dikerjakan" in listed
    # The filter that finds it names the states its row shows, not "Diproses menjadi proyek".
    assert ">Menjadi proyek (dikerjakan, ditangguhkan atau selesai)</option>" in listed
    assert "Diproses menjadi proyek" not in listed
    complete_current(project, team)
    complete_current(project, team, decision="tidak_tersedia", reason="Anggaran 2026 habis")
    complete_current(project, team)  # step 7: the report, then the project is suspended
    page = client.get(f"/usulan/{need.pk}/").content.decode()
    assert "Proyek ditangguhkan" in page and "Anggaran 2026 habis" in page
    assert "Ditangguhkan" in client.get("/usulan/").content.decode()
    assert "Diproses menjadi proyek</span>" not in client.get("/usulan/").content.decode()
    services.resume_project(project, actor=team[1], reason="Anggaran perubahan tersedia")
    walk_to(project, team, 15, decisions={6: "tersedia"})
    complete_current(project, team, decision="perbaikan", reason="Perbaiki unggah berkas besar")
    page = client.get(f"/usulan/{need.pk}/").content.decode()
    # The suspension keeps the reason it was given, not the last reason given since; the
    # steps done count once each, whatever their rounds (step 12 is open again, in round 2).
    suspended = page[page.index("Proyek ditangguhkan") :][:400]
    assert "Anggaran 2026 habis" in suspended and "Perbaiki unggah" not in suspended
    assert "(15 dari 18 langkah sudah pernah diselesaikan)" in page
    while open_run(project) is not None:
        step = open_run(project).step_number
        complete_current(project, team, decision={6: "tersedia", 15: "diterima"}.get(step))
        project.refresh_from_db()
    page = client.get(f"/usulan/{need.pk}/").content.decode()
    assert "Proyek dilanjutkan" in page and "Anggaran perubahan tersedia" in page
    assert "Aplikasi selesai dan disetujui" in page
    assert 'href="https://aplikasi' in page
    assert ">Selesai</span>" in client.get("/usulan/").content.decode()


def test_the_api_takes_the_attachment_and_lets_the_opd_change_and_withdraw(client, opd_user, sop):
    from simpatik.accounts.services import create_api_token

    auth = {"HTTP_AUTHORIZATION": f"Token {create_api_token(opd_user)[1]}"}
    response = client.post(
        "/api/v1/needs/",
        {"judul": "Aplikasi Cuti", "latar_belakang": "Perlu.", "daftar_kebutuhan": pdf()},
        **auth,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["attachments"][0]["key"] == "daftar_kebutuhan"
    assert body["shown_status"] == {"code": "diajukan", "label": "Diajukan"}
    url = f"/api/v1/needs/{body['id']}/"
    response = client.patch(
        url, {"judul": "Aplikasi Cuti dan Izin"}, content_type="application/json", **auth
    )
    assert response.status_code == 200 and response.json()["judul"] == "Aplikasi Cuti dan Izin"
    response = client.post(f"{url}withdraw/", {"reason": "Tidak jadi"}, **auth)
    assert response.status_code == 200 and response.json()["status"] == "ditarik"
    response = client.patch(url, {"judul": "Lagi"}, content_type="application/json", **auth)
    assert response.status_code == 409 and response.json()["code"] == "need_not_open"


def test_clearing_the_letter_date_of_an_usulan_is_a_change_not_an_error(opd_user, sop):
    import datetime as dt

    need = services.submit_need(
        actor=opd_user, judul="Aplikasi", latar_belakang="Perlu.", tanggal_surat=dt.date(2026, 1, 5)
    )
    need = services.needs.update_need(need, actor=opd_user, tanggal_surat=None)
    need.refresh_from_db()
    assert need.tanggal_surat is None
    entry = AuditRecord.objects.get(action="need.updated")
    assert entry.data["changes"]["tanggal_surat"] == ["2026-01-05", None]


def test_an_edit_that_leaves_the_letter_date_alone_keeps_it(client, opd_user, sop):
    """The form shows the stored date as the browser's date field reads it (ISO): shown as
    20-11-2026 the field stayed empty, and saving erased the date."""
    need = services.submit_need(
        actor=opd_user,
        judul="Aplikasi Cuti Online",
        latar_belakang="Cuti masih di kertas.",
        nomor_surat="800/1/X",
        tanggal_surat=datetime.date(2026, 11, 20),
        attachments={"daftar_kebutuhan": pdf()},
    )
    client.force_login(opd_user)
    form = browser_form(client.get(f"/usulan/{need.pk}/ubah/"))
    assert form.values["tanggal_surat"] == "2026-11-20"
    response = client.post(f"/usulan/{need.pk}/ubah/", {**form.values, "tujuan": "Cuti daring."})
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.tujuan, need.tanggal_surat) == ("Cuti daring.", datetime.date(2026, 11, 20))


def test_a_rejection_without_reason_is_refused_beside_the_reason(client, need, kadis):
    client.force_login(kadis)
    response = client.post(f"/usulan/{need.pk}/", {"action": "reject", "reason": "  "})
    assert response.status_code == 400
    form = browser_form(response)
    assert form.slots["reason-error"] == "Alasan penolakan wajib diisi."
    assert 'aria-describedby="reason-error"' in response.content.decode()
    need.refresh_from_db()
    assert need.status == "diajukan"


def test_the_project_page_links_its_usulan_only_for_who_may_open_it(client, need, kadis, team):
    project = services.start_project(actor=kadis, nama=need.judul, opd=need.opd, need=need)
    walk_to(project, team, 9)  # the developers are on the team from step 8
    link = f'href="/usulan/{need.pk}/"'
    client.force_login(kadis)
    assert link in client.get(f"/proyek/{project.pk}/").content.decode()
    pengembang = next(user for user in team if user.username == "pengembang")
    client.force_login(pengembang)
    page = client.get(f"/proyek/{project.pk}/").content.decode()
    assert need.nomor in page and link not in page
    assert client.get(f"/usulan/{need.pk}/").status_code == 404  # what the link led to


def test_the_history_names_the_usulan_and_links_it_only_for_who_may_open_it(
    client, need, kadis, team
):
    project = services.start_project(actor=kadis, nama=need.judul, opd=need.opd, need=need)
    walk_to(project, team, 9)
    link = f'href="/usulan/{need.pk}/"'
    client.force_login(kadis)
    assert link in client.get(f"/proyek/{project.pk}/riwayat/").content.decode()
    client.force_login(next(user for user in team if user.username == "pengembang"))
    page = client.get(f"/proyek/{project.pk}/riwayat/").content.decode()
    assert need.nomor in page and link not in page


def test_an_usulan_is_taken_up_only_under_an_sop_about_one_application(client, need, kadis):
    """The census SOP (steps run once per OPD) is no way to build one requested application:
    it is not offered beside an usulan, and the engine refuses it."""
    from simpatik.core.errors import ValidationError
    from simpatik.projects.tests.test_sensus import CENSUS
    from simpatik.sop.services import load_definition
    from simpatik.testing.sopfile import OPD_SOP

    census = load_definition(CENSUS.read_text()).version
    load_definition(OPD_SOP.read_text())
    client.force_login(kadis)
    page = client.get(f"/usulan/{need.pk}/").content.decode()
    offered = re.findall(r'<option value="([^"]*)"', page[page.index('name="sop"') :][:2000])
    assert census.kode not in offered and "pengembangan-aplikasi-oleh-opd" in offered
    assert ">Pengembangan oleh Diskominfo</option>" in page  # by short name, not the title
    with pytest.raises(ValidationError) as refused:
        services.start_project(
            actor=kadis, nama=need.judul, opd=need.opd, need=need, sop=census.kode
        )
    assert refused.value.code == "sop_not_for_usulan"
    need.refresh_from_db()
    assert need.status == "diajukan"
