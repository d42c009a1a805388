import json

from django.test import Client

from simpatik.inventory import services

PRIVATE = {
    "pj_nama": "Rahasia Penanggung",
    "pj_jabatan": "Jabatan Tersembunyi",
    "pj_nip": "197001012000031999",
    "pj_telepon": "081299998888",
    "pj_email": "pj.rahasia@bolmutkab.go.id",
    "kontak_teknis": "admin-rahasia@internal",
    "server": "10.20.30.40 srv-internal",
    "repositori": "https://git.internal/rahasia.git",
    "catatan": "catatan internal sangat rahasia",
    "pengembang_nama": "CV Vendor Tersembunyi",
    "sumber_anggaran": "DAU rahasia",
    "framework": "FrameworkRahasia",
    "basis_data": "PostgresRahasia",
}


def test_public_catalogue_needs_no_login_and_leaks_no_private_field(inventory, kasie):
    app = inventory["LAPOR"]
    services.update_application(
        app,
        actor=kasie,
        changes={
            **PRIVATE,
            "publik": True,
            "kategori": "publik",
            "url": "https://lapor.bolmutkab.go.id",
        },
    )
    client = Client()
    pages = [
        client.get("/katalog/"),
        client.get("/katalog/data.json"),
        client.get("/katalog/data.csv"),
        client.get("/katalog/?q=aduan"),
    ]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode("utf-8-sig")
        assert "Layanan Pengaduan Masyarakat" in body
        for field, secret in PRIVATE.items():
            assert secret not in body, f"{field} leaked at {response.request['PATH_INFO']}"
    rows = json.loads(pages[1].content)
    assert set(rows[0]) == {
        "id",
        "nama",
        "singkatan",
        "versi",
        "opd",
        "deskripsi",
        "fungsi",
        "keluaran",
        "layanan_spbe",
        "jenis",
        "kategori",
        "platform",
        "url",
        "status",
    }


def test_only_active_public_applications_are_listed(inventory, kasie):
    services.update_application(inventory["LAPOR"], actor=kasie, changes={"publik": True})
    services.update_application(
        inventory["JDIH"], actor=kasie, changes={"publik": True, "status": "tidak_aktif"}
    )
    services.update_application(inventory["SIMPEG"], actor=kasie, changes={"publik": True})
    services.archive_application(inventory["SIMPEG"], actor=kasie, reason="Diganti")
    names = {row["nama"] for row in json.loads(Client().get("/katalog/data.json").content)}
    assert names == {"Layanan Pengaduan Masyarakat"}


def test_catalogue_filters_by_opd_and_category(inventory, kasie, opds):
    services.update_application(
        inventory["LAPOR"], actor=kasie, changes={"publik": True, "kategori": "publik"}
    )
    services.update_application(
        inventory["Srikandi"], actor=kasie, changes={"publik": True, "kategori": "administrasi"}
    )
    client = Client()
    by_opd = json.loads(client.get(f"/katalog/data.json?opd={opds['setda'].pk}").content)
    assert [row["nama"] for row in by_opd] == ["Srikandi"]
    by_category = client.get("/katalog/?kategori=publik").content.decode()
    assert "Layanan Pengaduan Masyarakat" in by_category and "Srikandi" not in by_category


def test_a_javascript_url_is_never_a_link(inventory, kasie):
    services.update_application(
        inventory["LAPOR"], actor=kasie, changes={"publik": True, "url": "javascript:alert(1)"}
    )
    body = Client().get("/katalog/").content.decode()
    assert 'href="javascript:' not in body
