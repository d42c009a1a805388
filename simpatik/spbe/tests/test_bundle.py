import hashlib
import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import PermissionDenied, ValidationError
from simpatik.inventory.models import Application, Integration
from simpatik.letters.models import Letter
from simpatik.spbe.bundle import INDEX_NAME, SUMS_NAME
from simpatik.spbe.services import make_bundle
from simpatik.testing.walker import walk_to

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def records(project, team, mapping, opd):
    """A project past its release (letters of steps 1 and 10, a tagged repository), and an
    inventory with an integration."""
    walk_to(project, team, 13)
    simpeg = Application.objects.create(nama="SIMPEG", opd=opd, status="aktif")
    cuti = Application.objects.create(nama="E-Cuti", opd=opd, status="aktif")
    Integration.objects.create(source=cuti, target=simpeg, data="data pegawai")
    return project


def _entries(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        infos = archive.infolist()
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in infos)
        return {info.filename: archive.read(info) for info in infos}


def _index_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", " ".join(page.extract_text() for page in reader.pages))


def test_the_index_lists_every_item_and_the_hashes_match_the_files(records, kabid):
    made = make_bundle("I.15", YEAR, actor=kabid)
    files = _entries(made.content)
    items = {name: data for name, data in files.items() if name not in (INDEX_NAME, SUMS_NAME)}
    assert list(files) == [INDEX_NAME, SUMS_NAME, *sorted(items)]
    kinds = {item.kind for item in made.items}
    assert kinds == {
        "lembar_sop",
        "daftar_aplikasi",
        "naskah_proyek",
        "jejak_audit",
        "riwayat_repositori",
        "kinerja_langkah",
    }
    letters = [name for name in items if name.startswith("03-naskah/")]
    expected_letters = Letter.objects.filter(
        project=records, status="berlaku", step_number__in=[1, 10]
    )
    assert len(letters) == expected_letters.count() == 2
    for name in letters:
        assert items[name].startswith(b"%PDF")
    index = _index_text(files[INDEX_NAME])
    sums = files[SUMS_NAME].decode().splitlines()
    assert len(sums) == len(items) == len(made.items)
    for item in made.items:
        digest = hashlib.sha256(items[item.path]).hexdigest()
        assert item.sha256 == digest
        assert f"{digest}  {item.path}" in sums
        assert digest in index and item.path in index
    assert b"/ByteRange" in files[INDEX_NAME]  # sealed (PAdES)
    history = next(name for name in items if name.startswith("05-repositori/"))
    text = items[history].decode("utf-8-sig")
    assert f"commit_per_bulan,{timezone.localdate():%Y-%m},1" in text
    assert "kontributor,Tim Pengembang,1" in text and "tag,v1.0," in text
    audit = items[f"04-jejak-audit/jejak-audit-{YEAR}.csv"].decode("utf-8-sig")
    assert "project.step.completed" in audit
    # Each record also as its Indonesian sentence, whatever language the asker reads.
    assert "menyelesaikan langkah" in audit and "<" not in audit
    record = AuditRecord.objects.get(action="spbe.bundle.made")
    assert record.actor == kabid and record.data["items"] == len(made.items)


def test_two_runs_give_the_same_items_and_hashes(records, kabid, kadis):
    first = make_bundle("I.15", YEAR, actor=kabid)
    second = make_bundle("I.15", YEAR, actor=kadis)
    assert first.items == second.items
    one, two = _entries(first.content), _entries(second.content)
    assert one[SUMS_NAME] == two[SUMS_NAME]
    assert {k: v for k, v in one.items() if k != INDEX_NAME} == {
        k: v for k, v in two.items() if k != INDEX_NAME
    }


def test_each_indicator_takes_the_evidence_its_mapping_names(records, kabid):
    paths = [item.path for item in make_bundle("I.24", YEAR, actor=kabid).items]
    assert "06-integrasi/matriks-integrasi.csv" in paths
    assert not any(path.startswith("03-naskah/") for path in paths)
    matrix = _entries(make_bundle("I.24", YEAR, actor=kabid).content)[
        "06-integrasi/matriks-integrasi.csv"
    ].decode("utf-8-sig")
    assert "E-Cuti,Badan Kepegawaian dan PSDM,SIMPEG" in matrix


def test_a_bundle_refuses_an_unknown_indicator_or_year(records, kabid):
    with pytest.raises(ValidationError) as refused:
        make_bundle("I.99", YEAR, actor=kabid)
    assert refused.value.code == "unknown_indicator"
    with pytest.raises(ValidationError) as refused:
        make_bundle("I.15", YEAR + 1, actor=kabid)
    assert refused.value.code == "invalid_year"
    assert not AuditRecord.objects.filter(action="spbe.bundle.made").exists()


def test_opd_staff_may_not_make_a_bundle(client, mapping, opd_user, tmp_path):
    with pytest.raises(PermissionDenied):
        make_bundle("I.15", YEAR, actor=opd_user)
    client.force_login(opd_user)
    assert client.get("/spbe/bundel/").status_code == 403
    assert client.post("/spbe/bundel/", {"indikator": "I.15", "tahun": YEAR}).status_code == 403
    with pytest.raises(CommandError, match="tidak berwenang"):
        call_command("spbe", "bundle", "I.15", "--tahun", str(YEAR), "--as", "opd")
    assert not AuditRecord.objects.filter(action="spbe.bundle.made").exists()


def test_the_kabid_downloads_a_bundle_from_the_page_and_the_command(
    client, mapping, kabid, tmp_path
):
    client.force_login(kabid)
    page = client.get("/spbe/bundel/")
    assert page.status_code == 200 and "Pelaksanaan Audit Aplikasi SPBE" in page.content.decode()
    bad = client.post("/spbe/bundel/", {"indikator": "I.15", "tahun": "dua ribu"})
    assert bad.status_code == 400 and "Tahun harus berupa angka" in bad.content.decode()
    response = client.post("/spbe/bundel/", {"indikator": "I.30", "tahun": str(YEAR)})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    disposition = response["Content-Disposition"]
    assert f"bukti-spbe-i30-{YEAR}-pengembangan-aplikasi-diskominfo.zip" in disposition
    web = _entries(response.content)
    output = tmp_path / "bundel.zip"
    out = io.StringIO()
    call_command(
        "spbe",
        "bundle",
        "I.30",
        "--tahun",
        str(YEAR),
        "--output",
        str(output),
        "--as",
        "kabid",
        stdout=out,
    )
    cli = _entries(output.read_bytes())
    assert web[SUMS_NAME] == cli[SUMS_NAME] and f"{len(cli) - 2} bukti" in out.getvalue()


def test_the_bundle_holds_the_sheet_of_every_sop_version_in_force_that_year(mapping, kabid):
    from django.conf import settings

    from simpatik.sop.services import load_definition

    text = settings.SIMPATIK_SOP_DEFINITION.read_text()
    load_definition(text.replace('nomor_sop: ""', 'nomor_sop: "800/2/2026"'))
    paths = [item.path for item in make_bundle("I.30", YEAR, actor=kabid).items]
    sheets = [path for path in paths if path.startswith("01-lembar-sop/")]
    assert sheets == [
        "01-lembar-sop/sop-pengembangan-aplikasi-diskominfo-v1.pdf",
        "01-lembar-sop/sop-pengembangan-aplikasi-diskominfo-v2.pdf",
    ]
    # A year before either version was loaded shows the one in force now.
    paths = [item.path for item in make_bundle("I.30", 2020, actor=kabid).items]
    assert [p for p in paths if p.startswith("01-lembar-sop/")] == [sheets[1]]
