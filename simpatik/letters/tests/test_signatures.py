import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import Client
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from simpatik.core.errors import ValidationError
from simpatik.letters.models import Letter
from simpatik.letters.signing import BsreSigner, LocalSigner
from simpatik.letters.tests.helpers import complete_with_letters, pdf_bytes
from simpatik.testing.walker import api_complete_current, complete_current, open_run, walk_to


def _validate_all(data: bytes, ca_pem: bytes, tmp_path):
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(ca_pem)
    context = ValidationContext(
        trust_roots=[load_cert_from_pemder(str(ca_file))], allow_fetching=False
    )
    return [
        validate_pdf_signature(signature, context)
        for signature in PdfFileReader(io.BytesIO(data)).embedded_signatures
    ]


def _validate(data: bytes, ca_pem: bytes, tmp_path):
    return _validate_all(data, ca_pem, tmp_path)[0]


def test_signature_is_intact_valid_and_trusted_against_the_published_ca(project, team, tmp_path):
    letter = complete_with_letters(project, team)[0]
    ca_pem = Client().get("/pki/ca.pem").content
    assert ca_pem.startswith(b"-----BEGIN CERTIFICATE-----")
    with letter.open() as handle:
        data = handle.read()
    status = _validate(data, ca_pem, tmp_path)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert "Aang Wardiman" in status.signing_cert.subject.human_friendly


def test_a_changed_byte_breaks_the_signature(project, team, tmp_path):
    letter = complete_with_letters(project, team)[0]
    with letter.open() as handle:
        data = bytearray(handle.read())
    position = data.index(b"/Type /Page") if b"/Type /Page" in data else 400
    data[position + 1] ^= 0xFF  # always a different byte
    status = _validate(bytes(data), Client().get("/pki/ca.pem").content, tmp_path)
    assert not status.intact or not status.valid


def test_a_signature_from_another_ca_is_not_trusted(project, team, tmp_path, settings):
    from simpatik.letters import pki

    letter = complete_with_letters(project, team)[0]
    with letter.open() as handle:
        data = handle.read()
    settings.SIMPATIK_PKI_DIR = tmp_path / "other"
    pki.init_ca()
    status = _validate(data, pki.ca_certificate_pem(), tmp_path)
    assert status.intact and not status.trusted


class FakeBsre(BaseHTTPRequestHandler):
    """Answers as the BSrE signing API does: the signed PDF, or a JSON error for a bad passphrase."""

    signer_user = None

    def do_POST(self):  # noqa: N802 - http.server's naming
        from email.parser import BytesParser
        from email.policy import default

        body = self.rfile.read(int(self.headers["Content-Length"]))
        message = BytesParser(policy=default).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body
        )
        form = {
            part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
            for part in message.iter_parts()
        }
        if self.path != "/api/sign/pdf" or form.get("passphrase") != b"benar":
            body = b'{"error": "Passphrase anda salah", "status_code": 2011}'
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)
            return
        assert form["nik"] == b"7171010101010001" and form["tampilan"] == b"invisible"
        signed = LocalSigner().sign(form["file"], FakeBsre.signer_user, reason="BSrE")
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.end_headers()
        self.wfile.write(signed)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_bsre(settings, kadis):
    from simpatik.letters import pki

    pki.init_ca()
    FakeBsre.signer_user = kadis
    server = HTTPServer(("127.0.0.1", 0), FakeBsre)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SIMPATIK_SIGNER = "bsre"
    settings.SIMPATIK_BSRE_URL = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()


def test_bsre_signer_sends_nik_and_passphrase_and_reports_refusals(fake_bsre, kadis, tmp_path):
    from weasyprint import HTML

    pdf = HTML(string="<p>Uji BSrE</p>").write_pdf()
    signer = BsreSigner()
    with pytest.raises(ValidationError) as missing:
        signer.sign(pdf, kadis, reason="x", passphrase="benar")
    assert missing.value.code == "nik_missing"
    kadis.nik = "7171010101010001"
    with pytest.raises(ValidationError) as refused:
        signer.sign(pdf, kadis, reason="x", passphrase="salah")
    assert refused.value.code == "bsre_refused" and "Passphrase anda salah" in refused.value.message
    signed = signer.sign(pdf, kadis, reason="x", passphrase="benar")
    from simpatik.letters import pki

    assert _validate(signed, pki.ca_certificate_pem(), tmp_path).intact


def test_verification_page_matches_only_the_exact_file(project, team):
    letter = complete_with_letters(project, team)[0]
    client = Client()
    page = client.get(f"/verifikasi/{letter.verification_code}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert letter.number in body and letter.sha256 in body and letter.signer_name in body
    with letter.open() as handle:
        data = handle.read()
    from django.core.files.uploadedfile import SimpleUploadedFile

    match = client.post(
        f"/verifikasi/{letter.verification_code}/", {"file": SimpleUploadedFile("a.pdf", data)}
    )
    assert "Cocok" in match.content.decode()
    changed = data[:-10] + b"0000000000"
    mismatch = client.post(
        f"/verifikasi/{letter.verification_code}/", {"file": SimpleUploadedFile("a.pdf", changed)}
    )
    assert "Tidak cocok" in mismatch.content.decode()
    assert client.get("/verifikasi/XXXXX-XXXXX/").status_code == 404


def test_letters_api_lists_what_the_contract_names(project, team):
    from rest_framework.test import APIClient

    from simpatik.letters import services

    original = complete_with_letters(project, team)[0]
    services.correct_letter(original, actor=team[0], reason="Typo")
    client = APIClient()
    client.force_authenticate(team[1])
    rows = client.get(f"/api/v1/projects/{project.pk}/letters/").json()
    assert [row["replaces"] for row in rows] == [None, original.number]
    first = rows[0]
    assert {"number", "title", "step", "sha256", "pdf_url", "verification_url", "replaces"} <= set(
        first
    )
    assert first["step"] == 1 and first["verification_url"].endswith(
        f"/verifikasi/{original.verification_code}/"
    )
    assert client.get(first["pdf_url"]).status_code == 200
    outsider = APIClient()
    from simpatik.testing.personas import make_user

    outsider.force_authenticate(make_user("luar", []))
    assert outsider.get(f"/api/v1/projects/{project.pk}/letters/").status_code == 404


def test_a_berita_acara_carries_both_parties_signatures_by_the_end_of_the_next_step(
    project, team, tmp_path
):
    walk_to(project, team, 10)
    letter = complete_with_letters(project, team)[0]
    assert letter.status == Letter.Status.MENUNGGU_PIHAK_KEDUA
    assert letter.countersigner.username == "teknis"
    first = pdf_bytes(letter)
    complete_current(project, team, decision="setuju")  # step 11, by the named Tim Teknis
    letter.refresh_from_db()
    assert letter.status == Letter.Status.BERLAKU and letter.countersigned_at
    final = pdf_bytes(letter)
    assert final.startswith(first)  # the second signature is a new revision of the same file
    ca_pem = Client().get("/pki/ca.pem").content
    statuses = _validate_all(final, ca_pem, tmp_path)
    assert [(s.intact, s.valid, s.trusted) for s in statuses] == [(True, True, True)] * 2
    names = [s.signing_cert.subject.human_friendly for s in statuses]
    assert "Dimas Lasabuda" in names[0] and "Nur Paputungan" in names[1]
    assert letter.document.sha256 == letter.sha256 and letter.document.version == 2


def test_a_project_finished_through_the_api_holds_its_signed_letters(project, team, tmp_path):
    from rest_framework.test import APIClient

    while open_run(project) is not None:
        api_complete_current(project, team)
        project.refresh_from_db()
    assert project.status == "selesai"
    client = APIClient()
    client.force_authenticate(team[0])
    rows = client.get(f"/api/v1/projects/{project.pk}/letters/").json()
    assert sorted(row["step"] for row in rows) == [1, 10, 13, 14, 16, 17, 18]
    assert {row["status"] for row in rows} == {"berlaku"}
    ca_pem = Client().get("/pki/ca.pem").content
    for row in rows:
        data = client.get(row["pdf_url"]).getvalue()
        statuses = _validate_all(data, ca_pem, tmp_path)
        expected = 2 if row["countersigner"] else 1
        assert len(statuses) == expected, row
        assert all(s.intact and s.valid and s.trusted for s in statuses), row


def test_remote_signing_waits_for_the_commit_and_a_failure_is_kept_and_retried(
    fake_bsre, project, team, kadis, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from simpatik.audit.models import AuditRecord

    kadis.nik = "7171010101010001"
    kadis.save()
    run = open_run(project)
    with pytest.raises(ValidationError) as caught:
        complete_current(project, team)
    assert caught.value.code == "passphrase_required"
    with django_capture_on_commit_callbacks() as callbacks:
        complete_current(project, team, passphrase="salah")
        letter = Letter.objects.get(step_run=run)
        assert letter.status == Letter.Status.MENUNGGU_TTE and letter.document is None
    assert len(callbacks) == 1
    callbacks[0]()  # after the commit: BSrE refuses the passphrase
    letter.refresh_from_db()
    assert letter.status == Letter.Status.MENUNGGU_TTE
    assert "Passphrase anda salah" in letter.sign_error and letter.sign_attempts == 1
    assert AuditRecord.objects.filter(action="letter.signing_failed").count() == 1
    client = Client()
    client.force_login(kadis)
    page = client.get(f"/proyek/{project.pk}/naskah/").content.decode()
    assert "menunggu TTE" in page and "Passphrase anda salah" in page
    public = Client().get(f"/verifikasi/{letter.verification_code}/").content.decode()
    assert "Menunggu TTE" in public and "Berlaku" not in public
    # A retry from the letters page with the right passphrase signs it.
    response = client.post(f"/naskah/{letter.pk}/tandatangani/", {"passphrase": "benar"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.BERLAKU and letter.sign_error == ""
    assert letter.document.sha256 == letter.sha256
    assert _signed_by_bsre(pdf_bytes(letter))
    # Nothing left for the command to sign.
    call_command(
        "letters",
        "sign-pending",
        "--username",
        "kadis",
        "--passphrase-stdin",
        stdin=io.StringIO("benar\n"),
    )


def _signed_by_bsre(data: bytes) -> bool:
    return len(PdfFileReader(io.BytesIO(data)).embedded_signatures) == 1


def test_sign_pending_command_signs_what_the_remote_signer_missed(
    fake_bsre, project, team, kadis, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    kadis.nik = "7171010101010001"
    kadis.save()
    settings_url = fake_bsre.server_port
    from django.conf import settings

    settings.SIMPATIK_BSRE_URL = "http://127.0.0.1:9"  # unreachable while completing
    with django_capture_on_commit_callbacks(execute=True):
        complete_current(project, team, passphrase="benar")
    letter = Letter.objects.get(project=project)
    assert (
        letter.status == Letter.Status.MENUNGGU_TTE and "tidak dapat dihubungi" in letter.sign_error
    )
    # No job retries it (it would need the passphrase, which is never stored): the signer is told.
    from simpatik.jobs.models import Job
    from simpatik.notifications.models import Notification

    told = Notification.objects.get(event="surat.menunggu_tte")
    assert told.recipient == kadis and letter.number in told.message
    assert "tidak dapat dihubungi" in told.message
    assert not Job.objects.filter(name__startswith="letters.").exists()
    assert not any("benar" in str(kwargs) for kwargs in Job.objects.values_list("kwargs"))
    settings.SIMPATIK_BSRE_URL = f"http://127.0.0.1:{settings_url}"
    out = io.StringIO()
    call_command(
        "letters",
        "sign-pending",
        "--username",
        "kadis",
        "--passphrase-stdin",
        stdin=io.StringIO("benar\n"),
        stdout=out,
    )
    letter.refresh_from_db()
    assert letter.status == Letter.Status.BERLAKU and letter.number in out.getvalue()


def test_local_signing_works_inside_a_running_event_loop(kadis):
    import asyncio

    from weasyprint import HTML

    pdf = HTML(string="<p>Uji</p>").write_pdf()

    async def sign_in_loop():
        return LocalSigner().sign(pdf, kadis, reason="Uji")

    signed = asyncio.run(sign_in_loop())
    assert len(PdfFileReader(io.BytesIO(signed)).embedded_signatures) == 1


def _left_waiting_by_bsre(fake_bsre, project, team, kadis, capture):
    """A letter issued under BSrE whose signing failed after the commit (service down)."""
    from django.conf import settings

    kadis.nik = "7171010101010001"
    kadis.save()
    settings.SIMPATIK_BSRE_URL = "http://127.0.0.1:9"
    with capture(execute=True):
        complete_current(project, team, passphrase="benar")
    letter = Letter.objects.get(project=project)
    assert letter.status == Letter.Status.MENUNGGU_TTE
    return letter


def test_a_letter_left_waiting_is_signed_by_a_job_once_no_passphrase_is_needed(
    fake_bsre, project, team, kadis, settings, tmp_path, django_capture_on_commit_callbacks
):
    from simpatik.audit.models import AuditRecord
    from simpatik.jobs import services as jobs
    from simpatik.jobs.models import Job
    from simpatik.letters import pki

    letter = _left_waiting_by_bsre(
        fake_bsre, project, team, kadis, django_capture_on_commit_callbacks
    )
    sweep = jobs.enqueue("letters.sign_waiting")
    assert jobs.run(sweep.pk) == "berhasil"  # with BSrE it leaves the letter to its signer
    assert not Job.objects.filter(name="letters.sign").exists()
    settings.SIMPATIK_SIGNER = "local"  # the installation moves to the local CA
    sweep = jobs.enqueue("letters.sign_waiting", key="sapu-2")
    assert jobs.run(sweep.pk) == "berhasil"
    job = Job.objects.get(name="letters.sign")
    assert job.kwargs == {"letter_id": letter.pk} and job.project == project
    assert jobs.run(job.pk) == "berhasil"
    letter.refresh_from_db()
    assert letter.status == Letter.Status.BERLAKU and letter.sign_error == ""
    assert letter.document.sha256 == letter.sha256
    status = _validate(pdf_bytes(letter), pki.ca_certificate_pem(), tmp_path)
    assert status.intact and status.valid and status.trusted
    signed = AuditRecord.objects.get(action="letter.signed")
    assert signed.actor == kadis and signed.via == "worker"  # as the official who issued it
    assert jobs.run(job.pk) == "dilewati"  # never twice


def test_a_sign_job_that_would_need_a_passphrase_fails_at_once(
    fake_bsre, project, team, kadis, django_capture_on_commit_callbacks
):
    from simpatik.jobs import services as jobs

    letter = _left_waiting_by_bsre(
        fake_bsre, project, team, kadis, django_capture_on_commit_callbacks
    )
    job = jobs.enqueue("letters.sign", kwargs={"letter_id": letter.pk})
    assert jobs.run(job.pk) == "gagal"  # no retry can bring a passphrase
    job.refresh_from_db()
    assert job.attempts == 1 and "passphrase" in job.last_error
    letter.refresh_from_db()
    assert letter.status == Letter.Status.MENUNGGU_TTE


def test_an_officials_later_signatures_keep_the_first_ones_space_and_stay_valid(
    team, tmp_path, monkeypatch
):
    """The signer sizes its signature space once (pyHanko's trial signature), then reuses it."""
    from pyhanko.sign.signers.pdf_signer import PdfSigningSession

    from simpatik.core.pdf import html_to_pdf
    from simpatik.letters.signing import identities

    trials = []
    estimate = PdfSigningSession.estimate_signature_container_size

    def counted(self, *args, **kwargs):
        trials.append(1)
        return estimate(self, *args, **kwargs)

    monkeypatch.setattr(PdfSigningSession, "estimate_signature_container_size", counted)
    kadis = team[0]
    identities.forget()
    page = html_to_pdf("<p>Naskah dinas</p>")
    first = LocalSigner().sign(page, kadis, reason="Pertama")
    second = LocalSigner().sign(page, kadis, reason="Kedua")
    ca_pem = Client().get("/pki/ca.pem").content

    def space(data):
        (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
        return len(signature.sig_object["/Contents"])

    assert space(first) == space(second) > 1000
    assert len(trials) == 1
    for data in (first, second):
        status = _validate(data, ca_pem, tmp_path)
        assert (status.intact, status.valid, status.trusted) == (True, True, True)


def test_the_kept_certificate_attribute_is_the_one_pyhanko_builds_in_every_signature(
    team, tmp_path, monkeypatch
):
    """The signing-certificate-v2 attribute is built once per key and read back for each PDF."""
    from pyhanko.sign.attributes import SigningCertificateV2Provider
    from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute

    from simpatik.core.pdf import html_to_pdf
    from simpatik.letters.signing import identities

    built = []
    build = SigningCertificateV2Provider.build_attr_value

    async def counted(self, *args, **kwargs):
        built.append(1)
        return await build(self, *args, **kwargs)

    monkeypatch.setattr(SigningCertificateV2Provider, "build_attr_value", counted)
    kadis = team[0]
    identities.forget()
    first = LocalSigner().sign(html_to_pdf("<p>Naskah dinas</p>"), kadis, reason="Pertama")
    both = LocalSigner().sign(first, kadis, reason="Kedua")
    signatures = PdfFileReader(io.BytesIO(both)).embedded_signatures
    assert [s.field_name for s in signatures] == ["TTE-1", "TTE-2"]
    assert len(built) == 1
    for signature in signatures:
        (kept,) = [
            attribute.dump()
            for attribute in signature.signer_info["signed_attrs"]
            if attribute["type"].native == "signing_certificate_v2"
        ]
        fresh = as_signing_certificate_v2(signature.signer_cert)
        assert kept == simple_cms_attribute("signing_certificate_v2", fresh).dump()
    ca_pem = Client().get("/pki/ca.pem").content
    for status in _validate_all(both, ca_pem, tmp_path):
        assert (status.intact, status.valid, status.trusted) == (True, True, True)


def test_the_installation_report_cites_the_berita_acara_its_author_just_signed(project, team):
    """Completing step 14 the Tim Teknis signs step 13's berita acara as its second party (a new
    version of its file) and issues the installation report, which lists it: the report cites
    the signed version in force, not the one it replaced."""
    from simpatik.letters.tests.helpers import text_of
    from simpatik.projects.models import Document

    walk_to(project, team, 14)
    minutes = Letter.objects.get(project=project, kind="berita_acara_hasil")
    assert minutes.status == Letter.Status.MENUNGGU_PIHAK_KEDUA
    complete_current(project, team)  # step 14, by the Tim Teknis named in the minutes
    minutes.refresh_from_db()
    assert minutes.status == Letter.Status.BERLAKU
    signed = Document.objects.filter(project=project, key=minutes.document.key).latest("version")
    report = text_of(Letter.objects.get(project=project, kind="laporan_instalasi"))
    assert f"versi {signed.version}" in report and signed.sha256[:8] in report


def test_a_berita_acara_does_not_say_its_second_party_signed_and_tells_them_to(project, team):
    """Issued at step 10 and signed by the developer, the minutes wait for the Tim Teknis: the
    page does not read "Ditandatangani" under a name that has not signed, and the Tim Teknis is
    told where to sign."""
    from simpatik.letters.tests.helpers import text_of
    from simpatik.notifications.models import Notification

    walk_to(project, team, 10)
    letter = complete_with_letters(project, team)[0]
    assert letter.status == Letter.Status.MENUNGGU_PIHAK_KEDUA
    text = text_of(letter)
    second = text.index("Yang menerima")
    assert "Tanda tangan elektronik pihak kedua" in text[second:]
    assert "Ditandatangani secara elektronik Nur Paputungan" not in text
    note = Notification.objects.get(recipient=letter.countersigner, event="surat.menunggu_tte")
    assert letter.number in note.message and "pihak kedua" in note.message
    assert note.url == f"/proyek/{project.pk}/naskah/"


def test_anyone_can_type_a_letters_code_to_verify_it(project, team):
    """A printed letter whose QR code cannot be scanned is checked by its code, typed in a form
    the public menu links to; a number alone finds nothing (it would list the register)."""
    letter = complete_with_letters(project, team)[0]
    client = Client()
    assert 'href="/verifikasi/"' in client.get("/katalog/").content.decode()
    assert client.get("/verifikasi/").status_code == 200
    raw = letter.verification_code.replace("-", "").lower()
    found = client.get("/verifikasi/", {"kode": f" {raw[:3]} {raw[3:]} "})
    assert (
        found.status_code == 302 and found["Location"] == f"/verifikasi/{letter.verification_code}/"
    )
    unknown = client.get("/verifikasi/", {"kode": letter.number})
    assert unknown.status_code == 404
    html = unknown.content.decode()
    assert 'aria-invalid="true"' in html and "tidak dikenal" in html
    assert letter.title not in html
