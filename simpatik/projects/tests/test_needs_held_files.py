"""A file chosen in an usulan that failed for another reason is kept for the form's next send
(core.held): a browser cannot fill a file field again, and the corrected usulan went without it."""

from django.core.files.uploadedfile import SimpleUploadedFile

from simpatik.core import held
from simpatik.core.widgets import HELD_SUFFIX
from simpatik.projects.models import Need
from simpatik.testing.forms import browser_form
from simpatik.testing.personas import make_user
from simpatik.testing.walker import sample_pdf

FIELD = "lampiran__daftar_kebutuhan"


def _pdf(name="daftar-kebutuhan.pdf"):
    return SimpleUploadedFile(name, sample_pdf(name), "application/pdf")


def _send(client, **data):
    return client.post("/usulan/baru/", {"latar_belakang": "Cuti masih di kertas.", **data})


def test_the_file_chosen_stays_through_a_refused_send_and_goes_with_the_next(
    client, opd_user, sop, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client.force_login(opd_user)
    refused = _send(client, judul="   ", **{FIELD: _pdf()})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Berkas yang Anda pilih tetap tersimpan" in html and "daftar-kebutuhan.pdf" in html
    form = browser_form(refused)
    assert form.values[FIELD + HELD_SUFFIX]  # the token goes with the form
    assert not Need.objects.exists()
    # Corrected and sent again without choosing the file again: the usulan has its file.
    sent = client.post("/usulan/baru/", {**form.values, "judul": "Aplikasi Cuti Online"})
    assert sent.status_code == 302
    need = Need.objects.get()
    attachment = need.attachments.get()
    assert (attachment.key, attachment.name) == ("daftar_kebutuhan", "daftar-kebutuhan.pdf")


def test_a_refused_file_is_not_held_and_its_reason_is_said_once(
    client, opd_user, sop, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client.force_login(opd_user)
    fake = SimpleUploadedFile("daftar.pdf", b"MZ not a pdf", "application/pdf")
    response = _send(client, judul="Aplikasi Cuti Online", **{FIELD: fake})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Berkas yang Anda pilih tetap tersimpan" not in html
    slot = browser_form(response).slots[f"id_{FIELD}_error"]
    assert slot.startswith("Jenis berkas tidak diterima")  # the field names the document
    assert html.count("Daftar kebutuhan aplikasi: Daftar kebutuhan aplikasi") == 0
    assert not (tmp_path / "held").exists() or not any((tmp_path / "held").iterdir())


def test_a_token_holds_nothing_for_another_person_nor_once_its_file_is_gone(
    client, opd_user, sop, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client.force_login(opd_user)
    token = browser_form(_send(client, judul="", **{FIELD: _pdf()})).values[FIELD + HELD_SUFFIX]
    other = make_user("staf-lain", [], opd=opd_user.opd, password="rahasia-123")
    assert held.take(token, owner=other.pk) is None
    assert held.take(token[:-2] + "xx", owner=opd_user.pk) is None
    assert held.take(token, owner=opd_user.pk).read() == sample_pdf("daftar-kebutuhan.pdf")
    assert held.sweep(hours=0) == 1  # `simpatik cleanup` after its day
    response = _send(client, judul="Aplikasi Cuti Online", **{FIELD + HELD_SUFFIX: token})
    assert response.status_code == 400
    assert "tidak tersimpan lagi; pilih berkasnya lagi" in response.content.decode()
    assert not Need.objects.exists()
