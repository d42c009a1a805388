import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import ValidationError
from simpatik.inventory import importing, queries
from simpatik.inventory.models import Application
from simpatik.inventory.spreadsheet import to_xlsx


def messy_workbook() -> bytes:
    """As the regency keeps it: a title, merged group headers, blank rows, one bad row."""
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "DAFTAR APLIKASI PEMERINTAH KABUPATEN BOLAANG MONGONDOW UTARA TAHUN 2026"
    sheet.merge_cells("A1:H1")
    sheet.append([])
    sheet.append(
        [
            "No",
            "Nama Aplikasi",
            "Perangkat Daerah",
            "Fungsi",
            "Status",
            "Alamat URL",
            "Penanggung Jawab",
            None,
        ]
    )
    sheet.append([None, None, None, None, None, None, "Nama", "No HP"])
    for col in "ABCDEF":
        sheet.merge_cells(f"{col}3:{col}4")
    sheet.merge_cells("G3:H3")
    sheet.append(
        [
            1,
            "Sistem Informasi Manajemen Kepegawaian",
            "BKPSDM",
            "Data ASN",
            "Aktif",
            "https://simpeg.bolmutkab.go.id",
            "Budi",
            "0812",
        ]
    )
    sheet.append([None] * 8)
    sheet.append([2, "Aplikasi Gizi Balita", "Dinkes", "Pemantauan gizi", "aktif", "", "Sari", ""])
    sheet.append([3, "Aplikasi Hantu", "Dinas Pariwisata", "", "Rusak", "", "", ""])
    sheet.append([4, "", "BKPSDM", "tanpa nama", "Aktif", "", "", ""])
    sheet.append([None] * 8)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_messy_spreadsheet_preview_shows_each_row_and_why(inventory, kasie):
    preview = importing.plan("inventaris.xlsx", messy_workbook())
    by_row = {row.number: row for row in preview.rows}
    assert sorted(by_row) == [5, 7, 8, 9]
    assert by_row[5].status == "update"
    assert by_row[5].changes["url"] == ["", "https://simpeg.bolmutkab.go.id"]
    assert by_row[5].changes["pj_nama"] == ["", "Budi"]
    assert by_row[5].changes["pj_telepon"] == ["", "0812"]
    assert by_row[7].status == "new" and by_row[7].data["opd"].kode == "dinkes"
    assert by_row[8].status == "error"
    assert (
        "Perangkat Daerah",
        "OPD 'Dinas Pariwisata' belum dikenal: pilih OPD-nya atau jadikan OPD baru",
    ) in by_row[8].errors
    assert any(
        column == "Status" and "nilai 'Rusak' tidak dikenal" in message
        for column, message in by_row[8].errors
    )
    assert by_row[9].errors == [("Nama Aplikasi", "wajib diisi")]
    assert preview.counts == {"new": 1, "update": 1, "unchanged": 0, "error": 2}


def test_nothing_is_written_until_confirmed_and_a_bad_file_writes_nothing(inventory, kasie):
    before = Application.objects.count()
    preview = importing.plan("inventaris.xlsx", messy_workbook())
    assert Application.objects.count() == before
    with pytest.raises(ValidationError) as caught:
        importing.apply(preview, actor=kasie)
    assert caught.value.code == "import_has_errors"
    assert Application.objects.count() == before
    assert not AuditRecord.objects.filter(action="inventory.import").exists()


def test_valid_rows_only_then_reimport_changes_nothing(inventory, kasie):
    content = messy_workbook()
    summary = importing.apply(
        importing.plan("inventaris.xlsx", content), actor=kasie, valid_only=True
    )
    assert (summary["created"], summary["updated"], summary["skipped_errors"]) == (1, 1, 2)
    assert Application.objects.get(nama="Aplikasi Gizi Balita").pj_nama == "Sari"
    changes = AuditRecord.objects.filter(action__startswith="inventory.application").count()
    again = importing.plan("inventaris.xlsx", content)
    assert (
        again.counts["new"] == 0 and again.counts["update"] == 0 and again.counts["unchanged"] == 2
    )
    importing.apply(again, actor=kasie, valid_only=True)
    assert AuditRecord.objects.filter(action__startswith="inventory.application").count() == changes
    assert Application.objects.filter(diarsipkan=False).count() == len(inventory) + 1


def test_an_export_reimports_as_unchanged(inventory, kasie):
    headers, rows = queries.export_table(Application.objects.active().select_related("opd"))
    preview = importing.plan("ekspor.xlsx", to_xlsx(headers, rows))
    assert preview.counts == {"new": 0, "update": 0, "unchanged": len(inventory), "error": 0}


def test_semicolon_csv_with_windows_encoding(opds, kasie):
    content = "Nama Aplikasi;OPD;Status;Tahun Dibangun\nPortal Desa;Setda;Aktif;2019\nAplikasi Pajak;Setda;Aktif;dua ribu\n"
    preview = importing.plan("data.csv", content.encode("cp1252"))
    assert [row.status for row in preview.rows] == ["new", "error"]
    assert preview.rows[1].errors == [("Tahun Dibangun", "tahun 'dua ribu' tidak valid")]


def test_a_file_without_a_name_column_is_refused(opds):
    with pytest.raises(ValidationError) as caught:
        importing.plan("x.csv", b"foo,bar\n1,2\n")
    assert caught.value.code == "no_header"


def test_cli_import_exit_status_and_confirmation(inventory, tmp_path, capsys, kasie, settings):
    settings.SIMPATIK_OPERATOR = kasie.username  # commands run as a named person
    path = tmp_path / "inventaris.xlsx"
    path.write_bytes(messy_workbook())
    with pytest.raises(CommandError, match="tidak ada yang diimpor"):
        call_command("inventory", "import", str(path), "--yes")
    assert not Application.objects.filter(nama="Aplikasi Gizi Balita").exists()
    with pytest.raises(CommandError, match="--yes"):
        call_command("inventory", "import", str(path), "--valid-only")  # no terminal to ask
    call_command("inventory", "import", str(path), "--valid-only", "--yes")
    out = capsys.readouterr().out
    assert "baris    8  GALAT" in out and "Diimpor: 1 baru, 1 diperbarui." in out
    assert Application.objects.filter(nama="Aplikasi Gizi Balita").exists()
    assert AuditRecord.objects.filter(action="inventory.import", via="cli").count() == 1
