"""Spreadsheets as regencies keep them, made by the programs that write them."""

import io

from django.conf import settings
from openpyxl import Workbook

REGENCY_CSV = settings.REPO_DIR / "contoh" / "inventaris-kabupaten.csv"


def messy_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "INVENTARIS APLIKASI PEMERINTAH KABUPATEN BOLAANG MONGONDOW UTARA"
    sheet.merge_cells("A1:H1")
    sheet["A2"] = "Tahun 2026"
    sheet.append([])
    sheet.append(
        [
            "No",
            "Nama Sistem",
            "Unit Kerja",
            "Deskripsi",
            "Alamat URL",
            "Pengembang",
            "DBMS",
            "Status",
        ]
    )
    sheet.append(
        [
            1,
            "SIMPUS",
            "Dinas Kesehatan",
            "Rekam medis",
            "simpus.go.id",
            "Kemenkes",
            "MySQL",
            "Aktif",
        ]
    )
    sheet.append([2, "ASPAK", None, "Sarana prasarana alat", "", "ASPAK", "", "Non Aktif"])
    sheet.merge_cells("C5:C6")  # one OPD written once for two applications
    sheet.append([3, "SIPD-RI", "Badan Keuangan & Aset Daerah", "", "", "Pusat", "", "Mati"])
    sheet.append([4, "=cmd|' /C calc'!A0", "BKAD", "formula", "", "Diskominfo", "", "Aktif"])
    sheet["B8"].data_type = "s"  # text that looks like a formula, as a hostile sheet writes it
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods_like_calc(*, huge: bool = False) -> bytes:
    """An .ods as LibreOffice Calc writes one: merged title, OPD merged down, repeated cells."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P

    def cell(value=None, **attributes):
        if value is None:
            return TableCell(**attributes)
        if isinstance(value, int):
            made = TableCell(valuetype="float", value=value, **attributes)
        elif isinstance(value, tuple):  # a date
            made = TableCell(valuetype="date", datevalue=value[0], **attributes)
            value = value[1]
        else:
            made = TableCell(valuetype="string", **attributes)
        made.addElement(P(text=str(value)))
        return made

    def row(*cells, repeated=None):
        made = TableRow(numberrowsrepeated=repeated) if repeated else TableRow()
        for item in cells:
            made.addElement(item)
        return made

    document = OpenDocumentSpreadsheet()
    table = Table(name="Aplikasi")
    table.addElement(TableColumn(numbercolumnsrepeated=1024))
    table.addElement(
        row(
            cell("DAFTAR APLIKASI PERANGKAT DAERAH", numbercolumnsspanned=7),
            CoveredTableCell(numbercolumnsrepeated=6),
            cell(numbercolumnsrepeated=1017),
        )
    )
    table.addElement(row(cell(numbercolumnsrepeated=1024), repeated=2))
    headers = ["No.", "Nama Aplikasi", "Instansi", "Fungsi", "Status", "Registrasi Ulang"]
    table.addElement(row(*[cell(h) for h in headers], cell(numbercolumnsrepeated=1018)))
    table.addElement(
        row(
            cell(1),
            cell("Sistem Informasi Kesehatan Daerah"),
            cell("Dinas Kesehatan Kabupaten Bolaang Mongondow Utara", numberrowsspanned=2),
            cell("Data kesehatan"),
            cell("Aktif"),
            cell(("2025-12-31", "31/12/2025")),
            cell(numbercolumnsrepeated=1018),
        )
    )
    table.addElement(
        row(
            cell(2),
            cell("Antrean RSUD"),
            CoveredTableCell(),
            cell(),  # an empty cell stays empty, not filled from above
            cell("Dalam Pengembangan"),
            cell(numbercolumnsrepeated=1019),
        )
    )
    if huge:
        table.addElement(row(cell(numbercolumnsrepeated=1024), repeated=1048567))
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
