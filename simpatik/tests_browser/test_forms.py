"""Issue 8 in the browser: typed fields survive an upload, an autosave and a failed completion;
a returned step says why in Tugas Saya."""

import re

import pytest
from playwright.sync_api import expect

from simpatik.testing.walker import complete_current, sample_pdf, walk_to
from simpatik.tests_browser.test_walk import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANALYSIS = {
    "analisis_kebutuhan": "Pengajuan cuti daring untuk 900 ASN",
    "analisis_aplikasi_sejenis": "Belum ada aplikasi cuti",
    "analisis_integrasi": "SIMPEG untuk data pegawai",
}


def test_typed_fields_survive_an_upload_an_autosave_and_a_failed_completion(
    new_context, live_server, team, opd
):
    from simpatik.projects import services

    project = services.start_project(actor=team[0], nama="Aplikasi Cuti", opd=opd)
    walk_to(project, team, 5)
    page = login(new_context, live_server, "kasie")
    url = f"{live_server.url}/proyek/{project.pk}/"
    page.goto(url)
    for key, value in ANALYSIS.items():
        page.locator(f"#f-{key}").fill(value)
    page.locator("#file-dokumen_analisis").set_input_files(
        files=[{"name": "analisis.pdf", "mimeType": "application/pdf", "buffer": sample_pdf("a")}]
    )
    page.locator('button[data-upload="dokumen_analisis"]').click()
    expect(page.locator(".messages")).to_contain_text("Dokumen tersimpan.")
    expect(page.locator('li[data-key="dokumen_analisis"]')).to_have_class(re.compile(r"\bok\b"))
    for key, value in ANALYSIS.items():
        expect(page.locator(f"#f-{key}")).to_have_value(value)

    # Typing is kept as a draft without pressing anything; it is there on the next visit.
    with page.expect_response(lambda r: r.url.endswith("/draf/")) as autosave:
        page.locator("#f-inventaris_aplikasi").fill("Daftar aplikasi Pemda 2026")
    assert autosave.value.status == 200
    expect(page.locator("#draft-status")).to_contain_text("Draf tersimpan")
    page.goto(url)
    expect(page.locator("#f-inventaris_aplikasi")).to_have_value("Daftar aplikasi Pemda 2026")

    # Completing without field d): refused, every value kept, the error beside field d).
    page.locator("#complete-button").click()
    expect(page.locator("#step-error")).to_contain_text("Output belum dibuat")
    expect(page.locator("#step-error")).to_contain_text("d) Kebutuhan infrastruktur")
    expect(page.locator(".messages")).to_have_count(0)
    missing = page.locator("#f-analisis_sumber_daya")
    expect(missing).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#err-analisis_sumber_daya")).to_contain_text("Wajib diisi")
    border = missing.evaluate("e => getComputedStyle(e).borderTopColor")
    assert border == "rgb(179, 38, 30)", border  # the error red, not the normal grey
    for key, value in ANALYSIS.items():
        expect(page.locator(f"#f-{key}")).to_have_value(value)
        expect(page.locator(f"#f-{key}")).not_to_have_attribute("aria-invalid", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "step-error.png"), full_page=True)

    missing.fill("Satu server, dua pengembang")
    page.locator("#complete-button").click()
    expect(page.locator(".messages")).to_contain_text("Langkah 5 selesai.")
    project.refresh_from_db()
    run = project.step_runs.get(step_number=5)
    assert run.values["analisis_kebutuhan"] == ANALYSIS["analisis_kebutuhan"]
    assert run.values["inventaris_aplikasi"] == "Daftar aplikasi Pemda 2026"


def test_a_returned_step_shows_its_reason_in_tugas_saya(new_context, live_server, team, opd):
    from simpatik.projects import services

    project = services.start_project(actor=team[0], nama="Aplikasi Cuti", opd=opd)
    walk_to(project, team, 11)
    complete_current(project, team, decision="tidak_setuju", reason="Mockup belum sesuai standar")
    page = login(new_context, live_server, "pengembang")
    row = page.locator("tr", has_text=project.kode)
    expect(row.locator(".returned-task")).to_contain_text("Dikembalikan oleh")
    expect(row.locator(".returned-task")).to_contain_text("Mockup belum sesuai standar")
    page.get_by_role("link", name=project.kode).click()
    expect(page.locator("#step-returned")).to_contain_text("Mockup belum sesuai standar")
    expect(page.locator('li[data-key="rencana_pengembangan"]')).to_contain_text(
        "perlu versi baru pada putaran ini"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "step-returned.png"), full_page=True)
