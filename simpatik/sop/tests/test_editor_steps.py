"""The SOP editor's step editor (issue 12 §4, "adds a step without touching a file"): steps and
rows added and removed through the form, their numbers and links kept consistent."""

import pytest
from django.urls import reverse

from simpatik.projects.services import start_project
from simpatik.sop.editor import dump_tree, load_tree
from simpatik.sop.editor_steps import add_row, remove_row
from simpatik.sop.models import SopVersion
from simpatik.sop.tests.test_editor import SEED, _form, parse
from simpatik.testing.walker import complete_current, open_run

NEW = {
    "baru-role": "kabid",
    "baru-uraian": "Bidang Aptika menelaah kelayakan anggaran",
    "baru-waktu": "2",
    "baru-output": "telaah anggaran",
}


def _op(client, version, values, op, headers=None, **extra):
    url = reverse("sop:edit", args=[version.pk])
    return client.post(url, {**values, "op": op, **extra}, headers=headers)


def _values(response) -> dict[str, str]:
    values = parse(response).values
    values.pop("csrfmiddlewaretoken", None)
    return values


def test_a_step_added_through_the_form_runs_once_put_in_force(admin_client, sop, team, opd):
    values = _form(admin_client, sop)
    response = _op(admin_client, sop, values, "tambah_langkah", **{**NEW, "baru-setelah": "0"})
    assert response.status_code == 200
    form = parse(response)
    assert form.values["f:steps.1.uraian"] == NEW["baru-uraian"]
    assert form.values["f:steps.1.number"] == "2" and form.values["f:steps.2.number"] == "3"
    assert form.values["f:steps.0.next"] == "2" and form.values["f:steps.1.next"] == "3"
    assert form.values["f:steps.6.decision.options.1.next"] == "8"  # was 7: moved with it
    values = {**_values(response), "f:steps.1.waktu": "3", "aksi": "simpan"}
    response = admin_client.post(reverse("sop:edit", args=[sop.pk]), values)
    assert response.status_code == 302
    new = SopVersion.objects.get(kode=sop.kode, version=2)
    assert new.draf and not new.berlaku and len(new.definition.steps) == 19
    assert admin_client.post(reverse("sop:activate", args=[new.pk])).status_code == 302

    project = start_project(actor=team[0], nama="Sistem Anggaran", opd=opd)
    assert project.sop_version_id == new.pk
    complete_current(project, team)
    run = open_run(project)
    assert (run.step_number, run.step.uraian, run.step.waktu) == (2, NEW["baru-uraian"], 3)
    assert run.step.role == "kabid"
    complete_current(project, team)
    assert open_run(project).step.uraian == "Bidang Aptika memeriksa daftar kebutuhan aplikasi"


def test_each_problem_of_a_new_step_stands_at_its_field_with_what_was_typed(admin_client, sop):
    values = _form(admin_client, sop)
    added = {**NEW, "baru-setelah": "2", "baru-waktu": "dua"}
    response = _op(admin_client, sop, values, "tambah_langkah", **added)
    form = parse(response)
    assert "waktu harus jumlah hari kerja" in form.slots["e-s-steps-3-waktu"]
    assert form.values["f:steps.3.waktu"] == "dua"
    values = {
        **_values(response),
        "f:steps.3.role": "bupati",
        "f:steps.3.next": "99",
        "f:steps.3.output": "tetap di sini",
        "aksi": "simpan",
    }
    response = admin_client.post(reverse("sop:edit", args=[sop.pk]), values)
    assert response.status_code == 400
    form = parse(response)
    assert "waktu harus" in form.slots["e-s-steps-3-waktu"]
    assert "pelaksana (role) 'bupati' tidak dikenal" in form.slots["e-s-steps-3-role"]
    assert "next menuju langkah 99 yang tidak ada" in form.slots["e-s-steps-3-next"]
    assert (form.values["f:steps.3.waktu"], form.values["f:steps.3.role"]) == ("dua", "bupati")
    assert (
        form.values["f:steps.3.next"] == "99" and form.values["f:steps.3.output"] == "tetap di sini"
    )
    assert SopVersion.objects.filter(kode=sop.kode).count() == 1


def test_removing_a_step_something_leads_to_is_refused_naming_it(admin_client, sop):
    values = {**_form(admin_client, sop), "f:steps.2.waktu": "4"}
    response = _op(admin_client, sop, values, "hapus_langkah:6")
    assert response.status_code == 400
    form = parse(response)
    assert "Langkah 7 tidak dihapus" in form.slots["e-s-steps-6"]
    assert "langkah 6 (pilihan 'tidak_tersedia')" in form.slots["e-s-steps-6"]
    assert form.values["f:steps.6.number"] == "7" and form.values["f:steps.2.waktu"] == "4"


def test_a_step_nothing_leads_to_is_removed_and_later_numbers_close_up(admin_client, sop):
    values = {**_form(admin_client, sop), "f:steps.5.decision.options.1.next": "8"}
    response = _op(admin_client, sop, values, "hapus_langkah:6")
    assert response.status_code == 200
    form = parse(response)
    assert form.values["f:steps.6.number"] == "7"  # the former step 8
    assert form.values["f:steps.5.decision.options.0.next"] == "7"
    assert form.values["f:steps.16.number"] == "17" and "f:steps.17.number" not in form.values
    response = admin_client.post(
        reverse("sop:edit", args=[sop.pk]), {**_values(response), "aksi": "simpan"}
    )
    assert response.status_code == 302
    new = SopVersion.objects.get(kode=sop.kode, version=2).definition
    assert len(new.steps) == 17 and new.step(6).decision("tidak_tersedia").next == 7


def test_a_kelengkapan_row_added_by_htmx_is_saved_with_the_step(admin_client, sop):
    values = _form(admin_client, sop)
    response = _op(
        admin_client, sop, values, "tambah_baris:steps.2.kelengkapan", {"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<div class="editor-step" id="langkah-2">')  # that step alone
    assert response["HX-Retarget"] == "#langkah-2"
    assert 'id="s-steps-2-kelengkapan-1-key"' in page and "autofocus" in page
    form = parse(response)
    assert "kunci (key) wajib diisi" in form.slots["e-s-steps-2-kelengkapan-1-key"]
    values = {
        **values,  # the browser keeps the fields it was not sent
        **_values(response),
        "f:steps.2.kelengkapan.1.key": "nota_dinas",
        "f:steps.2.kelengkapan.1.label": "Nota dinas Kabid",
        "aksi": "simpan",
    }
    assert admin_client.post(reverse("sop:edit", args=[sop.pk]), values).status_code == 302
    step = SopVersion.objects.get(kode=sop.kode, version=2).definition.step(3)
    assert [(i.key, i.kind) for i in step.kelengkapan][1] == ("nota_dinas", "document")


def test_a_decision_option_row_is_added_and_removed_again(admin_client, sop):
    values = _form(admin_client, sop)
    response = _op(admin_client, sop, values, "tambah_baris:steps.5.decision.options")
    form = parse(response)
    assert "pilihan harus punya value" in form.slots["e-s-steps-5-decision-options-2-value"]
    response = _op(admin_client, sop, _values(response), "hapus_baris:steps.5.decision.options.2")
    assert response.status_code == 200 and _values(response)["yaml"] == SEED


@pytest.mark.parametrize(
    "path", ["steps.0.kelengkapan", "steps.0.hasil", "steps.5.decision.options", "usulan.lampiran"]
)
def test_a_row_added_and_removed_leaves_the_file_byte_for_byte(path):
    data = load_tree(SEED)
    row = add_row(data, path)
    assert dump_tree(data) != SEED
    remove_row(data, f"{path}.{row}")
    assert dump_tree(data) == SEED


@pytest.mark.parametrize("op", ["hapus_baris:kode", "tambah_baris:roles", "hapus_langkah:99"])
def test_a_change_of_shape_outside_the_lists_is_refused(admin_client, sop, op):
    response = _op(admin_client, sop, _form(admin_client, sop), op)
    assert response.status_code == 400
    assert _values(response)["yaml"] == SEED
    assert SopVersion.objects.filter(kode=sop.kode).count() == 1


def test_the_diff_shows_a_step_added_in_the_middle_as_one_step_added():
    from simpatik.sop import diff
    from simpatik.sop.definition import parse_text
    from simpatik.sop.editor_steps import insert_step

    data = load_tree(SEED)
    insert_step(data, after=1, values={"role": "kasie", "uraian": "Telaah", "waktu": "2"})
    found = diff.changes(parse_text(SEED), parse_text(dump_tree(data)))
    assert [(c.where, c.field, c.before, c.after) for c in found[:3]] == [
        ("Langkah 2", "Langkah berikutnya", "4", "3"),  # step 2 now leads to the new step
        ("Langkah 3", "", "", "ditambahkan"),
        ("Langkah 4", "Nomor", "3", "4"),
    ]
    # Later steps are only renumbered: their links moved with them and are no change.
    assert {c.field for c in found[2:]} == {"Nomor"} and len(found) == 2 + 16


def test_a_step_added_after_a_decision_asks_for_an_option_to_lead_to_it(admin_client, sop):
    values = _form(admin_client, sop)
    response = _op(admin_client, sop, values, "tambah_langkah", **{**NEW, "baru-setelah": "5"})
    form = parse(response)
    assert form.values["f:steps.6.number"] == "7" and form.values["f:steps.6.next"] == "8"
    assert "tidak dapat dicapai" in form.slots["e-s-steps-6-number"]
    values = {**_values(response), "f:steps.5.decision.options.1.next": "7"}
    response = _op(admin_client, sop, values, "tambah_baris:steps.6.hasil")
    form = parse(response)
    assert form.slots["e-s-steps-6-number"] == ""  # the option now leads to it
    assert "kunci (key) wajib diisi" in form.slots["e-s-steps-6-hasil-0-key"]


def test_a_row_asked_for_while_the_yaml_is_broken_keeps_everything_typed(admin_client, sop):
    values = _form(admin_client, sop)
    values["yaml"] = values["yaml"].replace("kode: pengembangan", "kode: [pengembangan", 1)
    values["f:steps.2.waktu"] = "7"
    response = _op(
        admin_client, sop, values, "tambah_baris:steps.2.kelengkapan", {"HX-Request": "true"}
    )
    assert response.status_code == 200  # swapped by htmx, with the problem shown
    form = parse(response)
    assert "YAML tidak dapat dibaca" in form.slots["e-yaml"]
    assert form.values["f:steps.2.waktu"] == "7" and "kode: [pengembangan" in form.values["yaml"]
    assert "f:steps.2.kelengkapan.1.key" not in form.values  # nothing reshaped on a broken text
