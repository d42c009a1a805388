"""The SOP editor (issue 12 §4): live checks beside their fields, versions, diff, activation."""

import pytest
from django.conf import settings
from django.urls import reverse

from simpatik.audit.models import AuditRecord
from simpatik.sop.editor import apply_form
from simpatik.sop.models import SopVersion
from simpatik.sop.services import load_definition
from simpatik.testing.forms import BrowserForm, browser_form

SEED = settings.SIMPATIK_SOP_DEFINITION.read_text()


parse = browser_form


@pytest.fixture
def admin(kadis):
    kadis.is_staff = True
    kadis.save(update_fields=["is_staff"])
    return kadis


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _form(client, version) -> dict[str, str]:
    response = client.get(reverse("sop:edit", args=[version.pk]))
    assert response.status_code == 200
    values = parse(response).values
    values.pop("csrfmiddlewaretoken", None)
    return values


def _check(client, version, values) -> BrowserForm:
    response = client.post(reverse("sop:edit-check", args=[version.pk]), values)
    assert response.status_code == 200
    return parse(response)


def _yaml(values, old, new):
    assert old in values["yaml"], old
    return {**values, "yaml": values["yaml"].replace(old, new, 1)}


# Each kind of problem the loader finds, made through the form (field: new text) or the YAML
# textarea, and the slot beside the field (or group) where the editor must show it.
CASES = [
    ({"f:steps.2.waktu": "dua"}, "e-s-steps-2-waktu", "waktu harus jumlah hari kerja"),
    ({"f:steps.0.role": "bupati"}, "e-s-steps-0-role", "pelaksana (role) 'bupati'"),
    ({"f:steps.0.uraian": ""}, "e-s-steps-0-uraian", "uraian prosedur wajib diisi"),
    ({"f:steps.0.next": "99"}, "e-s-steps-0-next", "next menuju langkah 99"),
    ({"f:steps.1.number": "1"}, "e-s-steps-1-number", "nomor langkah ditulis dua kali"),
    ({"f:kode": ""}, "e-s-kode", "kode SOP wajib diisi"),
    ({"f:roles.0.kewenangan": "terbang"}, "e-s-roles-0-kewenangan", "'terbang' tidak dikenal"),
    ({"f:roles.0.supervises": "bupati"}, "e-s-roles-0-supervises", "supervises harus"),
    ({"f:roles.1.key": "kadis"}, "e-s-roles-1-key", "kunci peran ditulis dua kali"),
    ({"f:eskalasi.pengingat_sebelum": "99"}, "e-s-eskalasi-pengingat_sebelum", "0 sampai 60"),
    ({"f:steps.0.kelengkapan.0.kind": "berkas"}, "e-s-steps-0-kelengkapan-0-kind", "'berkas'"),
    ({"f:steps.0.kelengkapan.0.label": ""}, "e-s-steps-0-kelengkapan-0-label", "label wajib"),
    ({"f:steps.0.kelengkapan.0.type": "warna"}, "e-s-steps-0-kelengkapan-0-type", "'warna'"),
    ({"f:steps.0.hasil.0.kepada": "bupati"}, "e-s-steps-0-hasil-0-kepada", "kepada 'bupati'"),
    ({"f:steps.0.hasil.0.generate": "surat_x"}, "e-s-steps-0-hasil-0-generate", "surat_x"),
    ({"f:steps.7.effects": "tidak.ada"}, "e-s-steps-7-effects", "efek 'tidak.ada'"),
    ({"f:steps.10.hasil.1.min": "300"}, "e-s-steps-10-hasil-1-min", "min lebih besar dari max"),
    ({"f:steps.13.kelengkapan.0.accept": "exe"}, "e-s-steps-13-kelengkapan-0-accept", "exe"),
    ({"f:steps.15.hasil.0.widget": "kotak"}, "e-s-steps-15-hasil-0-widget", "'kotak'"),
    (
        {"f:steps.5.decision.options.0.next": "99"},
        "e-s-steps-5-decision-options-0-next",
        "pilihan 'tersedia' menuju langkah 99",
    ),
    (
        {"f:steps.5.decision.options.1.value": "tersedia"},
        "e-s-steps-5-decision-options-1-value",
        "ditulis dua kali",
    ),
    (
        {"f:steps.10.decision.options.0.freezes": "tidak_ada"},
        "e-s-steps-10-decision-options-0-freezes",
        "freezes 'tidak_ada'",
    ),
    ({"f:steps.6.suspend.resume_to": "99"}, "e-s-steps-6-suspend-resume_to", "langkah 99"),
    # Both options of step 6 lead to 8: step 7 can no longer be reached.
    (
        {"f:steps.5.decision.options.1.next": "8"},
        "e-s-steps-6-number",
        "tidak dapat dicapai",
    ),
    (
        (
            "    waktu: 1\n    output: Surat Perintah",
            "    waktu: 1\n    warna: merah\n    output: Surat Perintah",
        ),
        "e-s-steps-0",
        "kunci 'warna' tidak dikenal",
    ),
    (("    next: 2\n", "    next: 2\n    end: true\n"), "e-s-steps-0-end", "tepat satu kelanjutan"),
    (("kode: pengembangan", "kode: [pengembangan"), "e-yaml", "YAML tidak dapat dibaca"),
]


@pytest.mark.parametrize(("change", "slot", "message"), CASES)
def test_each_loader_problem_is_shown_beside_its_field(admin_client, sop, change, slot, message):
    values = _form(admin_client, sop)
    values = _yaml(values, *change) if isinstance(change, tuple) else {**values, **change}
    found = _check(admin_client, sop, values)
    assert message in found.slots[slot], (slot, found.slots)
    assert [name for name, text in found.slots.items() if message in text] == [slot]


def test_an_unchanged_form_is_the_seed_byte_for_byte(admin_client, sop):
    values = _form(admin_client, sop)
    fields = {key[2:]: value for key, value in values.items() if key.startswith("f:")}
    assert len(fields) > 400  # every step, item, role and identity field is in the form
    assert apply_form(values["base"], values["yaml"], fields) == SEED
    response = admin_client.post(reverse("sop:edit", args=[sop.pk]), {**values, "aksi": "simpan"})
    assert response.status_code == 302
    assert SopVersion.objects.filter(kode=sop.kode).count() == 1
    download = admin_client.get(reverse("sop:download", args=[sop.pk]))
    assert download.content == SEED.encode()


def test_a_changed_waktu_is_a_new_version_and_the_active_one_stays(admin_client, admin, sop):
    values = {**_form(admin_client, sop), "f:steps.2.waktu": "4", "note": "Waktu langkah 3"}
    response = admin_client.post(reverse("sop:edit", args=[sop.pk]), {**values, "aksi": "simpan"})
    new = SopVersion.objects.get(kode=sop.kode, version=2)
    assert response.status_code == 302 and response.url == reverse("sop:diff", args=[new.pk])
    assert new.definition.step(3).waktu == 4 and new.note == "Waktu langkah 3"
    assert not new.berlaku and SopVersion.objects.get(pk=sop.pk).berlaku
    changed = [
        (old, line)
        for old, line in zip(SEED.splitlines(), new.source.splitlines(), strict=True)
        if old != line
    ]
    assert changed == [("    waktu: 2", "    waktu: 4")]
    record = AuditRecord.objects.get(action="sop.version.drafted")
    assert record.actor_id == admin.pk and record.data["version"] == 2


def test_the_diff_is_shown_and_activation_is_audited(admin_client, admin, sop):
    values = {**_form(admin_client, sop), "f:steps.2.waktu": "4"}
    admin_client.post(reverse("sop:edit", args=[sop.pk]), {**values, "aksi": "simpan"})
    new = SopVersion.objects.get(kode=sop.kode, version=2)
    page = admin_client.get(reverse("sop:diff", args=[new.pk])).content.decode()
    assert "Langkah 3" in page and "<code>Waktu</code>" in page
    assert "-    waktu: 2" in page and "+    waktu: 4" in page
    assert "Berlakukan versi ini" in page
    response = admin_client.post(reverse("sop:activate", args=[new.pk]))
    assert response.status_code == 302
    assert SopVersion.objects.get(berlaku=True, kode=sop.kode).pk == new.pk
    record = AuditRecord.objects.get(action="sop.version.activated")
    assert record.actor_id == admin.pk and record.data == {
        "kode": sop.kode,
        "version": 2,
        "previous": 1,
    }
    again = admin_client.post(reverse("sop:activate", args=[new.pk]))
    assert again.status_code == 409
    assert AuditRecord.objects.filter(action="sop.version.activated").count() == 1


def test_sop_load_and_the_editor_agree_on_versions(admin_client, sop):
    """The CLI's load puts its version in force; the editor's save does not."""
    values = {**_form(admin_client, sop), "f:steps.2.waktu": "4"}
    admin_client.post(reverse("sop:edit", args=[sop.pk]), {**values, "aksi": "simpan"})
    third = load_definition(SEED.replace("    waktu: 2\n", "    waktu: 5\n", 1))
    assert third.created and third.version.version == 3
    assert list(SopVersion.objects.filter(berlaku=True)) == [third.version]
    assert SopVersion.objects.get(version=2).draf  # the editor's draft waits, not in force


def test_typing_is_kept_as_a_draft_and_survives_a_reload(admin_client, sop):
    values = {**_form(admin_client, sop), "f:steps.2.waktu": "dua"}
    _check(admin_client, sop, values)
    again = parse(admin_client.get(reverse("sop:edit", args=[sop.pk])))
    assert again.values["f:steps.2.waktu"] == "dua"
    assert "waktu harus" in again.slots["e-s-steps-2-waktu"]
    admin_client.get(reverse("sop:edit", args=[sop.pk]) + "?buang=1")
    assert _form(admin_client, sop)["f:steps.2.waktu"] == "2"


def test_a_refused_save_keeps_what_was_typed(admin_client, sop):
    values = {**_form(admin_client, sop), "f:steps.2.waktu": "dua", "f:steps.3.output": "baru"}
    response = admin_client.post(reverse("sop:edit", args=[sop.pk]), {**values, "aksi": "simpan"})
    assert response.status_code == 400
    form = parse(response)
    assert form.values["f:steps.2.waktu"] == "dua" and form.values["f:steps.3.output"] == "baru"
    assert "waktu harus" in form.slots["e-s-steps-2-waktu"]
    assert SopVersion.objects.filter(kode=sop.kode).count() == 1


def test_an_uploaded_yaml_fills_the_form_without_saving(admin_client, sop):
    from django.core.files.uploadedfile import SimpleUploadedFile

    changed = SEED.replace("    waktu: 3\n", "    waktu: 6\n", 1)
    upload = SimpleUploadedFile("sop.yaml", changed.encode(), content_type="application/yaml")
    values = {**_form(admin_client, sop), "aksi": "perbarui", "berkas": upload}
    form = parse(admin_client.post(reverse("sop:edit", args=[sop.pk]), values))
    assert form.values["f:steps.4.waktu"] == "6" and form.values["yaml"] == changed
    assert SopVersion.objects.filter(kode=sop.kode).count() == 1


@pytest.mark.parametrize("name", ["edit", "edit-check", "activate"])
def test_only_administrators_may_edit_or_activate(client, kasie, sop, name):
    client.force_login(kasie)
    url = reverse(f"sop:{name}", args=[sop.pk])
    response = client.get(url) if name == "edit" else client.post(url, {"yaml": SEED})
    assert response.status_code == 403
    assert SopVersion.objects.filter(kode=sop.kode).count() == 1
    assert SopVersion.objects.get(pk=sop.pk).berlaku


def test_a_broken_yaml_with_a_changed_field_keeps_both(admin_client, sop):
    values = _yaml(_form(admin_client, sop), "kode: pengembangan", "kode: [pengembangan")
    values["f:steps.2.waktu"] = "7"
    found = _check(admin_client, sop, values)
    assert "YAML tidak dapat dibaca" in found.slots["e-yaml"]
    response = admin_client.post(reverse("sop:edit", args=[sop.pk]), {**values, "aksi": "simpan"})
    assert response.status_code == 400
    form = parse(response)
    assert form.values["f:steps.2.waktu"] == "7" and "kode: [pengembangan" in form.values["yaml"]
    assert "YAML tidak dapat dibaca" in form.slots["e-yaml"]
    assert SopVersion.objects.filter(kode=sop.kode).count() == 1


def test_the_readable_diff_names_each_step_and_field():
    import copy

    from simpatik.sop import diff
    from simpatik.sop.definition import parse_text

    before = parse_text(SEED)
    after = copy.deepcopy(before)
    after["steps"][0]["kelengkapan"][0]["label"] = "Rujukan usulan"
    after["steps"].append({"number": 19, "role": "kadis", "uraian": "Arsip", "waktu": 1})
    after["roles"][3]["kewenangan"].append("baca_repositori")
    found = {(c.where, c.field, c.after) for c in diff.changes(before, after)}
    assert found == {
        # Each field by the editor's label, without its hint ("(satu per baris)").
        ("Langkah 1", "kelengkapan 'rujukan_usulan' Label", "Rujukan usulan"),
        ("Langkah 19", "", "ditambahkan"),
        ("Peran pengembang", "Kewenangan", "dorong_repositori, lihat_inventaris, baca_repositori"),
    }
    assert [c.after for c in diff.changes(after, before) if c.where == "Langkah 19"] == ["dihapus"]


def test_a_step_added_in_the_yaml_textarea_is_saved_with_the_form_fields(admin_client, sop):
    """Adding a step needs no file: the textarea takes it, and a field changed in the same
    submission still applies on top."""
    added = (
        "    effects: [inventory.register_approved, provisioning.publish_approved]\n"
        "    next: 19\n\n"
        "  - number: 19\n    role: kabid\n    uraian: Bidang Aptika mengarsipkan dokumentasi\n"
        "    waktu: 1\n    output: arsip\n    end: true\n"
    )
    values = _yaml(
        _form(admin_client, sop),
        "    effects: [inventory.register_approved, provisioning.publish_approved]\n    end: true\n",
        added,
    )
    values["f:steps.0.waktu"] = "2"
    response = admin_client.post(reverse("sop:edit", args=[sop.pk]), {**values, "aksi": "simpan"})
    assert response.status_code == 302
    new = SopVersion.objects.get(kode=sop.kode, version=2)
    assert new.definition.step(19).role == "kabid" and new.definition.step(18).next == 19
    assert new.definition.step(1).waktu == 2
    assert new.source.startswith(SEED.split("steps:")[0])  # comments and header kept as written


def test_a_list_line_added_keeps_the_other_lines_as_written():
    from simpatik.sop.editor import read_tree, shown

    lines = shown(read_tree(SEED)["identitas"]["dasar_hukum"], "list")
    posted = {"identitas.dasar_hukum": lines + "\nPeraturan Bupati Nomor 1 Tahun 2026: SPBE"}
    text = apply_form(SEED, SEED, posted)
    added = [line for line in text.splitlines() if line not in SEED.splitlines()]
    assert added == ["    - 'Peraturan Bupati Nomor 1 Tahun 2026: SPBE'"]
    assert len(text.splitlines()) == len(SEED.splitlines()) + 1
