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
from simpatik.letters.signing import BsreSigner, LocalSigner
from simpatik.letters.tests.helpers import issue_current


def _validate(data: bytes, ca_pem: bytes, tmp_path):
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(ca_pem)
    context = ValidationContext(
        trust_roots=[load_cert_from_pemder(str(ca_file))], allow_fetching=False
    )
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    return validate_pdf_signature(signature, context)


def test_signature_is_intact_valid_and_trusted_against_the_published_ca(project, team, tmp_path):
    letter = issue_current(project, team)[0]
    ca_pem = Client().get("/pki/ca.pem").content
    assert ca_pem.startswith(b"-----BEGIN CERTIFICATE-----")
    with letter.open() as handle:
        data = handle.read()
    status = _validate(data, ca_pem, tmp_path)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert "Aang Wardiman" in status.signing_cert.subject.human_friendly


def test_a_changed_byte_breaks_the_signature(project, team, tmp_path):
    letter = issue_current(project, team)[0]
    with letter.open() as handle:
        data = bytearray(handle.read())
    position = data.index(b"/Type /Page") if b"/Type /Page" in data else 400
    data[position + 1] ^= 0xFF  # always a different byte
    status = _validate(bytes(data), Client().get("/pki/ca.pem").content, tmp_path)
    assert not status.intact or not status.valid


def test_a_signature_from_another_ca_is_not_trusted(project, team, tmp_path, settings):
    from simpatik.letters import pki

    letter = issue_current(project, team)[0]
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
    letter = issue_current(project, team)[0]
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

    original = issue_current(project, team)[0]
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
