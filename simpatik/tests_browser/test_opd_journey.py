"""The OPD's path in a real browser: land on Usulan saya, ask with the daftar kebutuhan, follow it."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from simpatik.projects.models import Document, Need
from simpatik.testing.walker import sample_pdf

ARTIFACTS = Path("test-artifacts")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(new_context, live_server, username, heading, width=1366):
    context = new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.locator("h1")).to_have_text(heading)
    return page


def test_the_opd_asks_with_an_attachment_and_follows_the_timeline(
    new_context, live_server, team, opd_user
):
    opd = login(new_context, live_server, "opd", "Usulan saya")
    opd.get_by_role("link", name="Ajukan usulan").click()
    opd.get_by_label("Nama aplikasi yang diusulkan").fill("Aplikasi Cuti Online")
    opd.get_by_label("Latar belakang dan kebutuhan").fill("Pengajuan cuti masih memakai kertas.")
    opd.get_by_label("Daftar kebutuhan aplikasi").set_input_files(
        files=[
            {
                "name": "daftar-kebutuhan.pdf",
                "mimeType": "application/pdf",
                "buffer": sample_pdf("daftar kebutuhan"),
            }
        ]
    )
    opd.get_by_role("button", name="Kirim usulan").click()
    expect(opd.locator(".messages")).to_contain_text("tersimpan")
    timeline = opd.locator("#timeline")
    expect(timeline).to_contain_text("Usulan diterima")
    expect(timeline).to_contain_text("Menunggu ditindaklanjuti")
    expect(opd.get_by_role("link", name="daftar-kebutuhan.pdf")).to_be_visible()
    expect(opd.get_by_role("button", name="Tarik usulan")).to_be_visible()
    need_url = opd.url

    kadis = login(new_context, live_server, "kadis", "Tugas Saya")
    waiting = kadis.locator("#waiting-needs")
    expect(waiting).to_contain_text("Aplikasi Cuti Online")
    waiting.get_by_role("link", name=re.compile("USL-")).click()
    kadis.get_by_role("button", name="Mulai proyek dari usulan ini").click()
    expect(kadis.locator(".messages")).to_contain_text("dimulai")

    need = Need.objects.select_related("project").get()
    document = Document.objects.get(project=need.project, key="daftar_kebutuhan")
    assert document.name == "daftar-kebutuhan.pdf"  # step 2's Kelengkapan is already there

    opd.goto(need_url)
    expect(timeline).to_contain_text(f"Proyek {need.project.kode} dimulai")
    expect(timeline.locator("li.current")).to_contain_text(
        re.compile(
            r"Langkah 1 — Kadis Kominfo mengeluarkan surat perintah.*oleh Kadis Kominfo, batas"
        )
    )
    expect(opd.locator("#need-status")).to_have_text("Sedang dikerjakan")
    expect(opd.get_by_role("button", name="Tarik usulan")).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    opd.screenshot(path=ARTIFACTS / "usulan-timeline-1366.png", full_page=True)
    phone = login(new_context, live_server, "opd", "Usulan saya", width=390)
    phone.goto(need_url)
    expect(phone.locator("#timeline")).to_contain_text("Sedang dikerjakan")
    overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    phone.screenshot(path=ARTIFACTS / "usulan-timeline-390.png", full_page=True)


def test_a_refused_usulan_keeps_its_file_and_a_pasted_nul_is_taken_out_where_typed(
    new_context, live_server, team, opd_user
):
    """Sent back for a blank name, the form still has the file chosen and sends it with the
    corrected usulan; a NUL pasted into a field is taken out there, with a note beside it,
    rather than the whole form refused on a bare error page."""
    page = login(new_context, live_server, "opd", "Usulan saya", width=390)
    page.get_by_role("link", name="Ajukan usulan").click()
    name = page.get_by_label("Nama aplikasi yang diusulkan")
    name.fill("Aplikasi\x00 Cuti")
    expect(name).to_have_value("Aplikasi Cuti")
    expect(page.locator(".nul-note")).to_contain_text("Karakter NUL")
    name.fill("   ")
    page.get_by_label("Latar belakang dan kebutuhan").fill("Pengajuan cuti masih memakai kertas.")
    page.get_by_label("Daftar kebutuhan aplikasi").set_input_files(
        files=[{"name": "daftar.pdf", "mimeType": "application/pdf", "buffer": sample_pdf("d")}]
    )
    page.get_by_role("button", name="Kirim usulan").click()
    expect(page.locator(".error-box")).to_be_visible()
    expect(page.locator(".held-file")).to_contain_text("daftar.pdf")
    page.screenshot(path=str(ARTIFACTS / "usulan-berkas-tersimpan-390.png"), full_page=True)
    page.get_by_label("Nama aplikasi yang diusulkan").fill("Aplikasi Cuti Online")
    page.get_by_role("button", name="Kirim usulan").click()
    expect(page.locator(".messages")).to_contain_text("tersimpan")
    expect(page.get_by_role("link", name="daftar.pdf")).to_be_visible()
    need = Need.objects.get(judul="Aplikasi Cuti Online")
    assert need.attachments.get().name == "daftar.pdf"
