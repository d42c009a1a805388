"""The Kadis makes the OPD SOP's monthly report in a real browser, on a desktop and a phone: the
SOP is chosen on the dashboard, the report is listed with its SOP, its PDF downloads, and the
page does not scroll sideways."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from simpatik.oversight.models import MonthlyReport
from simpatik.sop.models import SopVersion
from simpatik.sop.services import load_definition
from simpatik.testing.sopfile import OPD_SOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KODE = "pengembangan-aplikasi-oleh-opd"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_kadis_makes_the_opd_sops_monthly_report(new_context, live_server, team, width):
    load_definition(OPD_SOP.read_text())
    SopVersion.objects.update(loaded_at=dt.datetime(2025, 11, 1, tzinfo=dt.UTC))
    context = new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill("kadis")
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.goto(f"{live_server.url}/pengawasan/")
    form = page.locator("#monthly-report-form")
    form.get_by_label("SOP").select_option(KODE)
    form.get_by_label("Bulan").fill("2026-01")
    form.get_by_role("button", name="Buat laporan bulanan").click()
    expect(page.get_by_text(f"Laporan bulanan SOP {KODE} Januari 2026 diterbitkan")).to_be_visible()
    report = MonthlyReport.objects.get()
    assert report.sop == KODE
    expect(form.get_by_label("SOP")).to_have_value(KODE)
    row = page.locator(f'#monthly-reports tr[data-sop="{KODE}"]')
    expect(row).to_contain_text("PENGEMBANGAN APLIKASI OLEH OPD")
    expect(row).to_contain_text(report.letter.number)
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )
    with page.expect_download() as download:
        row.get_by_role("link", name="Unduh PDF").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
