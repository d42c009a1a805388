"""Issue 12 §4 in the browser: an administrator changes a Waktu in the SOP editor; a bad value is
refused next to its field while typing, a good one is saved as a version and put in force."""

import pytest
from playwright.sync_api import expect

from simpatik.sop.models import SopVersion
from simpatik.tests_browser.test_walk import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_changes_a_waktu_and_sees_a_bad_value_beside_it(
    new_context, live_server, kadis, sop
):
    kadis.is_staff = True
    kadis.save(update_fields=["is_staff"])
    page = login(new_context, live_server, "kadis")
    page.goto(f"{live_server.url}/sop/{sop.pk}/sunting/")
    waktu = page.locator("#s-steps-2-waktu")
    expect(waktu).to_have_value("2")
    expect(page.locator("#editor-preview svg").first).to_be_visible()

    with page.expect_response(lambda r: r.url.endswith("/sunting/periksa/")):
        waktu.fill("dua")
    expect(page.locator("#e-s-steps-2-waktu")).to_contain_text("waktu harus jumlah hari kerja")
    expect(page.locator("#editor-summary")).to_contain_text("Masalah: 1")
    expect(page.locator("#e-s-steps-1-waktu")).to_be_empty()
    # The preview waits for a definition that passes (redrawn by its own, slower-paced request).
    expect(page.locator("#editor-preview svg")).to_have_count(0, timeout=30000)

    # A reload keeps what was typed, with its error.
    page.reload()
    expect(waktu).to_have_value("dua")
    expect(page.locator("#e-s-steps-2-waktu")).to_contain_text("waktu harus")

    with page.expect_response(lambda r: r.url.endswith("/sunting/periksa/")):
        waktu.fill("4")
    expect(page.locator("#e-s-steps-2-waktu")).to_be_empty()
    expect(page.locator("#editor-summary")).to_contain_text("Definisi lolos pemeriksaan.")
    expect(page.locator("#editor-preview svg").first).to_be_visible(timeout=30000)

    page.locator("#note").fill("Waktu langkah 3 menjadi 4 hari")
    page.get_by_role("button", name="Simpan sebagai versi baru").click()
    expect(page.locator("#perubahan")).to_contain_text("Langkah 3")
    expect(page.locator("#unified-diff")).to_contain_text("+    waktu: 4")
    new = SopVersion.objects.get(kode=sop.kode, version=2)
    assert not new.berlaku and SopVersion.objects.get(pk=sop.pk).berlaku

    page.get_by_role("button", name="Berlakukan versi ini").click()
    expect(page.locator(".messages")).to_contain_text("Versi 2 berlaku untuk proyek baru.")
    assert SopVersion.objects.get(kode=sop.kode, berlaku=True).pk == new.pk
    assert new.definition.step(3).waktu == 4


def test_an_administrator_adds_a_step_through_the_form(new_context, live_server, kadis, sop):
    """No YAML typed: the step is added with htmx, checked, saved as a version and put in force.
    (Generous timeouts: the test machine is shared.)"""
    kadis.is_staff = True
    kadis.save(update_fields=["is_staff"])
    page = login(new_context, live_server, "kadis")
    page.goto(f"{live_server.url}/sop/{sop.pk}/sunting/")
    page.locator("#baru-setelah").select_option("1")  # after step 2
    page.locator("#baru-role").select_option("kasie")
    page.locator("#baru-uraian").fill("Kasie e-Government menelaah keamanan informasi")
    page.locator("#baru-waktu").fill("2")
    page.locator("#baru-output").fill("telaah keamanan informasi")
    page.get_by_role("button", name="Tambah langkah").click(timeout=60000)
    uraian = page.locator("#s-steps-2-uraian")
    expect(uraian).to_have_value("Kasie e-Government menelaah keamanan informasi", timeout=60000)
    expect(uraian).to_be_focused()
    expect(page.locator("#s-steps-2-number")).to_have_value("3")
    expect(page.locator("#s-steps-3-number")).to_have_value("4")
    expect(page.locator("#s-steps-1-next")).to_have_value("3")
    expect(page.locator("#editor-summary")).to_contain_text("Definisi lolos pemeriksaan.")

    # A Kelengkapan row for it, filled in where it appeared.
    page.locator("#s-steps-2").get_by_role("button", name="Tambah butir Kelengkapan").click()
    key = page.locator("#s-steps-2-kelengkapan-0-key")
    expect(key).to_be_focused(timeout=60000)
    expect(page.locator("#e-s-steps-2-kelengkapan-0-key")).to_contain_text("kunci (key) wajib")
    key.fill("hasil_pemeriksaan_kebutuhan")
    page.locator("#s-steps-2-kelengkapan-0-label").fill("Hasil pemeriksaan daftar kebutuhan")
    # Still a document here while step 2 makes it a field: the loader says so at its kind.
    kind = page.locator("#e-s-steps-2-kelengkapan-0-kind")
    expect(kind).to_contain_text("dipakai sebagai field", timeout=60000)
    expect(page.locator("#e-s-steps-2-kelengkapan-0-key")).to_be_empty()
    page.locator("#s-steps-2-kelengkapan-0-kind").select_option("field")
    with page.expect_response(lambda r: r.url.endswith("/sunting/periksa/"), timeout=60000):
        page.locator("#s-steps-2-kelengkapan-0-type").select_option("text")
    expect(kind).to_be_empty(timeout=60000)
    expect(page.locator("#editor-summary")).to_contain_text("lolos pemeriksaan", timeout=60000)

    page.get_by_role("button", name="Simpan sebagai versi baru").click()
    expect(page.locator("#perubahan")).to_contain_text("Langkah 3", timeout=60000)
    page.get_by_role("button", name="Berlakukan versi ini").click()
    expect(page.locator(".messages")).to_contain_text("Versi 2 berlaku untuk proyek baru.")
    step = SopVersion.objects.get(kode=sop.kode, berlaku=True).definition.step(3)
    assert step.uraian == "Kasie e-Government menelaah keamanan informasi" and step.role == "kasie"
    assert [item.key for item in step.kelengkapan] == ["hasil_pemeriksaan_kebutuhan"]
