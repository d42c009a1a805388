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
    expect(marks).to_contain_text(re.compile(r"skor \d\.\d\d · cocok: [a-z, ]*kepegawaian"))
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
