import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from simpatik.audit.models import AuditRecord
from simpatik.sop.definition import DefinitionError
from simpatik.spbe.models import MappingVersion
from simpatik.spbe.services import load_mapping, mapping_for, stage_notes

pytestmark = pytest.mark.django_db


def test_the_shipped_mapping_loads_as_a_version_with_its_checksum_once(sop, mapping_text):
    first = load_mapping(mapping_text)
    again = load_mapping(mapping_text)
    assert first.created and not again.created
    version = first.version
    assert (version.version, version.sop_version, version.berlaku) == (1, sop, True)
    assert len(version.sha256) == 64 and version.source == mapping_text
    assert MappingVersion.objects.count() == 1
    assert AuditRecord.objects.filter(action="spbe.mapping.loaded").count() == 1
    notes = stage_notes(sop)
    assert len(notes) == 18
    assert (notes[1], notes[12], notes[14]) == (
        "Analisis kebutuhan",
        "Implementasi",
        "Uji kelaikan",
    )
    _row, mapping = mapping_for(sop)
    assert mapping.steps_of("I.30") == (13, 14, 15, 17)
    assert 13 in mapping.steps_of("I.27") and 13 not in mapping.own_steps_of("I.27")


def _broken(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


BROKEN = {
    "unknown_step": (
        "  - {langkah: 4, tahap: analisis_kebutuhan",
        "  - {langkah: 44, tahap: analisis_kebutuhan",
        ["langkah 44: tidak ada di SOP", "langkah 4 dari SOP"],
    ),
    "unknown_output": (
        "      surat_persetujuan:",
        "      surat_tidak_ada:",
        ["langkah 18 hasil 'surat_tidak_ada': bukan Output langkah 18"],
    ),
    "unknown_stage": (
        "  - {langkah: 12, tahap: implementasi",
        "  - {langkah: 12, tahap: pemrograman",
        ["langkah 12: tahap 'pemrograman' tidak dikenal"],
    ),
    "duplicate_step": (
        "  - {langkah: 4, tahap: analisis_kebutuhan",
        "  - {langkah: 3, tahap: analisis_kebutuhan",
        ["langkah 3: dipetakan lebih dari sekali", "langkah 4 dari SOP"],
    ),
    "missing_step": (
        '  - {langkah: 17, tahap: evaluasi, indikator: ["I.15", "I.30"]}\n',
        "",
        ["langkah 17 dari SOP pengembangan-aplikasi-diskominfo belum dipetakan"],
    ),
    "unknown_indicator": (
        '  - {langkah: 9, tahap: perencanaan, indikator: ["I.15", "I.27"]}',
        '  - {langkah: 9, tahap: perencanaan, indikator: ["I.15", "I.99"]}',
        ["langkah 9 indikator: indikator 'I.99' tidak dikenal"],
    ),
    "unknown_evidence": (
        "bukti: [lembar_sop, naskah_proyek, jejak_audit, kinerja_langkah]",
        "bukti: [lembar_sop, foto_kegiatan]",
        ["indikator I.30: jenis bukti 'foto_kegiatan' tidak dikenal"],
    ),
    "duplicate_stage": (
        "  - {key: evaluasi, nama: Evaluasi}",
        "  - {key: perencanaan, nama: Evaluasi}",
        ["tahapan ke-7: tahap 'perencanaan' ganda", "tahap 'evaluasi' tidak dikenal"],
    ),
    "unknown_key": (
        "kode: pemetaan-spbe\n",
        "kode: pemetaan-spbe\nversi: 3\n",
        ["berkas pemetaan: kunci 'versi' tidak dikenal"],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_bad_mapping_is_refused_whole_naming_the_place(sop, mapping_text, case):
    old, new, expected = BROKEN[case]
    with pytest.raises(DefinitionError) as refused:
        load_mapping(_broken(mapping_text, old, new))
    text = "\n".join(refused.value.problems)
    for fragment in expected:
        assert fragment in text
    assert not MappingVersion.objects.exists()
    assert not AuditRecord.objects.filter(action="spbe.mapping.loaded").exists()


def test_a_mapping_needs_the_sop_loaded_first(db, mapping_text):
    with pytest.raises(DefinitionError) as refused:
        load_mapping(mapping_text)
    assert "belum dimuat" in refused.value.problems[0]


def test_the_command_checks_and_loads_as_an_administrator(
    sop, mapping_text, admin, kabid, tmp_path
):
    path = tmp_path / "pemetaan.yaml"
    path.write_text(mapping_text)
    out = io.StringIO()
    call_command("spbe", "check-mapping", str(path), stdout=out)
    assert "18 langkah, 5 indikator" in out.getvalue()
    assert not MappingVersion.objects.exists()
    with pytest.raises(CommandError, match="bukan administrator"):
        call_command("spbe", "load-mapping", str(path), "--as", "kabid")
    call_command("spbe", "load-mapping", str(path), "--as", "admin", stdout=out)
    assert MappingVersion.objects.get().loaded_by == admin
    path.write_text(_broken(mapping_text, "tahap: pemeliharaan", "tahap: operasi"))
    with pytest.raises(CommandError, match="langkah 18: tahap 'operasi' tidak dikenal"):
        call_command("spbe", "load-mapping", str(path), "--as", "admin")
    assert MappingVersion.objects.count() == 1


def _upload(text: str):
    return SimpleUploadedFile("pemetaan.yaml", text.encode(), "application/x-yaml")


def test_an_administrator_uploads_a_new_version_in_the_browser(
    client, sop, mapping, mapping_text, admin, kabid
):
    client.force_login(kabid)
    page = client.get("/spbe/pemetaan/")
    assert page.status_code == 200 and "I.15" in page.content.decode()
    assert 'id="load-mapping"' not in page.content.decode()
    revised = mapping_text.replace("tahap: pemeliharaan", "tahap: evaluasi")
    assert client.post("/spbe/pemetaan/", {"mapping": _upload(revised)}).status_code == 403
    client.force_login(admin)
    bad = client.post(
        "/spbe/pemetaan/", {"mapping": _upload(revised.replace("langkah: 18", "langkah: 19"))}
    )
    assert bad.status_code == 400 and "langkah 19: tidak ada di SOP" in bad.content.decode()
    assert MappingVersion.objects.count() == 1
    good = client.post("/spbe/pemetaan/", {"mapping": _upload(revised), "note": "langkah 18"})
    assert good.status_code == 302
    latest = MappingVersion.objects.get(berlaku=True)
    assert (latest.version, latest.loaded_by, latest.note) == (2, admin, "langkah 18")
    assert stage_notes(sop)[18] == "Evaluasi"


def test_the_sop_sheet_shows_each_steps_stage(client, sop, mapping):
    html = client.get(f"/sop/{sop.pk}/dokumen/").content.decode()
    # The Ket column wraps a long stage name over lines: each line is one <text>.
    for line in (">Analisis<", ">kebutuhan<", ">Implementasi<", ">Uji kelaikan<", ">Pemeliharaan<"):
        assert line in html
    assert "tahap pembangunan aplikasi" in html
    pdf = client.get(f"/sop/{sop.pk}/dokumen.pdf").content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for stage in ("Analisis", "Perencanaan", "Rancang", "Implementasi", "Uji kelaikan", "Evaluasi"):
        assert stage in text


def test_the_sheet_has_no_stage_column_text_without_a_mapping(client, sop):
    html = client.get(f"/sop/{sop.pk}/dokumen/").content.decode()
    assert "Uji kelaikan" not in html


def test_the_project_page_shows_each_steps_stage(client, project, mapping, kabid):
    client.force_login(kabid)
    html = client.get(f"/proyek/{project.pk}/").content.decode()
    row = html.split('id="langkah-12"')[1].split("</tr>")[0]
    assert "Tahap: Implementasi" in row
    row = html.split('id="langkah-1"')[1].split("</tr>")[0]
    assert "Tahap: Analisis kebutuhan" in row


def test_a_revised_sop_with_the_same_steps_keeps_the_mapping_in_force(client, sop, mapping):
    from django.conf import settings

    from simpatik.sop.services import load_definition

    text = settings.SIMPATIK_SOP_DEFINITION.read_text()
    revised = load_definition(text.replace('nomor_sop: ""', 'nomor_sop: "800/2/2026"')).version
    assert revised.version == 2
    assert stage_notes(revised)[10] == "Rancang bangun"
    assert ">Implementasi<" in client.get(f"/sop/{revised.pk}/dokumen/").content.decode()


def test_without_a_mapping_the_pages_say_so(client, sop, kabid):
    client.force_login(kabid)
    assert "belum dimuat" in client.get("/spbe/pemetaan/").content.decode()
    page = client.get("/spbe/bundel/")
    assert page.status_code == 404 and "spbe load-mapping" in page.content.decode()


def test_a_revised_sop_whose_steps_changed_asks_for_a_new_mapping(sop, mapping, kabid):
    from django.conf import settings

    from simpatik.core.errors import NotFound
    from simpatik.sop.services import load_definition
    from simpatik.spbe.services import active_mapping

    text = settings.SIMPATIK_SOP_DEFINITION.read_text()
    step_18 = text.index("  - number: 18")
    revised = text[:step_18].replace("    next: 18\n", "    end: true\n")
    revised = load_definition(revised).version
    assert stage_notes(revised) == {}
    assert stage_notes(sop)[18] == "Pemeliharaan"  # the old version keeps its stages
    with pytest.raises(NotFound) as refused:
        active_mapping()
    assert refused.value.code == "mapping_outdated" and "SOP versi 2" in refused.value.message


def test_the_pages_name_the_kinds_of_evidence_in_words(client, sop, mapping, kabid):
    from simpatik.spbe.mapping import EVIDENCE_KINDS, EVIDENCE_LABELS

    assert set(EVIDENCE_LABELS) == set(EVIDENCE_KINDS)
    client.force_login(kabid)
    for url, table in (("/spbe/pemetaan/", "indicators"), ("/spbe/bundel/", "indicator-evidence")):
        html = client.get(url).content.decode()
        rows = html.split(f'id="{table}"')[1].split("</table>")[0]
        assert "Lembar SOP dengan tahapannya" in rows and "Jejak audit" in rows
        assert not any(kind in rows for kind in EVIDENCE_KINDS), url


def test_the_stage_notes_follow_the_mapping_in_force_between_reads(sop, mapping):
    from django.conf import settings

    from simpatik.sop.services import load_definition

    text = settings.SIMPATIK_SOP_DEFINITION.read_text()
    revised = load_definition(text.replace('nomor_sop: ""', 'nomor_sop: "800/3/2026"')).version
    assert stage_notes(revised)[10] == "Rancang bangun"  # from the mapping in force
    MappingVersion.objects.update(berlaku=False)  # the one column of a mapping that moves
    assert stage_notes(revised) == {}
    assert stage_notes(sop)[10] == "Rancang bangun"  # checked against this version itself
