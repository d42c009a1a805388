"""The census verification returns an OPD's part with a note per application (SOP Inventarisasi
Aplikasi, issue 12 §3): typed beside each application, stored with the step's run, shown to the
OPD beside each application on its returned task, and in the step's record."""

import json

import pytest
from django.test import Client

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import ValidationError
from simpatik.inventory.census_notes import note_for, parse_notes
from simpatik.projects import services
from simpatik.projects.tests import test_sensus
from simpatik.projects.tests.test_sensus import _answer, _open, _open_census

census_sop, world = test_sensus.census_sop, test_sensus.world  # the census fixtures, shared

NOTES = "catatan_verifikasi"


@pytest.fixture
def answered(world, kabid):
    """BKPSDM answered SIMPEG (in the inventory) and E-Absen (new); its part awaits the Kasie."""
    _open_census(world, kabid)
    simpeg = world["simpeg"]
    _answer(world, "bkpsdm", [{"id": simpeg.pk, "nama": "SIMPEG"}, {"nama": "E-Absen"}])
    return world


def _page(client, world, opd):
    return client.get(f"{world['project'].get_absolute_url()}?opd={opd.pk}").content.decode()


def _return_with_notes(world, kasie):
    bkpsdm = world["opds"][0]
    browser = Client()
    browser.force_login(kasie)
    page = _page(browser, world, bkpsdm)
    # A note box beside each application of the answer being verified.
    assert f'name="{NOTES}-0-catatan"' in page and f'name="{NOTES}-1-catatan"' in page
    assert f'name="{NOTES}-baris" value="2"' in page
    data = {
        "decision": "dikembalikan",
        "reason": "Dua aplikasi perlu dilengkapi",
        f"{NOTES}-baris": "2",
        f"{NOTES}-0-id": str(world["simpeg"].pk),
        f"{NOTES}-0-nama": "SIMPEG",
        f"{NOTES}-0-catatan": "URL belum diperbarui ke subdomain resmi",
        f"{NOTES}-1-id": "",
        f"{NOTES}-1-nama": "E-Absen",
        f"{NOTES}-1-catatan": "Isi versi dan deskripsi",
    }
    url = f"/proyek/{world['project'].pk}/langkah/3/selesai/?opd={bkpsdm.pk}"
    response = browser.post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    return browser


def test_the_kasie_returns_a_part_with_a_note_per_application(answered, kasie):
    run = _open(answered["project"], 3)["bkpsdm"]
    _return_with_notes(answered, kasie)
    run.refresh_from_db()
    simpeg = answered["simpeg"]
    assert json.loads(run.values[NOTES]) == [
        {"id": simpeg.pk, "nama": "SIMPEG", "catatan": "URL belum diperbarui ke subdomain resmi"},
        {"nama": "E-Absen", "catatan": "Isi versi dan deskripsi"},
    ]
    record = AuditRecord.objects.get(action="project.step.completed", object_id=str(run.pk))
    assert "Isi versi dan deskripsi" in record.data["fields"][NOTES]
    assert _open(answered["project"], 2)["bkpsdm"].round == 2


def test_the_returned_opd_sees_each_note_beside_its_application(answered, kasie):
    _return_with_notes(answered, kasie)
    manager = Client()
    manager.force_login(answered["managers"]["bkpsdm"])
    page = _page(manager, answered, answered["opds"][0])
    simpeg_row = page.index('id="daftar_aplikasi-row-0"')
    simpeg_note = page.index('id="daftar_aplikasi-0-catatan"')
    absen_row = page.index('id="daftar_aplikasi-row-1"')
    assert simpeg_row < simpeg_note < absen_row  # the note right below its application
    assert "Catatan Kasie untuk SIMPEG" in page
    assert "URL belum diperbarui ke subdomain resmi" in page[simpeg_note:absen_row]
    assert "Isi versi dan deskripsi" in page[absen_row:]
    returned = page[page.index('id="step-returned"') :]
    assert "Dua aplikasi perlu dilengkapi" in returned and "Catatan per aplikasi" in returned


def test_the_notes_are_in_the_steps_record_and_the_api_returns_them(answered, kasie):
    from simpatik.projects.tests.test_api import client_for

    browser = _return_with_notes(answered, kasie)
    bkpsdm = answered["opds"][0]
    project = answered["project"]
    record = browser.get(f"{project.get_absolute_url()}?langkah=3&opd={bkpsdm.pk}").content
    record = record.decode()
    listed = record[record.index('class="census-note-list"') :]
    assert "<strong>SIMPEG</strong>: URL belum diperbarui ke subdomain resmi" in listed
    assert "<strong>E-Absen</strong>: Isi versi dan deskripsi" in listed
    assert "&quot;catatan&quot;" not in record  # read as a list, not as JSON
    detail = client_for(answered["managers"]["bkpsdm"]).get(
        f"/api/v1/projects/{project.pk}/steps/2/?opd={bkpsdm.pk}"
    )
    notes = detail.json()["returned"]["notes"]
    assert [note["nama"] for note in notes] == ["SIMPEG", "E-Absen"]


def test_a_part_returned_without_notes_shows_none_and_others_keep_theirs(answered, kasie):
    _return_with_notes(answered, kasie)
    project = answered["project"]
    _answer(answered, "dinkes", [{"nama": "SIMPUS"}])
    services.complete_step(
        _open(project, 3)["dinkes"], actor=kasie, decision="dikembalikan", reason="Lengkapi URL"
    )
    manager = Client()
    manager.force_login(answered["managers"]["dinkes"])
    page = _page(manager, answered, answered["opds"][1])
    returned = page[page.index('id="step-returned"') :]
    assert "Lengkapi URL" in returned
    assert "Catatan per aplikasi" not in page and "Catatan Kasie" not in page
    assert "URL belum diperbarui" not in page  # BKPSDM's notes stay BKPSDM's


def test_a_note_list_that_is_not_one_is_refused_and_nothing_is_saved(answered, kasie):
    run = _open(answered["project"], 3)["bkpsdm"]
    with pytest.raises(ValidationError) as refused:
        services.complete_step(
            run,
            actor=kasie,
            decision="dikembalikan",
            reason="Perbaiki",
            fields={NOTES: json.dumps([{"nama": "SIMPEG", "catatan": 5}])},
        )
    assert "catatan" in str(refused.value.message)
    run.refresh_from_db()
    assert run.completed_at is None and _open(answered["project"], 3)["bkpsdm"].pk == run.pk


def test_notes_match_an_application_by_id_then_by_name():
    notes = parse_notes(
        json.dumps(
            [
                {"id": 7, "nama": "Lama", "catatan": "oleh id"},
                {"nama": "E-Absen", "catatan": "oleh nama"},
                {"nama": "Kosong", "catatan": "  "},
            ]
        )
    )
    assert len(notes) == 2  # an empty note is no note
    assert note_for({"id": "7", "nama": "Nama baru"}, notes) == "oleh id"
    assert note_for({"id": "", "nama": "e-absen"}, notes) == "oleh nama"
    assert note_for({"id": "8", "nama": "Lama"}, notes) == ""
    for bad in ("{}", "[1]", '[{"nama": "A", "catatan": "x", "warna": 1}]', '[{"id": true}]'):
        with pytest.raises(ValueError):
            parse_notes(bad)
