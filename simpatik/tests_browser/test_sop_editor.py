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
    # The preview waits for a definition that passes.
    expect(page.locator("#editor-preview svg")).to_have_count(0)

    # A reload keeps what was typed, with its error.
    page.reload()
    expect(waktu).to_have_value("dua")
    expect(page.locator("#e-s-steps-2-waktu")).to_contain_text("waktu harus")

    with page.expect_response(lambda r: r.url.endswith("/sunting/periksa/")):
        waktu.fill("4")
    expect(page.locator("#e-s-steps-2-waktu")).to_be_empty()
    expect(page.locator("#editor-summary")).to_contain_text("Definisi lolos pemeriksaan.")
    expect(page.locator("#editor-preview svg").first).to_be_visible()

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
