"""The census step in a real browser at phone width: an OPD's application manager corrects one
application in the table, adds one, submits; the Kasie sees both in that OPD's part."""

import pytest
from playwright.sync_api import expect

from simpatik.projects.tests import test_sensus
from simpatik.projects.tests.test_sensus import _open_census
from simpatik.tests_browser.test_walk import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

census_sop, world = test_sensus.census_sop, test_sensus.world  # the census fixtures, shared
KEY = "daftar_aplikasi"


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # the table stacks its rows; the page never scrolls sideways


def test_an_opd_edits_and_adds_rows_and_the_kasie_sees_them(new_context, live_server, world, kabid):
    _open_census(world, kabid)
    url = f"{live_server.url}{world['project'].get_absolute_url()}"
    page = login(new_context, live_server, "pengelola_bkpsdm")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    expect(page.locator("#step-title")).to_contain_text("Langkah 2")
    expect(page.locator(f"#f-{KEY}-0-nama")).to_have_value("SIMPEG")
    _fits_the_phone(page)

    page.locator(f"#f-{KEY}-0-url").fill("https://simpeg.bolmutkab.go.id")
    page.locator(f"#f-{KEY}-1-nama").fill("E-Absen")
    page.locator(f"#f-{KEY}-1-status").select_option(label="Tidak aktif")
    page.get_by_role("button", name="Tambah aplikasi").click()
    # Saved as a draft: both rows are kept and fresh empty rows are offered.
    expect(page.locator(f"#f-{KEY}-1-nama")).to_have_value("E-Absen")
    expect(page.locator(f"#f-{KEY}-0-url")).to_have_value("https://simpeg.bolmutkab.go.id")
    expect(page.locator(f"#f-{KEY}-3-nama")).to_have_value("")
    page.locator(f"#f-{KEY}-2-nama").fill("SIMPEG")  # twice: refused next to its cell
    page.locator("#complete-button").click()
    expect(page.locator(f"#err-{KEY}-2-nama")).to_contain_text("ditulis dua kali")
    expect(page.locator(f"#f-{KEY}-1-status")).to_have_value("tidak_aktif")
    page.locator(f"#f-{KEY}-2-nama").fill("")
    page.locator("#complete-button").click()
    expect(page.locator("body")).to_contain_text("Langkah 2 selesai")

    kasie = login(new_context, live_server, "kasie")
    kasie.goto(f"{url}?opd={world['opds'][0].pk}")
    expect(kasie.locator("#step-title")).to_contain_text("Langkah 3")
    section = kasie.locator('li[data-key="daftar_aplikasi"]')
    expect(section).to_contain_text("E-Absen")
    expect(section).to_contain_text("https://simpeg.bolmutkab.go.id")
    rows = section.locator("table.census-rows tbody tr")  # a table to read, not JSON
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Tidak aktif")
    expect(section).not_to_contain_text('"nama"')
