import copy

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from simpatik.audit.models import AuditRecord
from simpatik.sop.definition import DefinitionError
from simpatik.sop.models import SopVersion
from simpatik.sop.services import check_definition_text, load_definition

SEED_TEXT = settings.SIMPATIK_SOP_DEFINITION.read_text()
SEED = yaml.safe_load(SEED_TEXT)


def _problems(data) -> str:
    with pytest.raises(DefinitionError) as caught:
        check_definition_text(yaml.safe_dump(data, allow_unicode=True))
    return "\n".join(caught.value.problems)


def _step(data, number):
    return next(step for step in data["steps"] if step["number"] == number)


def test_seed_definition_has_the_18_steps_and_5_roles_with_verbatim_texts():
    definition = check_definition_text(SEED_TEXT)
    assert [step.number for step in definition.steps] == list(range(1, 19))
    assert [role["key"] for role in definition.roles] == [
        "kadis",
        "kabid",
        "kasie",
        "pengembang",
        "teknis",
    ]
    assert len(definition.identitas["dasar_hukum"]) == 7
    assert len(definition.identitas["kualifikasi_pelaksana"]) == 5
    assert definition.identitas["disahkan_oleh"]["nip"] == "19641024 198603 1 002"
    step5 = definition.step(5)
    assert (
        step5.items[1]
        == "b) aplikasi sejenis yang sudah ada di Pemda Kabupaten Bolaang Mongondow Utara"
    )
    assert "penetration testing" in definition.step(13).items
    assert definition.step(11).decision("tidak_setuju").next == 9
    assert definition.step(15).decision("perbaikan").next == 12
    assert definition.step(6).decision("tidak_tersedia").next == 7
    assert definition.step(12).waktu_from_field == "durasi_pengembangan"
    assert [definition.step(n).waktu for n in (1, 5, 9, 14)] == [1, 3, 5, 3]


def test_unknown_role_is_refused_naming_the_step():
    data = copy.deepcopy(SEED)
    _step(data, 4)["role"] = "bupati"
    assert "langkah 4: pelaksana (role) 'bupati' tidak dikenal" in _problems(data)


def test_transition_to_missing_step_is_refused():
    data = copy.deepcopy(SEED)
    _step(data, 3)["next"] = 42
    assert "langkah 3: next menuju langkah 42 yang tidak ada" in _problems(data)


def test_unreachable_step_is_refused():
    data = copy.deepcopy(SEED)
    _step(data, 6)["decision"]["options"][1]["next"] = 8  # nothing leads to 7 any more
    assert "langkah 7: tidak dapat dicapai dari langkah pertama" in _problems(data)


def test_decision_without_options_is_refused():
    data = copy.deepcopy(SEED)
    _step(data, 11)["decision"]["options"] = []
    assert "langkah 11 keputusan: keputusan tanpa pilihan (options)" in _problems(data)


def test_duplicate_requirement_key_in_a_step_is_refused():
    data = copy.deepcopy(SEED)
    _step(data, 13)["kelengkapan"].append({"key": "hasil_uat", "kind": "document", "label": "lagi"})
    assert "langkah 13: kunci 'hasil_uat' ditulis dua kali" in _problems(data)


def test_duplicate_step_number_is_refused():
    data = copy.deepcopy(SEED)
    _step(data, 2)["number"] = 1
    assert "langkah 1: nomor langkah ditulis dua kali" in _problems(data)


def test_duplicate_yaml_key_is_refused_with_its_line():
    text = SEED_TEXT.replace(
        "kode: pengembangan-aplikasi-diskominfo\n",
        "kode: pengembangan-aplikasi-diskominfo\nkode: lain\n",
        1,
    )
    with pytest.raises(DefinitionError) as caught:
        check_definition_text(text)
    assert "kunci 'kode' ditulis dua kali" in caught.value.problems[0]
    assert caught.value.problems[0].startswith("baris ")


def test_missing_identity_field_and_bad_kind_are_both_reported():
    data = copy.deepcopy(SEED)
    del data["identitas"]["dasar_hukum"]
    _step(data, 2)["kelengkapan"][0]["kind"] = "folder"
    problems = _problems(data)
    assert "identitas: 'dasar_hukum' belum ada" in problems
    assert "jenis (kind) 'folder' tidak dikenal" in problems


def test_loading_same_text_twice_makes_one_version_and_a_revision_makes_another(db):
    first = load_definition(SEED_TEXT)
    again = load_definition(SEED_TEXT)
    assert first.created and not again.created
    assert again.version.pk == first.version.pk
    revised = SEED_TEXT.replace(
        "waktu: 3\n    output: laporan instalasi", "waktu: 4\n    output: laporan instalasi"
    )
    second = load_definition(revised, note="Waktu langkah 14 menjadi 4 hari")
    assert second.created and second.version.version == 2
    assert list(SopVersion.objects.filter(berlaku=True)) == [second.version]
    assert second.version.definition.step(14).waktu == 4
    assert first.version.definition.step(14).waktu == 3
    assert AuditRecord.objects.filter(action="sop.version.loaded").count() == 2


def test_a_version_cannot_be_changed_after_it_is_written(db):
    version = load_definition(SEED_TEXT).version
    version.judul = "lain"
    with pytest.raises(RuntimeError):
        version.save()


def test_sop_command_check_and_load(db, tmp_path, capsys):
    good = tmp_path / "sop.yaml"
    good.write_text(SEED_TEXT)
    call_command("sop", "check", str(good))
    assert "18 langkah" in capsys.readouterr().out
    call_command("sop", "load", str(good))
    assert SopVersion.objects.count() == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SEED_TEXT.replace(
            "role: kabid\n    uraian: Bidang Aptika memeriksa daftar",
            "role: camat\n    uraian: Bidang Aptika memeriksa daftar",
        )
    )
    with pytest.raises(CommandError, match="langkah 2: pelaksana \\(role\\) 'camat' tidak dikenal"):
        call_command("sop", "load", str(bad))
    assert SopVersion.objects.count() == 1


def test_an_administrator_loads_a_revision_from_the_page_and_a_bad_one_changes_nothing(
    db, sop, kasie
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from simpatik.testing.personas import make_user

    admin = make_user("admin", [])
    admin.is_staff = True
    admin.save()
    client = Client()
    client.force_login(kasie)
    refused = client.post(
        "/sop/", {"definition": SimpleUploadedFile("sop.yaml", SEED_TEXT.encode())}
    )
    assert refused.status_code == 403
    client.force_login(admin)
    bad = SEED_TEXT.replace(
        "role: kabid\n    uraian: Bidang Aptika memeriksa daftar",
        "role: lurah\n    uraian: Bidang Aptika memeriksa daftar",
    )
    response = client.post("/sop/", {"definition": SimpleUploadedFile("sop.yaml", bad.encode())})
    assert (
        response.status_code == 400
        and "langkah 2: pelaksana (role) &#x27;lurah&#x27; tidak dikenal"
        in (response.content.decode())
    )
    assert SopVersion.objects.count() == 1
    revised = SEED_TEXT.replace("waktu: 5\n", "waktu: 6\n", 1)
    ok = client.post(
        "/sop/",
        {"definition": SimpleUploadedFile("sop.yaml", revised.encode()), "note": "Langkah 9"},
    )
    assert ok.status_code == 302
    newest = SopVersion.objects.get(berlaku=True)
    assert newest.version == 2 and newest.note == "Langkah 9" and newest.loaded_by == admin


def test_a_label_split_at_a_comma_by_a_flow_mapping_is_a_load_error_naming_its_place():
    text = SEED_TEXT.replace(
        'label: "Hasil pemeriksaan ketersediaan infrastruktur, SDM dan anggaran"}',
        "label: Hasil pemeriksaan ketersediaan infrastruktur, SDM dan anggaran}",
    )
    assert text != SEED_TEXT
    with pytest.raises(DefinitionError) as caught:
        check_definition_text(text)
    assert caught.value.problems == [
        "langkah 6 hasil 'hasil_pemeriksaan_ketersediaan': kunci 'SDM dan anggaran' tidak dikenal"
    ]
    label = check_definition_text(SEED_TEXT).step(6).hasil[0].label
    assert label == "Hasil pemeriksaan ketersediaan infrastruktur, SDM dan anggaran"


@pytest.mark.parametrize(
    "change, place",
    [
        (lambda d: d.update(versi=2), "definisi: kunci 'versi'"),
        (lambda d: d["identitas"].update(kota="x"), "identitas: kunci 'kota'"),
        (
            lambda d: d["identitas"]["disahkan_oleh"].update(pangkat="x"),
            "identitas disahkan_oleh: kunci 'pangkat'",
        ),
        (lambda d: d["roles"][0].update(warna="x"), "peran 'kadis': kunci 'warna'"),
        (lambda d: _step(d, 4).update(wakt=1), "langkah 4: kunci 'wakt'"),
        (
            lambda d: _step(d, 9)["hasil"][0].update(lable="x"),
            "langkah 9 hasil 'rencana_pengembangan': kunci 'lable'",
        ),
        (lambda d: _step(d, 11)["decision"].update(tipe="x"), "langkah 11 keputusan: kunci 'tipe'"),
        (
            lambda d: _step(d, 15)["decision"]["options"][1].update(nextt=3),
            "langkah 15 keputusan pilihan 'perbaikan': kunci 'nextt'",
        ),
        (lambda d: _step(d, 7)["suspend"].update(alasan="x"), "langkah 7 suspend: kunci 'alasan'"),
    ],
)
def test_unknown_keys_are_refused_at_every_level_naming_the_place(change, place):
    data = copy.deepcopy(SEED)
    change(data)
    assert f"{place} tidak dikenal" in _problems(data)


def test_freezes_bounds_and_types_are_checked():
    data = copy.deepcopy(SEED)
    _step(data, 11)["decision"]["options"][0]["freezes"] = ["jadwal_tidak_ada"]
    _step(data, 11)["hasil"][1].update(min=10, max=5)
    _step(data, 3)["hasil"][0]["min"] = 1  # a document has no bounds
    problems = _problems(data)
    assert (
        "langkah 11 keputusan pilihan 'setuju': freezes 'jadwal_tidak_ada' bukan kunci isian atau dokumen SOP ini"
        in problems
    )
    assert "langkah 11 hasil 'durasi_pengembangan': min lebih besar dari max" in problems
    assert "langkah 3 hasil 'usulan_kebutuhan': min hanya untuk isian angka" in problems


def test_a_stored_version_with_an_old_extra_key_still_loads_for_its_running_projects(db):
    from simpatik.sop.models import SopVersion

    data = copy.deepcopy(SEED)
    _step(data, 6)["hasil"][0]["SDM dan anggaran"] = None
    version = SopVersion.objects.create(
        kode="lama", version=1, judul="lama", data=data, source="", sha256="lama"
    )
    assert version.definition.step(6).number == 6


def test_a_role_may_be_scoped_to_the_requesting_opd_and_other_scopes_are_refused(db):
    data = copy.deepcopy(SEED)
    data["roles"][-1]["lingkup"] = "opd"
    definition = check_definition_text(yaml.safe_dump(data, allow_unicode=True))
    assert definition.opd_roles == {data["roles"][-1]["key"]}
    assert check_definition_text(SEED_TEXT).opd_roles == frozenset()
    data["roles"][-1]["lingkup"] = "kabupaten"
    assert f"peran '{data['roles'][-1]['key']}': lingkup 'kabupaten' tidak dikenal" in _problems(
        data
    )


def test_two_sops_are_in_force_at_once_each_with_its_own_versions(db):
    from simpatik.sop.services import versions_in_force
    from simpatik.testing.sopfile import SECOND_SOP

    seed = load_definition(SEED_TEXT).version
    second = load_definition(SECOND_SOP.read_text()).version
    revised = SECOND_SOP.read_text().replace("waktu: 5", "waktu: 6")
    newer = load_definition(revised).version
    assert (second.version, newer.version, seed.version) == (1, 2, 1)
    assert {v.pk for v in versions_in_force()} == {seed.pk, newer.pk}
