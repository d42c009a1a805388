"""A local certificate authority for installations without the national signing service (BSrE).

`simpatik pki init` makes the CA; each signer gets a PKCS#12 (key + certificate) enrolled on first
use. Keys and passphrases live in SIMPATIK_PKI_DIR, readable by the server only (0600).
"""

import datetime as dt
import os
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from simpatik.core.errors import Conflict


def pki_dir() -> Path:
    return Path(settings.SIMPATIK_PKI_DIR)


def ca_paths() -> tuple[Path, Path]:
    return pki_dir() / "ca.key", pki_dir() / "ca.pem"


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _name(common_name: str, unit: str = "") -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(
            NameOID.ORGANIZATION_NAME, settings.SIMPATIK_KOP["pemerintah"].title()[:64]
        ),
    ]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit[:64]))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    return x509.Name(parts)


def init_ca() -> bool:
    """Create the CA if there is none; True when one was made."""
    key_path, cert_path = ca_paths()
    if key_path.exists() and cert_path.exists():
        return False
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    now = dt.datetime.now(dt.UTC)
    name = _name("SIMPATIK CA Diskominfo Bolaang Mongondow Utara")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return True


def ca_certificate_pem() -> bytes:
    _key_path, cert_path = ca_paths()
    if not cert_path.exists():
        raise Conflict(
            "PKI lokal belum disiapkan: jalankan `simpatik pki init`.", code="pki_missing"
        )
    return cert_path.read_bytes()


def identity_paths(username: str) -> tuple[Path, Path]:
    base = pki_dir() / "signers"
    return base / f"{username}.p12", base / f"{username}.pass"


def enroll(user) -> tuple[Path, bytes]:
    """The user's PKCS#12 and passphrase, issuing a certificate from the local CA when needed."""
    p12_path, pass_path = identity_paths(user.username)
    if p12_path.exists() and pass_path.exists():
        return p12_path, pass_path.read_bytes()
    key_path, cert_path = ca_paths()
    if not key_path.exists():
        raise Conflict(
            "PKI lokal belum disiapkan: jalankan `simpatik pki init`.", code="pki_missing"
        )
    ca_key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    ca_cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(user.display_name, user.jabatan or ""))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    passphrase = secrets.token_urlsafe(24).encode()
    data = pkcs12.serialize_key_and_certificates(
        user.username.encode(),
        key,
        cert,
        [ca_cert],
        serialization.BestAvailableEncryption(passphrase),
    )
    _write_private(p12_path, data)
    _write_private(pass_path, passphrase)
    return p12_path, passphrase
