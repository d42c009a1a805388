import io
import re

import pytest
from pypdf import PdfReader

from simpatik.core.errors import PermissionDenied, ValidationError
from simpatik.letters import services
from simpatik.letters.models import Letter
from simpatik.letters.tests.helpers import issue_current
from simpatik.projects import services as project_services
from simpatik.testing.walker import complete_current, open_run, walk_to


def text_of(letter) -> str:
    with letter.open() as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def finish_with_letters(project, team, settings):
    """The whole path, issuing every document the SOP generates (suspension included)."""
    settings.SIMPATIK_APPS_DOMAIN = "bolmutkab.go.id"
    decisions = {6: ["tidak_tersedia", "tersedia"]}
    while (run := open_run(project)) is not None:
        number = run.step_number
        extra = {"subdomain": "cuti"} if number == 16 else None
        issue_current(project, team, fields=extra)  # the form's fields go in as a draft first
        choice = decisions.get(number, [None])
        decision = choice.pop(0) if choice else None
        complete_current(project, team, decision=decision, extra_fields=extra)
        project.refresh_from_db()
        if project.status == "ditangguhkan":
            project_services.resume_project(project, actor=team[1], reason="Anggaran tersedia")
    return {letter.kind: letter for letter in Letter.objects.filter(project=project)}


def test_every_document_type_is_generated_from_a_finished_project(project, team, settings):
    letters = finish_with_letters(project, team, settings)
    assert set(letters) == {
        "surat_perintah",
        "laporan_ketidaktersediaan",
        "berita_acara_rencana",
        "berita_acara_hasil",
        "laporan_instalasi",
        "surat_rekomendasi",
        "laporan_pengembangan",
    }
    project.refresh_from_db()
    assert project.status == "selesai"
    texts = {kind: text_of(letter) for kind, letter in letters.items()}
    for kind, letter in letters.items():
        assert letter.number in texts[kind]
        assert "Sistem Informasi Kepegawaian" in texts[kind]
        assert letter.verification_code in texts[kind]
        assert letter.document.key in {
            item.key for item in project.definition.step(letter.step_number).hasil
        }
        assert letter.document.sha256 == letter.sha256  # the letter is the step's Output
    assert "MEMERINTAHKAN" in texts["surat_perintah"]
    assert "Kepala Bidang Aplikasi Informatika" in texts["surat_perintah"]
    assert "ditangguhkan" in texts["laporan_ketidaktersediaan"]
    assert (
        "Nur Paputungan" in texts["berita_acara_rencana"]
        and "Daftar hadir" in texts["berita_acara_hasil"]
    )
    assert "Catatan uji" in texts["laporan_instalasi"]
    assert "cuti.bolmutkab.go.id" in texts["surat_rekomendasi"]
    report = texts["laporan_pengembangan"]
    assert "Pelaksanaan SOP" in report and "Anggaran tersedia" not in report
    some_document = project.documents.exclude(key="laporan_pengembangan").first()
    assert some_document.sha256 in report.replace(" ", "") or some_document.sha256[
        :40
    ] in report.replace(" ", "")


def test_numbers_follow_the_pattern_and_restart_nowhere_in_a_year(project, team, settings):
    settings.SIMPATIK_LETTER_NUMBER_PATTERN = (
        "{kode_klasifikasi}/{nomor}/{kode_unit}/{bulan_romawi}/{tahun}"
    )
    first = issue_current(project, team)[0]
    second = issue_current(project, team)[0]
    assert re.fullmatch(r"800\.1\.11\.1/1/DISKOMINFO/[IVX]+/\d{4}", first.number), first.number
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.document.version == 1 and second.document.version == 2


def test_issued_document_cannot_be_changed_and_a_correction_names_the_original(project, team):
    original = issue_current(project, team)[0]
    original.title = "lain"
    with pytest.raises(RuntimeError):
        original.save()
    with pytest.raises(RuntimeError):
        original.delete()
    with pytest.raises(ValidationError):
        services.correct_letter(original, actor=team[0], reason=" ")
    with pytest.raises(PermissionDenied):
        services.correct_letter(original, actor=team[1], reason="Salah tanggal")
    correction = services.correct_letter(original, actor=team[0], reason="Salah penulisan nama OPD")
    original.refresh_from_db()
    assert correction.replaces == original and original.is_replaced
    assert f"menggantikan {original.number}" in text_of(correction)
    assert Letter.objects.filter(project=project).count() == 2
    with pytest.raises(ValidationError) as caught:
        services.correct_letter(original, actor=team[0], reason="lagi")
    assert caught.value.code == "already_replaced"


def test_only_the_step_role_may_issue_and_not_for_plain_outputs(project, team):
    run = open_run(project)
    with pytest.raises(PermissionDenied):
        services.issue_letter(run, actor=team[1], key="surat_perintah")
    run2 = walk_to(project, team, 2)
    with pytest.raises(ValidationError) as caught:
        services.issue_letter(run2, actor=team[1], key="daftar_kebutuhan")
    assert caught.value.code == "not_generated"


def test_a_berita_acara_needs_its_attendance(project, team):
    walk_to(project, team, 10)
    run = open_run(project)
    with pytest.raises(ValidationError) as caught:
        services.issue_letter(
            run, actor=team[3], key="berita_acara_presentasi_rencana", attendees=" "
        )
    assert caught.value.code == "attendance_required"
    assert not Letter.objects.exists()


def test_berita_acara_carries_photos(project, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    walk_to(project, team, 10)
    photo = _png()
    letter = services.issue_letter(
        open_run(project),
        actor=team[3],
        key="berita_acara_presentasi_rencana",
        attendees="Nur — Tim Teknis",
        photos=[SimpleUploadedFile("foto.png", photo)],
    )
    with letter.open() as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) >= 2  # the emblem, the QR code or the photo: at least the photo and one more
    not_image = SimpleUploadedFile("foto.pdf", b"%PDF-1.4\n%%EOF")
    with pytest.raises(ValidationError):
        services.issue_letter(
            open_run(project),
            actor=team[3],
            key="berita_acara_presentasi_rencana",
            attendees="Nur — Tim Teknis",
            photos=[not_image],
        )


def _png() -> bytes:
    import struct
    import zlib

    raw = b"".join(b"\x00" + b"\xcc\x33\x33" * 8 for _ in range(8))

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_an_installation_template_overrides_the_shipped_one(project, team):
    from simpatik.letters.models import LetterTemplate

    LetterTemplate.objects.create(
        kind="surat_perintah",
        body=(
            "<html><body><h1>{{ letter.title }}</h1><p>Nomor {{ letter.number }}</p>"
            "<p>Templat khusus Bolmut untuk {{ project.nama }}</p><img src='{{ letter.qr }}'></body></html>"
        ),
    )
    letter = issue_current(project, team)[0]
    assert "Templat khusus Bolmut untuk Sistem Informasi Kepegawaian" in text_of(letter)
