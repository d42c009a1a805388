"""Issue 11 §1: the spreadsheets regencies really keep import without being edited first.

Every file here is a real file made the way its program writes it: a CSV as a spreadsheet
exports it, an .xlsx by openpyxl, an .ods by odfpy (not SIMPATIK's reader).
"""

import re
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from simpatik.accounts.models import Opd
from simpatik.audit.models import AuditRecord
from simpatik.core.errors import ValidationError
from simpatik.inventory import importing
from simpatik.inventory.models import Application, OpdAlias
from simpatik.inventory.tests.files import REGENCY_CSV, messy_xlsx, ods_like_calc


def regency_plan(choices=None):
    return importing.plan(REGENCY_CSV.name, REGENCY_CSV.read_bytes(), choices)


def test_a_regency_csv_is_read_as_its_author_meant(regency):
    preview = regency_plan()
    columns = {c.letter: (c.header, c.target, c.source) for c in preview.columns}
    assert columns == {
        "A": ("No.", "", "nomor"),
        "B": ("Nama Aplikasi/Sistem", "nama", "sinonim"),
        "C": ("OPD Pengelola", "opd", "sinonim"),
        "D": ("Fungsi", "deskripsi", "sinonim"),
        "E": ("Domain", "url", "sinonim"),
        "F": ("Tahun Pembuatan", "tahun_dibangun", "sinonim"),
        "G": ("Pembuat", "pengembang", "sinonim"),
        "H": ("Bahasa Pemrograman", "bahasa_pemrograman", "sinonim"),
        "I": ("DBMS", "basis_data", "sinonim"),
        "J": ("Status", "status", "sinonim"),
        "K": ("Keterangan", "", "tidak dikenal"),
    }
    assert preview.unknown_headers == ["Keterangan"]
    opds = {m.text: (m.opd and m.opd.kode, m.method, m.score, m.rows) for m in preview.opds}
    assert opds == {
        "Badan Perencanaan Pembangunan Daerah": ("bappeda", "nama", 100, [6]),
        "Badan Kepegawaian dan Pengembangan SDM": ("bkpsdm", "ejaan", 100, [7, 8]),
        "Dinas Kesehatan Kab. Bolmut": ("dinkes", "mirip", 100, [9]),
        "Dinas Komunikasi dan Informatika": ("diskominfo", "nama", 100, [10]),
        "BKPSDM": ("bkpsdm", "singkatan", 100, [11]),
        "Dinas Dukcapil": ("disdukcapil", "ejaan", 100, [12]),
        "Dinas Pertanian": (None, "", 55, [13]),
    }
    assert preview.opds[-1].suggestions == []  # nothing close enough to suggest
    sources = {d.text: (d.klass, d.class_only) for d in preview.developers}
    assert sources == {
        "Kemendagri": ("pusat", False),
        "SRIKANDI": ("pusat", False),
        "Diskominfo": ("diskominfo", True),
        "CV Maju Jaya Teknologi": ("pihak_ketiga", False),
        "WordPress": ("komunitas", False),
        "Moodle": ("komunitas", False),
        "Pusat": ("pusat", True),
        "Tim IT Dinas Pertanian": ("", False),  # nothing says who that is: asked
    }
    rows = {row.number: row for row in preview.rows}
    assert {n: r.status for n, r in rows.items()} == {
        6: "new",
        7: "new",
        8: "update",
        9: "new",
        10: "new",
        11: "new",
        12: "new",
        13: "error",
    }
    assert rows[6].data["pengembang_nama"] == "Kemendagri"
    assert "pengembang_nama" not in rows[12].data  # "Pusat" names the class, not a developer
    assert [rows[n].data["status"] for n in (9, 11, 12)] == [
        "tidak_aktif",
        "pengembangan",
        "dihentikan",
    ]
    assert rows[8].changes == {
        "pengembang": ["", "diskominfo"],
        "bahasa_pemrograman": ["", "PHP"],
        "basis_data": ["", "MySQL"],
    }
    assert rows[13].errors == [
        (
            "OPD Pengelola",
            "OPD 'Dinas Pertanian' belum dikenal: pilih OPD-nya atau jadikan OPD baru",
        ),
        ("Pembuat", "sumber pengembang 'Tim IT Dinas Pertanian' belum diketahui: pilih kelasnya"),
    ]
    assert preview.open_questions == 2


def test_confirming_creates_the_proposed_opd_keeps_aliases_and_a_reimport_changes_nothing(
    regency, kasie
):
    opds_before = Opd.objects.count()
    answers = importing.Choices(
        opds={"dinas pertanian": "baru"}, developers={"tim it dinas pertanian": "opd"}
    )
    preview = regency_plan(answers)
    assert preview.counts == {"new": 7, "update": 1, "unchanged": 0, "error": 0}
    assert [m.text for m in preview.new_opds] == ["Dinas Pertanian"]
    assert Opd.objects.count() == opds_before and not OpdAlias.objects.exists()  # not yet

    summary = importing.apply(preview, actor=kasie, filename=REGENCY_CSV.name)
    assert (summary["created"], summary["updated"]) == (7, 1)
    assert summary["opds_created"] == ["Dinas Pertanian"]
    pertanian = Opd.objects.get(nama="Dinas Pertanian")
    app = Application.objects.get(nama="Sistem Informasi Pertanian")
    assert (app.opd, app.pengembang, app.pengembang_nama) == (
        pertanian,
        "opd",
        "Tim IT Dinas Pertanian",
    )
    sipd = Application.objects.get(nama="Sistem Informasi Pemerintahan Daerah")
    assert (sipd.pengembang, sipd.pengembang_nama, sipd.opd.kode) == (
        "pusat",
        "Kemendagri",
        "bappeda",
    )
    # Only a match by similarity is kept: the others are found the same way every time.
    assert dict(OpdAlias.objects.values_list("text", "opd__kode")) == {
        "Dinas Kesehatan Kab. Bolmut": "dinkes"
    }
    assert AuditRecord.objects.filter(action="inventory.opd.created").count() == 1
    assert AuditRecord.objects.filter(action="inventory.opd.alias_learnt").count() == 1

    # The same file again, without any answer: everything is known now and nothing changes.
    written = AuditRecord.objects.filter(action__startswith="inventory.").exclude(
        action="inventory.import"
    )
    count = written.count()
    again = regency_plan()
    assert again.counts == {"new": 0, "update": 0, "unchanged": 8, "error": 0}
    assert {m.method for m in again.opds} == {"nama", "singkatan", "alias", "ejaan"}
    importing.apply(again, actor=kasie, filename=REGENCY_CSV.name)
    assert written.count() == count
    assert Opd.objects.count() == opds_before + 1 and OpdAlias.objects.count() == 1


def test_an_unknown_opd_is_only_proposed_until_confirmed(regency, kasie):
    before = Opd.objects.count()
    preview = regency_plan()
    summary = importing.apply(preview, actor=kasie, valid_only=True)
    assert summary["skipped_errors"] == 1 and summary["opds_created"] == []
    assert Opd.objects.count() == before
    assert not Application.objects.filter(nama="Sistem Informasi Pertanian").exists()
    # --create-opd answers "baru" for every OPD not recognised; the developer still asks.
    preview = regency_plan(importing.Choices(create_opds=True))
    row = preview.rows[-1]
    assert row.status == "error" and [c for c, _m in row.errors] == ["Pembuat"]


def test_a_person_may_overrule_a_match_and_the_alias_follows(regency, kasie):
    bkad = regency["bkad"]
    choices = importing.Choices(
        opds={"dinas kesehatan kab bolmut": str(bkad.pk)}, developers={"tim it dinas pertanian": ""}
    )
    preview = regency_plan(choices)
    match = next(m for m in preview.opds if m.text == "Dinas Kesehatan Kab. Bolmut")
    assert (match.opd, match.method) == (bkad, "pilihan")
    importing.apply(preview, actor=kasie, valid_only=True)
    assert OpdAlias.objects.get(key="dinas kesehatan kab bolmut").opd == bkad
    assert regency_plan().opds[2].opd == bkad  # the next import follows the correction


def test_a_semicolon_csv_with_its_own_headers(regency):
    content = (
        "Rekap Aplikasi OPD;;;;;\n"
        "Nama Aplikasi;Perangkat Daerah;Deskripsi;Tautan;Tahun Dibangun;Penyedia;Basis Data;Status\n"
        "Antrean Puskesmas;Dinas Kesehatan;antrean, rekam medis, farmasi;antre.bolmutkab.go.id;"
        "2020;PT Solusi Nusantara;PostgreSQL;Tidak Aktif\n"
        "SIPD Penatausahaan;BKAD;keuangan daerah;;2021;SIPD;;Aktif\n"
    ).encode("cp1252")
    preview = importing.plan("rekap.csv", content)
    assert [c.target for c in preview.columns] == [
        "nama",
        "opd",
        "deskripsi",
        "url",
        "tahun_dibangun",
        "pengembang",
        "basis_data",
        "status",
    ]
    first, second = preview.rows
    assert first.data["deskripsi"] == "antrean, rekam medis, farmasi"
    assert (first.data["pengembang"], first.data["pengembang_nama"]) == (
        "pihak_ketiga",
        "PT Solusi Nusantara",
    )
    assert first.data["status"] == "tidak_aktif"
    assert (second.data["opd"].kode, second.data["pengembang"]) == ("bkad", "pusat")
    assert [r.status for r in preview.rows] == ["new", "new"]


def test_an_xlsx_with_a_title_a_merged_opd_and_status_variants(regency, kasie):
    preview = importing.plan("inventaris.xlsx", messy_xlsx())
    rows = {row.number: row for row in preview.rows}
    assert sorted(rows) == [5, 6, 7, 8]
    assert [rows[n].data["opd"].kode for n in (5, 6, 7, 8)] == ["dinkes", "dinkes", "bkad", "bkad"]
    assert [rows[n].data["status"] for n in (5, 6, 7, 8)] == [
        "aktif",
        "tidak_aktif",
        "dihentikan",
        "aktif",
    ]
    assert [rows[n].data["pengembang"] for n in (5, 6, 7, 8)] == [
        "pusat",
        "pusat",
        "pusat",
        "diskominfo",
    ]
    assert rows[8].nama == "=cmd|' /C calc'!A0"
    assert preview.counts["new"] == 4


def test_an_ods_written_like_calc(regency):
    preview = importing.plan("inventaris.ods", ods_like_calc())
    assert preview.kind == "ods"
    first, second = preview.rows
    assert (first.number, second.number) == (5, 6)
    assert first.data["opd"].kode == second.data["opd"].kode == "dinkes"
    assert first.data["registrasi_ulang"].isoformat() == "2025-12-31"
    assert first.data["deskripsi"] == "Data kesehatan" and "deskripsi" not in second.data
    assert (first.data["status"], second.data["status"]) == ("aktif", "pengembangan")
    assert preview.opds[0].method == "ejaan" and preview.opds[0].score == 100


def test_an_ods_whose_empty_rest_is_a_million_repeated_rows_reads_at_once(regency):
    content = ods_like_calc(huge=True)
    started = time.monotonic()
    preview = importing.plan("inventaris.ods", content)
    assert time.monotonic() - started < 5
    assert [row.number for row in preview.rows] == [5, 6] and preview.notes == []


def test_cli_takes_the_mapping_creates_opds_on_request_and_shows_scores(
    regency, kasie, tmp_path, capsys, settings
):
    settings.SIMPATIK_OPERATOR = kasie.username
    path = tmp_path / "rekap.csv"
    path.write_text(
        "No.,Aplikasi,Pengampu,Keterangan,Kondisi\n"
        "1,Sistem Pakar Padi,Dinas Pertanian,Tim IT Puskesmas,Aktif\n"
        "2,Portal Kesehatan,Dinkes Kab. Bolmut,Kemenkes,Tidak Aktif\n"
    )
    with pytest.raises(CommandError, match="tidak ada yang diimpor"):
        call_command("inventory", "import", str(path), "--yes")
    out = capsys.readouterr().out
    assert re.search(r"C  Pengampu +-> - \(tidak dikenal, diabaikan\)", out)
    with pytest.raises(CommandError, match="field tidak dikenal"):
        call_command("inventory", "import", str(path), "--map", "Pengampu=pemilik opd xyz")
    with pytest.raises(CommandError, match="tidak ada yang diimpor"):
        call_command(
            "inventory",
            "import",
            str(path),
            "--map",
            "Pengampu=opd",
            "--map",
            "D=Nama pengembang",
            "--yes",
        )
    out = capsys.readouterr().out
    assert re.search(r"D  Keterangan +-> Nama pengembang \(pilihan Anda\)", out)
    assert '"Dinkes Kab. Bolmut" -> Dinkes (kemiripan nama, skor 100)' in out
    assert '"Dinas Pertanian" -> belum dikenal' in out and "--create-opd" in out
    assert not Opd.objects.filter(nama="Dinas Pertanian").exists()
    call_command(
        "inventory",
        "import",
        str(path),
        "--map",
        "Pengampu=opd",
        "--map",
        "D=pengembang",
        "--pengembang",
        "Tim IT Puskesmas=opd",
        "--create-opd",
        "--yes",
    )
    out = capsys.readouterr().out
    assert '"Dinas Pertanian" -> OPD baru, dibuat saat disimpan' in out
    assert "OPD baru: Dinas Pertanian." in out
    padi = Application.objects.get(nama="Sistem Pakar Padi")
    assert (padi.opd.nama, padi.pengembang, padi.status) == ("Dinas Pertanian", "opd", "aktif")
    assert Application.objects.get(nama="Portal Kesehatan").pengembang == "pusat"


def test_cli_mapping_errors_are_named(regency, tmp_path):
    path = tmp_path / "rekap.csv"
    path.write_text("Aplikasi,Instansi,Instansi\nA,Dinkes,Dinkes\n")
    with pytest.raises(CommandError, match="lebih dari satu kolom 'Instansi'"):
        call_command("inventory", "import", str(path), "--map", "Instansi=opd")
    with pytest.raises(CommandError, match="Kolom 'Pemilik' tidak ada di baris judul"):
        call_command("inventory", "import", str(path), "--map", "Pemilik=opd")
    with pytest.raises(ValidationError) as caught:
        importing.plan(
            "r.csv", path.read_bytes(), importing.Choices(columns={"A": "opd", "B": "opd"})
        )
    assert caught.value.code == "mapping_invalid"


@pytest.mark.parametrize(
    "text, klass",
    [
        ("Pusat", "pusat"),
        ("Kementerian Dalam Negeri", "pusat"),
        ("Kemendagri", "pusat"),
        ("BKN", "pusat"),
        ("LKPP", "pusat"),
        ("Kominfo RI", "pusat"),
        ("SIPD", "pusat"),
        ("Aplikasi SRIKANDI", "pusat"),
        ("e-Office", "pusat"),
        ("Moodle 4.1", "komunitas"),
        ("WordPress", "komunitas"),
        ("Open Source", "komunitas"),
        ("PT Telkom Indonesia", "pihak_ketiga"),
        ("CV. Maju Jaya", "pihak_ketiga"),
        ("Pihak Ketiga", "pihak_ketiga"),
        ("Dinas Kominfo", "diskominfo"),
        ("Internal", "diskominfo"),
        ("Dinas Komunikasi dan Informatika", "diskominfo"),
        ("Dinas Kesehatan", "opd"),
        ("Bapak Budi", ""),
        ("Swakelola", ""),
    ],
)
def test_developer_words_are_classified_or_asked(regency, text, klass):
    from simpatik.inventory.matching import DeveloperClassifier, OpdMatcher

    assert DeveloperClassifier(OpdMatcher()).classify(text).klass == klass


@pytest.mark.parametrize(
    "text, status",
    [
        ("Aktif", "aktif"),
        ("AKTIF", "aktif"),
        ("Tidak Aktif", "tidak_aktif"),
        ("Non Aktif", "tidak_aktif"),
        ("Non-Aktif", "tidak_aktif"),
        ("Dalam Pengembangan", "pengembangan"),
        ("Mati", "dihentikan"),
        ("Perencanaan", "perencanaan"),
    ],
)
def test_status_values_in_their_usual_forms(regency, text, status):
    preview = importing.plan("s.csv", f"Nama Aplikasi,OPD,Status\nX,Dinkes,{text}\n".encode())
    assert preview.rows[0].data["status"] == status


@pytest.mark.parametrize(
    "header, field",
    [
        ("OPD Pengelola", "opd"),
        ("Perangkat Daerah", "opd"),
        ("UNIT KERJA", "opd"),
        ("Instansi", "opd"),
        ("Nama Aplikasi", "nama"),
        ("Nama_Sistem", "nama"),
        ("Deskripsi", "deskripsi"),
        ("Fungsi", "deskripsi"),
        ("Alamat URL", "url"),
        ("Domain", "url"),
        ("Tautan", "url"),
        ("Tahun Pembuatan", "tahun_dibangun"),
        ("Tahun  Dibangun", "tahun_dibangun"),
        ("Pengembang", "pengembang"),
        ("Pembuat", "pengembang"),
        ("Penyedia", "pengembang"),
        ("Bahasa Pemrograman", "bahasa_pemrograman"),
        ("Basis Data", "basis_data"),
        ("DBMS", "basis_data"),
        ("Status:", "status"),
    ],
)
def test_the_header_synonyms_of_the_issue(header, field):
    from simpatik.inventory.spreadsheet import locate_columns

    _index, columns, _unknown = locate_columns([["Daftar aplikasi"], ["No.", header]])
    assert columns == {1: field}


def test_rows_past_the_limit_are_named_not_silently_dropped():
    from simpatik.inventory.spreadsheet import MAX_ROWS, read_table

    lines = ["Nama Aplikasi,OPD"] + [f"Aplikasi {n},Dinkes" for n in range(MAX_ROWS + 2)]
    table = read_table("besar.csv", "\n".join(lines).encode())
    assert len(table.rows) == MAX_ROWS
    assert table.notes == [
        "3 baris berisi setelah baris 5000 tidak dibaca: bagi berkasnya menjadi beberapa."
    ]


@pytest.mark.parametrize(
    "text, kode, method",
    [
        ("Dinas Kesehatan Kabupaten Bolaang Mongondow Utara", "dinkes", "ejaan"),
        ("Dinas Kesehatn", "dinkes", "mirip"),
        ("Badan Kepegawaian dan Pengembangan SDM", "bkpsdm", "ejaan"),
        ("BKPSDM", "bkpsdm", "singkatan"),
        ("Dinas PUPR", "pupr", "ejaan"),
        ("Badan Keuangan & Aset Daerah", "bkad", "ejaan"),
        ("Dinas Perikanan", None, ""),  # not Dinas Pertanian: a different agency
        ("Dinas Pertanahan", None, ""),
        ("Dinas", None, ""),
        ("Badan Daerah", None, ""),
    ],
)
def test_opd_names_are_matched_only_when_sure(regency, text, kode, method):
    from simpatik.inventory.matching import OpdMatcher

    Opd.objects.create(kode="distan", nama="Dinas Pertanian", singkatan="Distan")
    Opd.objects.create(kode="pupr", nama="Dinas Pekerjaan Umum dan Penataan Ruang", singkatan="")
    match = OpdMatcher().match(text)
    assert (match.opd and match.opd.kode, match.method) == (kode, method)


def test_one_new_opd_written_two_ways_is_made_once(regency, kasie):
    content = (
        b"Nama Aplikasi,OPD\n"
        b"Sistem Pakar Padi,Dinas Pertanian\n"
        b"Data Kelompok Tani,DINAS PERTANIAN KABUPATEN BOLAANG MONGONDOW UTARA\n"
    )
    preview = importing.plan("tani.csv", content, importing.Choices(create_opds=True))
    assert [row.notes for row in preview.rows] == [
        ["OPD baru, dibuat saat disimpan: Dinas Pertanian"]
    ] * 2
    summary = importing.apply(preview, actor=kasie)
    assert summary["opds_created"] == ["Dinas Pertanian"]
    pertanian = Opd.objects.get(nama="Dinas Pertanian")
    assert set(Application.objects.filter(opd=pertanian).values_list("nama", flat=True)) == {
        "Sistem Pakar Padi",
        "Data Kelompok Tani",
    }
    assert OpdAlias.objects.get(opd=pertanian).text.startswith("DINAS PERTANIAN KABUPATEN")
    assert importing.plan("tani.csv", content).counts["unchanged"] == 2
