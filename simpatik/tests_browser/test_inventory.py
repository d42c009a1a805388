"""Issue 3 in the browser: step 5 shows that a proposed 'aplikasi kepegawaian' duplicates SIMPEG."""

import re

import pytest
from playwright.sync_api import expect

from simpatik.inventory import services as inventory
from simpatik.projects import services
from simpatik.testing.walker import walk_to
from simpatik.tests_browser.test_walk import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_step_5_flags_simpeg_and_the_public_browses_the_catalogue(
    new_context, live_server, team, opd, opd_user
):
    kasie = team[2]
    simpeg = inventory.register_application(
        actor=kasie,
        data={
            "nama": "Sistem Informasi Manajemen Kepegawaian",
            "singkatan": "SIMPEG",
            "opd": opd,
            "deskripsi": "Pengelolaan data ASN",
            "status": "aktif",
            "publik": True,
            "pj_telepon": "0812-rahasia",
            "url": "https://simpeg.bolmutkab.go.id",
        },
    )
    need = services.submit_need(
        actor=opd_user, judul="Aplikasi Kepegawaian", latar_belakang="Data pegawai"
    )
    project = services.start_project(actor=team[0], nama=need.judul, opd=opd, need=need)
    walk_to(project, team, 5)

    page = login(new_context, live_server, "kasie")
    page.goto(f"{live_server.url}/proyek/{project.pk}/")
    page.locator("#file-dokumen_analisis").set_input_files(
        files=[
            {"name": "analisis.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
        ]
    )
    page.locator('button[data-upload="dokumen_analisis"]').click()  # reloads the page
    marks = page.locator("#f-aplikasi_sejenis_inventaris")
    expect(marks).to_contain_text("Sistem Informasi Manajemen Kepegawaian")
    # An Indonesian decimal: 0,47, not 0.47.
    expect(marks).to_contain_text(re.compile(r"skor \d,\d\d · cocok: [a-z, ]*kepegawaian"))
    marks.locator(f'input[value="{simpeg.pk}"]').check()
    page.locator("#f-analisis_aplikasi_sejenis").fill(
        "Sudah ada SIMPEG: kembangkan, jangan buat baru"
    )
    for key in (
        "inventaris_aplikasi",
        "analisis_kebutuhan",
        "analisis_integrasi",
        "analisis_sumber_daya",
    ):
        page.locator(f"#f-{key}").fill("Catatan")
    page.locator("#complete-button").click()
    expect(page.locator("#step-error")).to_have_count(0)
    expect(page.locator(".messages")).to_contain_text("Langkah 5 selesai.")
    run = project.step_runs.get(step_number=5)
    assert run.values["aplikasi_sejenis_inventaris"] == [str(simpeg.pk)]

    public = new_context().new_page()
    public.goto(f"{live_server.url}/katalog/")
    expect(public.locator("#catalogue")).to_contain_text("SIMPEG")
    expect(public.locator("body")).not_to_contain_text("0812-rahasia")


def test_a_regency_sheet_is_imported_after_correcting_its_preview(new_context, live_server, team):
    """Issue 11: the Kasie uploads the regency's own CSV, answers what SIMPATIK asks, reloads
    (nothing chosen is lost), and saves."""
    from django.conf import settings

    from simpatik.accounts.models import Opd
    from simpatik.inventory.models import Application, OpdAlias

    for kode, nama, singkatan in [
        ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM"),
        ("dinkes", "Dinas Kesehatan", "Dinkes"),
        ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
        ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
        ("diskominfo", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    ]:
        Opd.objects.create(kode=kode, nama=nama, singkatan=singkatan)
    page = login(new_context, live_server, "kasie")
    page.goto(f"{live_server.url}/inventaris/impor/")
    page.locator('input[type="file"]').set_input_files(
        str(settings.REPO_DIR / "contoh" / "inventaris-kabupaten.csv")
    )
    page.get_by_role("button", name="Lihat pratinjau").click()
    matched = page.locator('tr[data-opd="dinas kesehatan kab bolmut"]')
    expect(matched.locator(".score")).to_have_text("100")
    expect(matched.get_by_role("combobox")).to_have_value(str(Opd.objects.get(kode="dinkes").pk))
    expect(page.locator("#import-summary")).to_contain_text("Galat: 1")
    page.get_by_label("OPD untuk Dinas Pertanian").select_option("baru")
    page.get_by_label("Golongan pengembang Tim IT Dinas Pertanian").select_option("opd")
    page.locator("#apply-choices").click()
    expect(page.locator("#import-summary")).to_contain_text("Galat: 0")
    page.reload()
    expect(page.get_by_label("OPD untuk Dinas Pertanian")).to_have_value("baru")
    expect(page.get_by_label("Golongan pengembang Tim IT Dinas Pertanian")).to_have_value("opd")
    expect(page.locator('tr[data-row="13"]')).to_contain_text(
        "OPD baru, dibuat saat disimpan: Dinas Pertanian"
    )
    page.locator("#confirm-import").click()
    expect(page.locator(".messages")).to_contain_text("Impor selesai: 8 baru, 0 diperbarui")
    assert Application.objects.get(nama="Sistem Informasi Pertanian").opd.nama == "Dinas Pertanian"
    assert OpdAlias.objects.filter(key="dinas kesehatan kab bolmut").exists()
