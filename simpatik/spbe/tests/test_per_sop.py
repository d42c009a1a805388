"""Each SOP has its own SPBE mapping, from its own file: the shipped mappings of the two sibling
SOPs load, a mapping is checked against the SOP it names, and an evidence bundle of one SOP holds
that SOP's steps' evidence and not another's."""

import io
import re
import zipfile

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from simpatik.letters.models import Letter
from simpatik.projects.services import start_project
from simpatik.sop.definition import DefinitionError
from simpatik.sop.services import load_definition
from simpatik.spbe.bundle import INDEX_NAME
from simpatik.spbe.models import MappingVersion
from simpatik.spbe.services import load_mapping, make_bundle, mapping_for, stage_notes
from simpatik.testing.personas import make_user
from simpatik.testing.sopfile import OPD_SOP
from simpatik.testing.walker import walk_to

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
OPD_KODE = "pengembangan-aplikasi-oleh-opd"
SOP_DIR = settings.REPO_DIR / "sop"
OPD_MAPPING = SOP_DIR / "pemetaan-spbe-opd.yaml"
CENSUS_MAPPING = SOP_DIR / "pemetaan-spbe-inventarisasi.yaml"


@pytest.fixture
def opd_sop(sop):
    return load_definition(OPD_SOP.read_text()).version


@pytest.fixture
def census_sop(sop):
    return load_definition((SOP_DIR / "inventarisasi-aplikasi.yaml").read_text()).version


def test_each_sibling_sops_mapping_loads_and_gives_its_own_stages(
    sop, opd_sop, census_sop, mapping
):
    opd_row = load_mapping(OPD_MAPPING.read_text()).version
    census_row = load_mapping(CENSUS_MAPPING.read_text()).version
    assert (opd_row.sop_version, census_row.sop_version) == (opd_sop, census_sop)
    # Three mappings in force side by side, each the one of its own SOP.
    assert MappingVersion.objects.filter(berlaku=True).count() == 3
    assert mapping_for(sop)[0] == mapping and mapping_for(opd_sop)[0] == opd_row
    assert len(stage_notes(opd_sop)) == 12 and len(stage_notes(census_sop)) == 6
    assert stage_notes(opd_sop)[8] == "Uji kelaikan"  # Tim Teknis tests the OPD's application
    assert stage_notes(sop)[8] == "Perencanaan"  # the seed's step 8 is another step
    assert set(stage_notes(census_sop).values()) == {"Evaluasi", "Pemeliharaan"}


def test_a_mapping_naming_a_step_its_sop_does_not_have_is_refused(opd_sop):
    text = OPD_MAPPING.read_text()
    wrong = text.replace("  - {langkah: 11, tahap: evaluasi", "  - {langkah: 13, tahap: evaluasi")
    with pytest.raises(DefinitionError) as refused:
        load_mapping(wrong)
    problems = refused.value.problems
    assert (
        "langkah 13: tidak ada di SOP pengembangan-aplikasi-oleh-opd (langkahnya 1 sampai 12)"
        in problems
    )
    assert "langkah: langkah 11 dari SOP pengembangan-aplikasi-oleh-opd belum dipetakan" in (
        problems
    )
    # An Output of the seed SOP's step is no Output of the OPD SOP's step of that number.
    seedish = text.replace("      surat_persetujuan:", "      basis_aplikasi:")
    with pytest.raises(DefinitionError) as refused:
        load_mapping(seedish)
    assert any(
        p.startswith("langkah 12 hasil 'basis_aplikasi': bukan Output langkah 12")
        for p in refused.value.problems
    )
    assert not MappingVersion.objects.exists()


def test_a_mapping_must_name_its_sop_and_keep_its_own_kode(opd_sop, mapping):
    text = OPD_MAPPING.read_text()
    with pytest.raises(DefinitionError) as refused:
        load_mapping(text.replace("sop: pengembangan-aplikasi-oleh-opd\n", ""))
    assert refused.value.problems == ["sop: wajib diisi dengan kode SOP yang dipetakan berkas ini"]
    # The seed's kode for the OPD SOP's mapping would put the seed's mapping out of force.
    with pytest.raises(DefinitionError) as refused:
        load_mapping(text.replace("kode: pemetaan-spbe-opd", "kode: pemetaan-spbe"))
    assert refused.value.problems == [
        "kode: 'pemetaan-spbe' sudah dipakai pemetaan SOP pengembangan-aplikasi-diskominfo; "
        "pemetaan SOP pengembangan-aplikasi-oleh-opd memerlukan kode sendiri"
    ]
    assert MappingVersion.objects.get(berlaku=True) == mapping


def test_make_demo_loads_every_sops_mapping_after_every_sop(db):
    """The Makefile's demo target loads every mapping file shipped in sop/, each after the SOP it
    names (the demo must be able to bundle evidence of every SOP)."""
    demo = (settings.REPO_DIR / "Makefile").read_text().split("\ndemo:")[1].split("\n\n")[0]
    sops = re.findall(r"sop load (sop/\S+\.yaml)", demo)
    mappings = re.findall(r"spbe load-mapping (sop/\S+\.yaml)", demo)
    assert sorted(mappings) == sorted(f"sop/{p.name}" for p in SOP_DIR.glob("pemetaan-*.yaml"))
    assert demo.index("spbe load-mapping") > demo.rindex("sop load")
    for path in sops:
        load_definition((settings.REPO_DIR / path).read_text())
    for path in mappings:
        call_command("spbe", "load-mapping", str(settings.REPO_DIR / path), stdout=io.StringIO())
    assert MappingVersion.objects.filter(berlaku=True).count() == len(mappings) == 3


@pytest.fixture
def two_sops_with_letters(project, team, mapping, opd_sop, opd, kadis):
    """A seed project past its release (letters of steps 1 and 10) and an OPD project past its
    hand-over (the recommendation letter of step 4), with the OPD SOP's mapping loaded."""
    load_mapping(OPD_MAPPING.read_text())
    walk_to(project, team, 13)
    scoped = [
        make_user(role["key"], [role["key"]], opd=opd, first_name=role["nama"])
        for role in opd_sop.definition.roles
        if role["key"] in opd_sop.definition.opd_roles
    ]
    own = start_project(actor=kadis, nama="Aplikasi Milik OPD", opd=opd, sop=OPD_KODE)
    walk_to(own, [*team, *scoped], 8)
    return project, own


def _entries(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_the_opd_sops_bundle_holds_its_own_steps_evidence_not_the_seeds(
    two_sops_with_letters, kabid
):
    seed_project, own = two_sops_with_letters
    made = make_bundle("I.15", YEAR, actor=kabid, sop=OPD_KODE)
    assert made.filename == f"bukti-spbe-i15-{YEAR}-{OPD_KODE}.zip"
    files = _entries(made.content)
    letters = sorted(name for name in files if name.startswith("03-naskah/"))
    # Every letter in force of the OPD project's mapped steps (the step 4 recommendation among
    # them; step 7's minutes still wait for their second signature).
    expected = Letter.objects.filter(project=own, status="berlaku")
    assert len(letters) == expected.count() >= 1
    assert expected.filter(step_number=4, kind="rekomendasi_pengembangan").exists()
    assert all(name.startswith(f"03-naskah/{own.kode.lower()}/") for name in letters)
    assert not any(seed_project.kode.lower() in name for name in files)
    assert [name for name in files if name.startswith("01-lembar-sop/")] == [
        f"01-lembar-sop/sop-{OPD_KODE}-v1.pdf"
    ]
    audit = files[f"04-jejak-audit/jejak-audit-{YEAR}.csv"].decode("utf-8-sig")
    assert own.kode in audit and seed_project.kode not in audit
    figures = files[f"07-kinerja/kinerja-langkah-{YEAR}.csv"].decode("utf-8-sig")
    assert "OPD pemohon menyampaikan rencana" in figures
    assert "surat perintah pengembangan" not in figures
    index = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(files[INDEX_NAME])).pages)
    assert "PENGEMBANGAN APLIKASI OLEH OPD versi 1" in index and "pemetaan-spbe-opd" in index

    # The seed SOP's bundle, the default, holds none of the OPD project's evidence.
    seed = _entries(make_bundle("I.15", YEAR, actor=kabid).content)
    assert any(seed_project.kode.lower() in name for name in seed)
    assert not any(own.kode.lower() in name for name in seed)
    assert own.kode not in seed[f"04-jejak-audit/jejak-audit-{YEAR}.csv"].decode("utf-8-sig")


def test_the_pages_offer_the_sop_and_default_to_the_seed(client, mapping, opd_sop, kabid):
    load_mapping(OPD_MAPPING.read_text())
    client.force_login(kabid)
    seed_page = client.get("/spbe/bundel/").content.decode()
    assert 'id="f-sop"' in seed_page
    assert 'name="sop" value="pengembangan-aplikasi-diskominfo"' in seed_page
    page = client.get(f"/spbe/bundel/?sop={OPD_KODE}").content.decode()
    assert f'name="sop" value="{OPD_KODE}"' in page
    response = client.post(
        f"/spbe/bundel/?sop={OPD_KODE}", {"indikator": "I.30", "tahun": str(YEAR), "sop": OPD_KODE}
    )
    assert response.status_code == 200 and OPD_KODE in response["Content-Disposition"]
    mapping_page = client.get(f"/spbe/pemetaan/?sop={OPD_KODE}").content.decode()
    row = mapping_page.split('data-step="8"')[1].split("</tr>")[0]
    assert "Uji kelaikan" in row and "Tim Teknis Kominfo" in row
    # An SOP not in force is bad input, on both pages; an SOP without a mapping says so.
    assert client.get("/spbe/bundel/?sop=tidak-ada").status_code == 400
    assert client.get("/spbe/pemetaan/?sop=tidak-ada").status_code == 400
    load_definition((SOP_DIR / "inventarisasi-aplikasi.yaml").read_text())
    missing = client.get("/spbe/bundel/?sop=inventarisasi-aplikasi")
    assert missing.status_code == 404
    assert "Pemetaan SPBE SOP inventarisasi-aplikasi belum dimuat" in missing.content.decode()
