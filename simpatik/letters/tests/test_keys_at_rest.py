"""Signing keys are encrypted at rest with a secret kept outside the data directory."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from simpatik.core.errors import Conflict
from simpatik.letters import pki


def test_the_ca_key_and_each_signer_key_are_encrypted_and_no_passphrase_is_on_disk(kadis):
    pki.init_ca()
    key_path, _cert = pki.ca_paths()
    assert key_path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    p12_path, passphrase = pki.enroll(kadis)
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(p12_path.read_bytes(), None)
    key, cert, _extra = pkcs12.load_key_and_certificates(p12_path.read_bytes(), passphrase)
    assert key is not None and cert is not None
    assert list(pki.pki_dir().rglob("*.pass")) == []
    for path in (key_path, p12_path):
        assert path.stat().st_mode & 0o777 == 0o600


def test_without_the_encryption_secret_nothing_is_signed_or_made(settings, kadis, tmp_path):
    settings.SIMPATIK_KEY_ENCRYPTION_KEY = ""
    settings.SIMPATIK_DEV_KEYS = False
    settings.SIMPATIK_PKI_DIR = tmp_path / "pki"
    with pytest.raises(Conflict) as caught:
        pki.init_ca()
    assert caught.value.code == "pki_key_missing" and not (tmp_path / "pki" / "ca.key").exists()


def test_keys_written_before_encryption_are_encrypted_on_first_use(settings, kadis, tmp_path):
    pki.init_ca()
    key_path, cert_path = pki.ca_paths()
    ca_key = pki._load_ca_key(key_path)
    legacy = tmp_path / "pki"
    (legacy / "signers").mkdir(parents=True)
    (legacy / "ca.key").write_bytes(
        ca_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (legacy / "ca.pem").write_bytes(cert_path.read_bytes())
    settings.SIMPATIK_PKI_DIR = legacy
    old_p12, _ = pki.enroll(kadis)  # made encrypted; turn it back into the old layout
    key, cert, extra = pkcs12.load_key_and_certificates(
        old_p12.read_bytes(), pki.signer_passphrase(kadis.username)
    )
    old_p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"kadis", key, cert, extra, serialization.BestAvailableEncryption(b"lama")
        )
    )
    (legacy / "signers" / "kadis.pass").write_bytes(b"lama")
    (legacy / "ca.key").write_bytes(
        ca_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    assert pki.init_ca() is False
    p12_path, passphrase = pki.enroll(kadis)
    assert (legacy / "ca.key").read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert not (legacy / "signers" / "kadis.pass").exists()
    assert pkcs12.load_key_and_certificates(p12_path.read_bytes(), passphrase)[1] == cert
