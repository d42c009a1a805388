"""A step's way onward changed with the editor's buttons (issue 12 §4, "decisions and
transitions" without the YAML textarea): a plain `next` becomes a decision with two options or
a suspension, and back; the loader's problems stand at the new fields."""

import pytest
from django.urls import reverse

from simpatik.sop.models import SopVersion
from simpatik.sop.tests.test_editor import SEED, _form, parse
from simpatik.sop.tests.test_editor_steps import _op, _values

HX = {"HX-Request": "true"}
pytestmark = pytest.mark.django_db


def _merge(values, response):
    """What the browser submits next: the form with the step's block replaced."""
    kept = {k: v for k, v in values.items() if not k.startswith("f:steps.0.")}
    return {**kept, **_values(response)}


def test_a_next_becomes_a_decision_whose_empty_options_are_named_at_their_fields(admin_client, sop):
    values = _form(admin_client, sop)
    assert values["f:steps.0.next"] == "2"
    response = _op(admin_client, sop, values, "jadikan_keputusan:0", HX)
    assert response.status_code == 200 and response["HX-Retarget"] == "#langkah-0"
    form = parse(response)
    assert "f:steps.0.next" not in form.values
    assert form.values["f:steps.0.decision.options.0.next"] == "2"
    assert form.values["f:steps.0.decision.options.1.next"] == "2"
    assert "pilihan harus punya value" in form.slots["e-s-steps-0-decision-options-0-value"]
    assert "pilihan harus punya value" in form.slots["e-s-steps-0-decision-options-1-value"]
    values = {
        **_merge(values, response),
        "f:steps.0.decision.label": "Kelengkapan usulan",
        "f:steps.0.decision.options.0.value": "lengkap",
        "f:steps.0.decision.options.0.label": "Lengkap",
        "f:steps.0.decision.options.1.value": "ulang",
        "f:steps.0.decision.options.1.label": "Diulang",
        "f:steps.0.decision.options.1.next": "1",
        "aksi": "simpan",
    }
    assert admin_client.post(reverse("sop:edit", args=[sop.pk]), values).status_code == 302
    step = SopVersion.objects.get(kode=sop.kode, version=2).definition.step(1)
    assert step.decision("lengkap").next == 2 and step.decision("ulang").next == 1


def test_a_decision_turned_back_into_next_gives_the_file_byte_for_byte(admin_client, sop):
    values = _form(admin_client, sop)
    response = _op(admin_client, sop, values, "jadikan_keputusan:0", HX)
    values = _merge(values, response)
    response = _op(admin_client, sop, values, "jadikan_lanjut:0", HX)
    form = parse(response)
    assert form.values["f:steps.0.next"] == "2" and form.values["yaml"] == SEED
    assert "Definisi lolos pemeriksaan." in response.content.decode()


def test_a_suspension_is_added_and_removed_with_its_problems_at_its_fields(admin_client, sop):
    values = _form(admin_client, sop)
    response = _op(admin_client, sop, values, "jadikan_penangguhan:0", HX)
    form = parse(response)
    assert form.values["f:steps.0.suspend.resume_to"] == "2"
    assert form.values["f:steps.0.suspend.resume_role"] == values["f:steps.0.role"]
    values = {**_merge(values, response), "f:steps.0.suspend.resume_role": "bupati"}
    found = parse(admin_client.post(reverse("sop:edit-check", args=[sop.pk]), values))
    assert "resume_role yang dikenal" in found.slots["e-s-steps-0-suspend"]
    response = _op(admin_client, sop, values, "jadikan_lanjut:0", HX)
    form = parse(response)
    assert form.values["f:steps.0.next"] == "2" and form.values["yaml"] == SEED


def test_a_step_that_is_already_a_decision_is_not_made_one_again(admin_client, sop):
    values = _form(admin_client, sop)
    response = _op(admin_client, sop, values, "jadikan_keputusan:5")  # no JS: the whole page
    assert response.status_code == 400
    form = parse(response)
    assert "tidak dapat diubah dari formulir" in form.slots["e-s-steps-5"]
    assert form.values["yaml"] == SEED
