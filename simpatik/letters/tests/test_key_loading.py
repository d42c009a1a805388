"""Signing keys are opened once per process, and again only when their file changes."""

import gc
import io
import os

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfWriter

from simpatik.letters import pki, signing, warmup
from simpatik.testing.personas import make_user


@pytest.fixture
def key_loads(monkeypatch):
    """How many times a PKCS#12 file is decrypted (the real function runs, it is only counted)."""
    calls = []
    real = pkcs12.load_key_and_certificates

    def counted(data, password, *args, **kwargs):
        calls.append(data)
        return real(data, password, *args, **kwargs)

    monkeypatch.setattr(pkcs12, "load_key_and_certificates", counted)
    signing.identities.forget()
    yield calls
    signing.identities.forget()


@pytest.fixture
def thawed():
    """warm() freezes the heap of the process it starts; the test process is given it back."""
    yield
    gc.unfreeze()


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _signer_serial(pdf: bytes) -> int:
    return PdfFileReader(io.BytesIO(pdf)).embedded_signatures[-1].signer_cert.serial_number


def _p12_serial(user) -> int:
    p12_path, passphrase = pki.enroll(user)
    return pkcs12.load_key_and_certificates(p12_path.read_bytes(), passphrase)[1].serial_number


def test_a_signers_key_is_loaded_once_and_again_after_its_file_is_replaced(sop, key_loads):
    official = make_user("penanda_kunci", ["kadis"])
    signer = signing.LocalSigner()
    first = signer.sign(_blank_pdf(), official, reason="Uji")
    second = signer.sign(first, official, reason="Uji")
    assert len(key_loads) == 1
    old_serial = _p12_serial(official)
    assert _signer_serial(first) == _signer_serial(second) == old_serial

    p12_path, _passphrase = pki.identity_paths(official.username)
    p12_path.unlink()  # the official's certificate is renewed: a new key in a new file
    new_serial = _p12_serial(official)
    assert new_serial != old_serial
    loads_before = len(key_loads)
    third = signer.sign(second, official, reason="Uji")
    assert _signer_serial(third) == new_serial
    assert len(key_loads) == loads_before + 1
    signer.sign(third, official, reason="Uji")
    assert len(key_loads) == loads_before + 1


def test_a_key_rewritten_in_place_is_loaded_again(sop, key_loads):
    official = make_user("penanda_tulis", ["kabid"])
    signer = signing.LocalSigner()
    signer.sign(_blank_pdf(), official, reason="Uji")
    p12_path, _passphrase = pki.identity_paths(official.username)
    stat = p12_path.stat()
    p12_path.write_bytes(p12_path.read_bytes())  # same inode and size: only the time moves
    os.utime(p12_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    signer.sign(_blank_pdf(), official, reason="Uji")
    assert len(key_loads) == 2


def test_the_ca_key_is_opened_once_while_its_file_stays_the_same(sop, monkeypatch):
    pki.init_ca()
    opened = []
    real = pki._load_ca_key
    monkeypatch.setattr(pki, "_load_ca_key", lambda path: opened.append(path) or real(path))
    monkeypatch.setattr(pki, "_ca_checked", None)
    for _ in range(3):
        assert pki.init_ca() is False
    assert len(opened) == 1
    key_path, _cert = pki.ca_paths()
    stat = key_path.stat()
    os.utime(key_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    pki.init_ca()
    assert len(opened) == 2


def test_warming_up_opens_every_officials_key_so_their_first_letter_opens_none(
    sop, key_loads, thawed
):
    official = make_user("penanda_panas", ["kasie"])
    pki.init_ca()
    pki.enroll(official)
    enrolled = len(list((pki.pki_dir() / "signers").glob("*.p12")))
    warmup.warm()
    assert len(key_loads) == enrolled
    signing.LocalSigner().sign(_blank_pdf(), official, reason="Uji")
    assert len(key_loads) == enrolled


def test_warming_up_lays_out_a_throwaway_letter_of_every_kind_in_memory(
    sop, monkeypatch, caplog, thawed
):
    from simpatik.core import pdf as engine
    from simpatik.letters.kinds import KINDS
    from simpatik.letters.models import Letter

    laid_out = []
    real = engine.html_to_pdf
    monkeypatch.setattr(engine, "html_to_pdf", lambda html: laid_out.append(html) or real(html))
    warmup.warm()
    assert "Pemanasan naskah dinas gagal" not in caplog.text
    # every kind, then the first again with two signers and as a draft (its watermark)
    assert len(laid_out) == len(KINDS) + 2
    assert all('content="letters/letter.css"' in html for html in laid_out)
    assert "Pihak Kedua" in laid_out[-2] and 'class="draf-tanda"' in laid_out[-1]
    assert Letter.objects.count() == 0
    assert gc.get_freeze_count() > 0  # what the start loaded is out of the collector's way
