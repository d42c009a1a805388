import datetime as dt
import io
import re
from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from simpatik.core.errors import NotFound, PermissionDenied, ValidationError
from simpatik.letters import kinds, services
from simpatik.letters.models import Letter
from simpatik.letters.tests.helpers import complete_with_letters, raw_tokens, text_of
from simpatik.projects import services as project_services
from simpatik.projects.models import StepRun
from simpatik.testing.walker import complete_current, open_run, walk_to


def finish(project, team, settings):
    """The whole path with its suspension at 6 and both loops once, every document included."""
    settings.SIMPATIK_APPS_DOMAIN = "bolmutkab.go.id"
    decisions = {6: ["tidak_tersedia", "tersedia"], 11: ["tidak_setuju", "setuju"]}
    while (run := open_run(project)) is not None:
        extra = {"subdomain": "cuti"} if run.step_number == 16 else None
        choice = decisions.get(run.step_number, [None])
        complete_current(
            project, team, decision=choice.pop(0) if choice else None, extra_fields=extra
        )
        project.refresh_from_db()
        if project.status == "ditangguhkan":
            project_services.resume_project(project, actor=team[1], reason="Anggaran tersedia")
    return list(Letter.objects.filter(project=project).order_by("id"))


def test_every_document_is_made_by_its_step_completion_and_reads_as_plain_indonesian(
    project, team, settings
):
    from simpatik.discussions.services import post_comment

    asker = next(user for user in team if "teknis" in user.role_keys())
    post_comment(
        open_run(project),
        actor=asker,
        body="Apakah **mockup** sudah memuat menu cuti <script>alert(1)</script>?",
    )
    letters = finish(project, team, settings)
    project.refresh_from_db()
    assert project.status == "selesai"
    by_kind = {}
    for letter in letters:
        by_kind.setdefault(letter.kind, []).append(letter)
    # Every kind the seed SOP generates (another SOP's kinds are checked with that SOP).
    generated = {i.generate for s in project.definition.steps for i in s.hasil if i.generate}
    assert set(by_kind) == generated
    assert generated <= {key for key, kind in kinds.KINDS.items() if not kind.audience}
    # One per step and round: step 10 ran twice (11 -> 9 loop), so two berita acara.
    rounds = sorted(letter.step_run.round for letter in by_kind["berita_acara_rencana"])
    assert rounds == [1, 2]
    assert all(len(found) == 1 for kind, found in by_kind.items() if kind != "berita_acara_rencana")
    texts = {}
    for letter in letters:
        text = texts[letter.pk] = text_of(letter)
        assert letter.number in text and letter.verification_code in text
        assert "Sistem Informasi Kepegawaian" in text
        assert raw_tokens(text) == [], (letter.kind, raw_tokens(text))
        assert letter.document.sha256 == letter.sha256  # the letter is the step's Output
        assert letter.document.step_run_id == letter.step_run_id
        assert letter.status == Letter.Status.BERLAKU
    text = {letter.kind: texts[letter.pk] for letter in letters}
    assert "MEMERINTAHKAN" in text["surat_perintah"]
    assert "ditangguhkan" in text["laporan_ketidaktersediaan"]
    assert "Nur Paputungan" in text["berita_acara_rencana"]
    assert "Yang menerima" in text["berita_acara_hasil"]
    assert "cuti.bolmutkab.go.id" in text["surat_rekomendasi"]
    assert "MENYETUJUI" in text["persetujuan_aplikasi"]
    report = text["laporan_pengembangan"]
    # Decisions print their labels, never their keys.
    assert "Tidak setuju" in report and "Tersedia" in report and "tidak_setuju" not in report
    # The step discussion is kept in the report: who asked what at which step, as plain text.
    assert "Diskusi langkah" in report and "Apakah mockup sudah memuat menu cuti" in report
    assert "Nur Paputungan" in report.split("Diskusi langkah")[1] and "alert(1)" not in report
    some_document = project.documents.exclude(key="laporan_pengembangan").first()
    assert some_document.sha256 in report.replace(" ", "")  # full value in the footnotes


def test_nothing_is_issued_before_completion_and_the_draft_has_no_number(project, team):
    run = open_run(project)
    pdf = services.preview(run, "surat_perintah", user=team[0])
    draft = text_of(pdf)
    assert "DRAF" in draft and "Sistem Informasi Kepegawaian" in draft
    assert not re.search(r"\d+/DISKOMINFO/", draft)
    assert "Ditandatangani secara elektronik" not in draft
    assert b"/ByteRange" not in pdf  # no signature at all
    assert not Letter.objects.exists()
    letters = complete_with_letters(project, team)
    assert len(letters) == 1 and re.search(r"\d+/DISKOMINFO/", letters[0].number)
    with pytest.raises(NotFound) as caught:
        services.preview(open_run(project), "surat_perintah", user=team[1])
    assert caught.value.code == "not_generated"
    # The same through the page, as an edited or stale link reaches it: a 404 page, not a 500.
    client = Client()
    client.force_login(team[1])
    response = client.get(f"/proyek/{project.pk}/langkah/2/pratinjau/surat_perintah/")
    assert response.status_code == 404
    assert "Dokumen ini tidak dibuat oleh langkah ini." in response.content.decode()


def test_draft_preview_reads_the_values_being_typed(project, team):
    walk_to(project, team, 10)
    run = open_run(project)
    pdf = services.preview(
        run,
        "berita_acara_presentasi_rencana",
        user=team[3],
        values={"daftar_hadir_rencana": "Budi Santoso — Kepala Seksi"},
    )
    assert "Budi Santoso" in text_of(pdf)
    with pytest.raises(PermissionDenied):
        services.preview(run, "berita_acara_presentasi_rencana", user=team[4])


def test_completion_is_refused_without_what_the_document_draws_on(project, team, monkeypatch):
    walk_to(project, team, 10)
    run = open_run(project)
    with pytest.raises(ValidationError) as caught:
        complete_current(project, team, extra_fields={"daftar_hadir_rencana": " "})
    assert caught.value.code == "kelengkapan_missing"
    assert "Daftar hadir presentasi" in caught.value.message
    # A document may also quote items of earlier steps: those are checked too, by name.
    kind = kinds.KINDS["berita_acara_rencana"]
    monkeypatch.setitem(
        kinds.KINDS, kind.key, replace(kind, draws_on=(*kind.draws_on, "catatan_persetujuan"))
    )
    with pytest.raises(ValidationError) as caught:
        complete_current(project, team)
    assert caught.value.code == "kelengkapan_missing"
    assert caught.value.data["missing"] == [
        {"key": "catatan_persetujuan", "label": "Catatan persetujuan aplikasi"}
    ]
    run.refresh_from_db()
    assert (
        run.status == StepRun.Status.BERJALAN and not Letter.objects.filter(step_run=run).exists()
    )


def test_dates_are_the_regencys_local_date(project, team, monkeypatch):
    late_evening_utc = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC)  # 11 March, 07:30 WITA
    monkeypatch.setattr(timezone, "now", lambda: late_evening_utc)
    letter = complete_with_letters(project, team)[0]
    assert letter.date == dt.date(2026, 3, 11)
    assert "/III/2026" in letter.number
    text = text_of(letter)
    assert "11 Maret 2026" in text and "10 Maret 2026" not in text


def test_a_generated_output_is_never_uploaded(project, team):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(team[0])
    detail = client.get(f"/api/v1/projects/{project.pk}/steps/1/").json()
    output = next(r for r in detail["requirements"] if r["key"] == "surat_perintah")
    assert output["generated"] is True and output["generate"]["kind"] == "surat_perintah"
    upload = SimpleUploadedFile("sp.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = client.post(
        f"/api/v1/projects/{project.pk}/steps/1/documents/",
        {"key": "surat_perintah", "file": upload},
    )
    assert response.status_code == 400 and response.json()["code"] == "output_generated"
    assert not project.documents.exists()


def test_numbers_follow_the_pattern_without_gaps(project, team, opd, settings):
    settings.SIMPATIK_LETTER_NUMBER_PATTERN = (
        "{kode_klasifikasi}/{nomor}/{kode_unit}/{bulan_romawi}/{tahun}"
    )
    first = complete_with_letters(project, team)[0]
    other = project_services.start_project(actor=team[0], nama="Aplikasi Lain", opd=opd)
    second = complete_with_letters(other, team)[0]
    assert re.fullmatch(r"800\.1\.11\.1/1/DISKOMINFO/[IVX]+/\d{4}", first.number), first.number
    assert (first.sequence, second.sequence) == (1, 2)


def test_a_correction_names_the_original_which_shows_it_is_replaced(project, team):
    original = complete_with_letters(project, team)[0]
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
    assert correction.number != original.number and correction.step_run == original.step_run
    assert f"menggantikan {original.number}" in text_of(correction)
    with pytest.raises(ValidationError) as caught:
        services.correct_letter(original, actor=team[0], reason="lagi")
    assert caught.value.code == "already_replaced"
    public = Client().get(f"/verifikasi/{original.verification_code}/").content.decode()
    assert f"Diganti oleh {correction.number}" in public and "Berlaku" not in public
    client = Client()
    client.force_login(team[1])
    page = client.get(f"/proyek/{project.pk}/naskah/").content.decode()
    assert f"diganti oleh {correction.number}" in page
    step_page = client.get(f"/proyek/{project.pk}/?langkah=1").content.decode()
    assert f"diganti oleh {correction.number}" in step_page


def test_berita_acara_carries_the_photos_of_its_round(project, team):
    walk_to(project, team, 10)
    run = open_run(project)
    project_services.upload_document(
        run,
        actor=team[3],
        key="foto_presentasi_rencana",
        uploaded=SimpleUploadedFile("f.png", _png()),
    )
    letter = complete_with_letters(project, team)[0]
    with letter.open() as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) >= 2  # the photo besides the emblem (the QR code is a vector)


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
    letter = complete_with_letters(project, team)[0]
    assert "Templat khusus Bolmut untuk Sistem Informasi Kepegawaian" in text_of(letter)


def test_the_project_page_reads_letters_only_for_a_step_with_a_completed_run(
    project, team, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(team[1])
    assert open_run(project).step_number == 1  # step 1 makes a letter when it completes
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/proyek/{project.pk}/?langkah=1")
    assert page.status_code == 200
    assert not [q for q in captured.captured_queries if "letters_letter" in q["sql"]]
    settings.SIMPATIK_APPS_DOMAIN = "bolmutkab.go.id"
    complete_current(project, team)
    letter = Letter.objects.get(project=project, step_number=1)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/proyek/{project.pk}/?langkah=1").content.decode()
    assert letter.number in page
    assert [q for q in captured.captured_queries if "letters_letter" in q["sql"]]


def test_a_letter_an_approval_rests_on_is_never_corrected(project, team):
    """Step 15's "Diterima" rests on step 14's installation report: after it the report is
    final; no correction replaces it, and its page says why instead of offering one."""
    walk_to(project, team, 16)
    report = Letter.objects.get(project=project, kind="laporan_instalasi")
    teknis = next(user for user in team if project_services.rules.eligible(user, report.step_run))
    with pytest.raises(ValidationError) as caught:
        services.correct_letter(report, actor=teknis, reason="Salah ketik")
    assert caught.value.code == "frozen_by_approval"
    assert not Letter.objects.filter(replaces=report).exists()
    client = Client()
    client.force_login(teknis)
    page = client.get(f"/proyek/{project.pk}/naskah/").content.decode()
    row = page[page.index(report.number) :].split("</tr>")[0]
    assert "Tidak dapat dikoreksi" in row and 'name="reason"' not in row
    refused = client.post(f"/naskah/{report.pk}/koreksi/", {"reason": "Salah ketik"})
    assert refused.status_code in (302, 400)
    assert not Letter.objects.filter(replaces=report).exists()


def test_a_letter_downloads_under_the_name_its_project_page_shows(project, team):
    letter = complete_with_letters(project, team)[0]
    client = Client()
    client.force_login(team[0])
    response = client.get(f"/naskah/{letter.pk}/unduh/")
    shown = letter.document.name
    assert shown == f"surat-perintah-pengembangan-aplikasi-{letter.sequence}-{letter.year}.pdf"
    assert f'filename="{shown}"' in response["Content-Disposition"]
    from simpatik.letters.models import file_name

    assert file_name("Surat rekomendasi subdomain dan/atau hosting", 3, 2026) == (
        "surat-rekomendasi-subdomain-dan-atau-hosting-3-2026.pdf"
    )


def test_the_development_report_reads_whole_words_its_schedule_and_its_note(
    project, team, settings
):
    """Step 17's report: its narrow column headings were broken mid-word ("Putar an"), the
    scheduled step read "sesuai jadwal" instead of its days, and its note had no heading."""
    from simpatik.core.workdays import working_days_between

    settings.SIMPATIK_APPS_DOMAIN = "bolmutkab.go.id"
    while (run := open_run(project)).step_number != 17:
        extra = {"subdomain": "cuti"} if run.step_number == 16 else None
        complete_current(project, team, extra_fields=extra)
    complete_current(project, team, extra_fields={"catatan_laporan": "Server dipindah."})
    text = text_of(Letter.objects.get(project=project, kind="laporan_pengembangan"))
    assert "Putaran" in text and "Putar an" not in text and "Langk ah" not in text
    scheduled = project.step_runs.get(step_number=12)
    planned = working_days_between(timezone.localdate(scheduled.opened_at), scheduled.due_date)
    assert f"{planned} hari kerja (jadwal)" in text and "sesuai jadwal" not in text
    assert "Catatan laporan Server dipindah." in text
