"""The census field on the web step page is a table of cells (inventory.census_form): the view
assembles the cells into the JSON the validator checks, and a bad cell is refused with its
message next to that cell, every typed value kept and nothing saved."""

import json
import re

import pytest
from django.test import Client

from simpatik.inventory import census_form
from simpatik.inventory.models import Application
from simpatik.projects.models import StepRun
from simpatik.projects.queries import draft_for
from simpatik.projects.tests import test_sensus
from simpatik.projects.tests.test_sensus import _open, _open_census

census_sop, world = test_sensus.census_sop, test_sensus.world  # the census fixtures, shared

KEY = "daftar_aplikasi"


def _cells(rows, spare=1):
    """The POST a browser sends for these rows (plus empty spare rows)."""
    data = {f"{KEY}-baris": str(len(rows) + spare)}
    for index, row in enumerate([*rows, *[{}] * spare]):
        for name in ("id", "nama", "singkatan", "versi", "deskripsi", "url", "platform"):
            data[f"{KEY}-{index}-{name}"] = str(row.get(name, ""))
        data[f"{KEY}-{index}-status"] = row.get("status", "aktif")
    return data


@pytest.fixture
def part(world, kabid):
    _open_census(world, kabid)
    browser = Client()
    manager = world["managers"]["bkpsdm"]
    browser.force_login(manager)
    return {"run": _open(world["project"], 2)["bkpsdm"], "browser": browser, "user": manager}


def _url(world, action):
    return f"/proyek/{world['project'].pk}/langkah/2/{action}/"


def test_the_step_page_shows_the_census_as_a_table_prefilled_from_the_inventory(world, part):
    page = part["browser"].get(world["project"].get_absolute_url()).text
    simpeg = world["simpeg"]
    assert f'name="{KEY}-0-id" value="{simpeg.pk}"' in page
    assert f'name="{KEY}-0-nama" type="text" value="SIMPEG"' in page
    assert f'name="{KEY}-0-url" type="text" value="simpeg.go.id"' in page
    assert "Tidak aktif" in page and "Aktif (masih digunakan)" in page  # Indonesian choices
    assert f'name="{KEY}-baris" value="3"' in page  # one application and two spare rows
    assert 'class="stack census-table"' in page  # rows stack as cards on a phone
    assert f'<textarea id="f-{KEY}"' not in page  # no JSON to type


def test_the_view_assembles_the_cells_into_the_json_the_validator_takes(world, part):
    simpeg = world["simpeg"]
    data = _cells(
        [
            {"id": simpeg.pk, "nama": "SIMPEG", "url": "simpeg.bolmutkab.go.id", "platform": "web"},
            {"nama": "E-Absen", "status": "tidak_aktif"},
        ],
        spare=2,
    )
    done = part["browser"].post(_url(world, "selesai"), data)
    assert done.status_code == 302, done.content.decode()[:2000]
    run = part["run"]
    run.refresh_from_db()
    assert run.status == StepRun.Status.SELESAI
    rows = json.loads(run.values[KEY])
    assert rows == [
        {
            "id": simpeg.pk,
            "nama": "SIMPEG",
            "singkatan": "",
            "versi": "",
            "deskripsi": "",
            "status": "aktif",
            "url": "simpeg.bolmutkab.go.id",
            "platform": "web",
        },
        {
            "nama": "E-Absen",
            "singkatan": "",
            "versi": "",
            "deskripsi": "",
            "status": "tidak_aktif",
            "url": "",
            "platform": "",
        },
    ]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ({"nama": ""}, "nama", "baris 2: nama aplikasi wajib diisi"),
        ({"nama": "E-Absen", "status": "hidup"}, "status", "baris 2: status"),
        ({"nama": "E-Absen", "platform": "kulkas"}, "platform", "baris 2: basis aplikasi"),
        ({"nama": "E-Absen", "id": 10**30}, "id", "baris 2: id aplikasi tidak sah"),
        ({"nama": "E-Absen", "id": "12a"}, "id", "baris 2: id aplikasi tidak sah"),
        # An id in other digits named another application ("٢" read as 2, renamed when applied).
        ({"nama": "E-Absen", "id": "٢"}, "id", "baris 2: id aplikasi tidak sah"),
        ({"nama": "E-Absen", "versi": "9" * 60}, "versi", "baris 2: versi"),
    ],
)
def test_a_bad_cell_is_refused_next_to_that_cell_keeping_every_value(
    world, part, row, column, message
):
    run = part["run"]
    typed = {"nama": "SIMPEG", "id": world["simpeg"].pk, "versi": "3.1", "url": "baru.go.id"}
    data = _cells([typed, {"versi": "1.0", "deskripsi": "absensi pegawai", **row}])
    if column == "nama" and not row["nama"]:
        data[f"{KEY}-1-singkatan"] = "EA"  # a row with something typed, but no name
    page = part["browser"].post(_url(world, "selesai"), data)
    assert page.status_code == 400
    text = page.content.decode()
    cell = re.search(
        rf'<td data-label="[^"]*" class="invalid">\s*<(input|select) id="f-{KEY}-1-{column}"'
        rf'.*?<span class="field-error" id="err-{KEY}-1-{column}">([^<]*)</span>',
        text,
        re.S,
    )
    if column == "id":
        cell = re.search(rf'id="err-{KEY}-1-id">([^<]*)<', text)
    assert cell is not None, text[text.find("census-table") :][:3000]
    assert message in cell.group(cell.lastindex)
    assert f'name="{KEY}-0-versi" type="text" value="3.1"' in text  # every typed value kept
    assert f'name="{KEY}-0-url" type="text" value="baru.go.id"' in text
    assert f'name="{KEY}-1-deskripsi" type="text" value="absensi pegawai"' in text
    run.refresh_from_db()
    # Nothing saved: the step stays open, the bad answer is only the draft (as typed), never a
    # value, and the inventory is untouched.
    assert run.status == StepRun.Status.BERJALAN and KEY not in run.values
    assert list(Application.objects.values_list("nama", "versi")) == [("SIMPEG", "")]


def test_a_reload_keeps_the_saved_draft_and_offers_fresh_spare_rows(world, part):
    data = _cells([{"nama": "SIMPEG", "id": world["simpeg"].pk}, {"nama": "E-Absen"}], spare=0)
    saved = part["browser"].post(_url(world, "draf"), data)
    assert saved.status_code == 302
    part["run"].refresh_from_db()
    draft = draft_for(part["run"], part["user"])
    assert [row["nama"] for row in json.loads(draft["fields"][KEY])] == ["SIMPEG", "E-Absen"]
    page = part["browser"].get(world["project"].get_absolute_url()).text
    assert f'name="{KEY}-1-nama" type="text" value="E-Absen"' in page
    assert f'name="{KEY}-baris" value="4"' in page  # "Tambah aplikasi" gives empty rows again


def test_a_nul_byte_in_a_cell_is_refused_before_the_view_and_nothing_is_saved(world, part):
    """The input guard refuses any NUL byte in a request before a view or the database runs
    (core.middleware): the whole post is refused with its Indonesian message."""
    data = _cells([{"nama": "SIMPEG", "id": world["simpeg"].pk}, {"nama": "E-\x00Absen"}])
    page = part["browser"].post(_url(world, "selesai"), data)
    assert page.status_code == 400 and "karakter NUL" in page.content.decode()
    run = part["run"]
    run.refresh_from_db()
    assert run.status == StepRun.Status.BERJALAN and not run.draft


def test_a_nul_byte_in_a_stored_answer_stands_next_to_its_cell():
    """An answer whose text holds a NUL (as the validator sees it) marks that row's cell."""
    stored = json.dumps([{"nama": "A"}, {"nama": "B\x00"}])
    table = census_form.table(KEY, stored)
    assert table["rows"][1]["errors"] == {"nama": "baris 2: nama harus berupa teks"}
    assert table["rows"][1]["cells"]["nama"] == "B\x00" and not table["rows"][0]["errors"]


def test_the_kasie_reads_an_opds_answer_as_a_table_and_the_api_keeps_the_json(world, part, kasie):
    from simpatik.projects.tests.test_api import client_for

    data = _cells([{"nama": "SIMPEG", "id": world["simpeg"].pk}, {"nama": "E-Absen"}])
    data[f"{KEY}-1-status"] = "tidak_aktif"
    assert part["browser"].post(_url(world, "selesai"), data).status_code == 302
    reader = Client()
    reader.force_login(kasie)
    bkpsdm = world["opds"][0]
    page = reader.get(f"{world['project'].get_absolute_url()}?opd={bkpsdm.pk}").content.decode()
    table = page[page.index('class="stack census-rows') : page.index("</table>")]
    assert "E-Absen" in table and "Tidak aktif" in table and '"nama"' not in table
    detail = (
        client_for(kasie)
        .get(f"/api/v1/projects/{world['project'].pk}/steps/3/?opd={bkpsdm.pk}")
        .json()
    )
    (answer,) = [req for req in detail["requirements"] if req["key"] == KEY]
    assert [row["nama"] for row in json.loads(answer["value"])] == ["SIMPEG", "E-Absen"]
    assert "rows" not in answer


@pytest.mark.parametrize("count", ["999999999999999999999999999999", "-5", "abc", "٣", "401"])
def test_a_table_sent_with_no_row_count_the_form_writes_is_refused_not_read_as_empty(
    world, part, count
):
    """A row count the form never writes (tampered) would have read as no rows: the OPD's part
    completed with an empty list, dropping its applications."""
    run = part["run"]
    run.refresh_from_db()
    before = dict(run.values)  # the part opens with the OPD's applications from the inventory
    data = _cells([{"nama": "SIMPEG", "id": world["simpeg"].pk}])
    data[f"{KEY}-baris"] = count
    page = part["browser"].post(_url(world, "selesai"), data)
    assert page.status_code == 400
    assert "Tabel tidak terkirim utuh" in page.content.decode()
    run.refresh_from_db()
    assert run.status == StepRun.Status.BERJALAN and run.values == before
    assert json.loads(before[KEY])[0]["nama"] == "SIMPEG"


def test_every_bad_row_is_shown_at_once_and_failed_sends_add_no_blank_rows(world, part):
    rows = [
        {"nama": "SIMPEG", "id": world["simpeg"].pk},
        {"singkatan": "X1"},  # no name
        {"nama": "E-Absen", "versi": "9" * 60},
        {"nama": "simpeg"},  # written twice
    ]
    text = part["browser"].post(_url(world, "selesai"), _cells(rows, spare=3)).content.decode()
    errors = dict(re.findall(rf'id="err-{KEY}-(\d+-\w+)">([^<]*)<', text))
    assert set(errors) == {"1-nama", "2-versi", "3-nama"}, errors
    assert "aplikasi ditulis dua kali" in errors["3-nama"]
    # The four rows typed and two spare ones: the three blank rows sent are not kept.
    assert f'name="{KEY}-baris" value="6"' in text
    # Only the bad cells are marked, not every cell of the table.
    assert text.count('aria-invalid="true" aria-describedby="err-daftar_aplikasi-') == 3


def test_an_answer_with_no_application_reads_so_not_as_json(world, part, kasie):
    assert part["browser"].post(_url(world, "selesai"), _cells([], spare=2)).status_code == 302
    reader = Client()
    reader.force_login(kasie)
    bkpsdm = world["opds"][0]
    page = reader.get(f"{world['project'].get_absolute_url()}?opd={bkpsdm.pk}").content.decode()
    assert "Tidak ada aplikasi." in page and "[]" not in page
    # The Kasie's notes per application: none to write, and no JSON box to type them in.
    assert "tidak ada yang perlu diberi catatan" in page
    assert '<textarea id="f-catatan_verifikasi"' not in page


def test_a_draft_of_more_rows_than_the_form_sends_back_is_shown_as_text():
    """Kept through the API, such a draft as a table refused every send of it."""
    many = json.dumps([{"nama": f"Aplikasi {i}"} for i in range(census_form.MAX_FORM_ROWS)])
    assert census_form.table(KEY, many) is None
    assert census_form.table(KEY, json.dumps([{"nama": "SIMPEG"}]))["count"] == 3
