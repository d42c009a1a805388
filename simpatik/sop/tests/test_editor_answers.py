"""The SOP editor's htmx answers carry only what changed (issue 12 §4: a click re-rendered the
whole ~400 KB form): a row's step alone, the steps section when steps are renumbered, only the
problems for the live check; the sheet preview comes by its own request."""

import pytest
from django.urls import reverse

from simpatik.sop.tests.test_editor import _form, parse
from simpatik.sop.tests.test_editor_steps import NEW, _op, _values

HX = {"HX-Request": "true"}
pytestmark = pytest.mark.django_db


def _not_sent(page: str, *ids: str) -> None:
    for dom_id in ids:
        assert f'id="{dom_id}"' not in page, dom_id


def test_a_row_removed_sends_its_step_with_the_texts_the_form_is_drawn_from(admin_client, sop):
    values = _form(admin_client, sop)
    values["f:identitas.judul"] = "Judul yang diketik"
    response = _op(admin_client, sop, values, "hapus_baris:steps.2.kelengkapan.0", HX)
    assert response.status_code == 200 and response["HX-Retarget"] == "#langkah-2"
    page = response.content.decode()
    _not_sent(page, "bagian-identitas", "bagian-peran", "langkah-1", "s-steps-3", "editor-preview")
    form = parse(response)
    assert "f:steps.2.kelengkapan.0.key" not in form.values
    # What was typed elsewhere is in the texts the next post is applied to.
    assert "Judul yang diketik" in form.values["base"] == form.values["yaml"]
    assert len(page) * 5 < len(_form_page(admin_client, sop))


def _form_page(client, version) -> str:
    return client.get(reverse("sop:edit", args=[version.pk])).content.decode()


def test_a_step_added_sends_the_steps_section_but_not_identity_or_roles(admin_client, sop):
    values = _form(admin_client, sop)
    response = _op(admin_client, sop, values, "tambah_langkah", HX, **NEW, **{"baru-setelah": "0"})
    assert response.status_code == 200 and response["HX-Retarget"] == "#bagian-langkah"
    page = response.content.decode()
    assert page.startswith('<section class="card editor-section" id="bagian-langkah">')
    _not_sent(page, "bagian-identitas", "bagian-peran", "bagian-lainnya", "s-roles-0")
    form = parse(response)
    assert form.values["f:steps.1.uraian"] == NEW["baru-uraian"]
    assert form.values["f:steps.2.number"] == "3"
    # The browser drops the steps section it replaced, and keeps the rest.
    kept = {name: text for name, text in values.items() if not name.startswith("f:steps.")}
    merged = {**kept, **_values(response), "aksi": "simpan"}
    assert admin_client.post(reverse("sop:edit", args=[sop.pk]), merged).status_code == 302


def test_a_refused_step_removal_answers_with_the_steps_and_the_reason_at_the_step(
    admin_client, sop
):
    values = _form(admin_client, sop)
    response = _op(admin_client, sop, values, "hapus_langkah:6", HX)
    assert response["HX-Retarget"] == "#bagian-langkah"
    assert "Langkah 7 tidak dihapus" in parse(response).slots["e-s-steps-6"]
    _not_sent(response.content.decode(), "bagian-identitas", "bagian-peran")


def test_the_live_check_sends_only_the_problems_and_the_summary(admin_client, sop):
    values = _form(admin_client, sop)
    url = reverse("sop:edit-check", args=[sop.pk])
    response = admin_client.post(url, {**values, "f:steps.2.waktu": "dua"}, headers=HX)
    page = response.content.decode()
    found = parse(response)
    assert list(found.slots) == ["e-s-steps-2-waktu"]
    assert "waktu harus jumlah hari kerja" in found.slots["e-s-steps-2-waktu"]
    assert 'hx-swap-oob="innerHTML:#sop-editor .field-error"' in page  # the old ones cleared
    assert "Masalah: 1" in page
    assert "<input" not in page and "<select" not in page and "<svg" not in page
    response = admin_client.post(url, {**values, "f:steps.2.waktu": "4"}, headers=HX)
    assert parse(response).slots == {} and "lolos pemeriksaan" in response.content.decode()


def test_the_preview_is_drawn_on_its_own_request(admin_client, sop):
    values = _form(admin_client, sop)
    url = reverse("sop:edit-preview", args=[sop.pk])
    page = admin_client.post(url, {**values, "f:steps.2.waktu": "4"}).content.decode()
    assert page.startswith('<section class="card" id="editor-preview"') and "<svg" in page
    page = admin_client.post(url, {**values, "f:steps.2.waktu": "dua"}).content.decode()
    assert "<svg" not in page and "Pratinjau muncul setelah definisi lolos" in page
