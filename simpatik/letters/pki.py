"""A local certificate authority for installations without the national signing service (BSrE).

`simpatik pki init` makes the CA; each signer gets a PKCS#12 (key + certificate) enrolled on first
use. The files live in SIMPATIK_PKI_DIR (0600), encrypted: the CA key as an encrypted PEM, each
PKCS#12 under a passphrase derived from SIMPATIK_KEY_ENCRYPTION_KEY, a secret kept outside the
data directory (environment or *_FILE). A copy of the data directory alone signs nothing.
Files written before encryption (plain CA key, passphrase files) are encrypted on first use.
"""

import datetime as dt
import hashlib
import hmac
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from simpatik.core.errors import Conflict
from simpatik.core.secrets import write_private

KEY_MISSING = (
    "Kunci enkripsi PKI belum diatur: isi SIMPATIK_KEY_ENCRYPTION_KEY atau "
    "SIMPATIK_KEY_ENCRYPTION_KEY_FILE (berkas di luar direktori data)."
)


def pki_dir() -> Path:
    return Path(settings.SIMPATIK_PKI_DIR)


def encryption_key() -> bytes:
    """The secret that unlocks the keys; a development run (DEBUG) derives one from SECRET_KEY."""
    secret = settings.SIMPATIK_KEY_ENCRYPTION_KEY
    if not secret and settings.SIMPATIK_DEV_KEYS:
        secret = "dev:" + settings.SECRET_KEY
    if not secret:
        raise Conflict(KEY_MISSING, code="pki_key_missing")
    return hashlib.sha256(b"simpatik-pki-v1:" + secret.encode()).digest()


def _passphrase(purpose: str) -> bytes:
    digest = hmac.new(encryption_key(), purpose.encode(), hashlib.sha256).hexdigest()
    return digest.encode()


def _load_ca_key(key_path: Path):
    data = key_path.read_bytes()
    if b"ENCRYPTED" in data.split(b"\n", 1)[0]:
        return serialization.load_pem_private_key(data, password=_passphrase("ca"))
    key = serialization.load_pem_private_key(data, password=None)
    _write_ca_key(key_path, key)  # a key from before encryption: encrypted now
    return key


def _write_ca_key(key_path: Path, key) -> None:
    write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(_passphrase("ca")),
        ),
    )


def ca_paths() -> tuple[Path, Path]:
    return pki_dir() / "ca.key", pki_dir() / "ca.pem"


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


def file_version(path: Path, *extra) -> tuple:
    """What changes when the file is replaced or rewritten: inode, size, modification time."""
    stat = path.stat()
    return (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, *extra)


# The CA key file last proven to open (decrypting a 3072-bit key costs a quarter of a second):
# every letter checks the CA, but only a changed file is opened again.
_ca_checked: tuple | None = None
_ca_lock = threading.Lock()


def init_ca() -> bool:
    """Create the CA if there is none; True when one was made."""
    global _ca_checked
    key_path, cert_path = ca_paths()
    if key_path.exists() and cert_path.exists():
        secret = hashlib.sha256(encryption_key()).digest()
        with _ca_lock:
            if _ca_checked != file_version(key_path, secret):
                _load_ca_key(key_path)  # proves the key opens, and encrypts an old plain one
                _ca_checked = file_version(key_path, secret)
        return False
    encryption_key()  # refuse before making anything when the secret is missing
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
    _write_ca_key(key_path, key)
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
    """The signer's PKCS#12, and where its passphrase was kept before encryption (read once)."""
    base = pki_dir() / "signers"
    return base / f"{username}.p12", base / f"{username}.pass"


def signer_passphrase(username: str) -> bytes:
    return _passphrase(f"signer:{username}")


def _upgrade_identity(p12_path: Path, pass_path: Path, username: str) -> None:
    """A PKCS#12 whose passphrase sat next to it: re-encrypted under the derived one."""
    key, cert, extra = pkcs12.load_key_and_certificates(
        p12_path.read_bytes(), pass_path.read_bytes()
    )
    data = pkcs12.serialize_key_and_certificates(
        username.encode(),
        key,
        cert,
        extra,
        serialization.BestAvailableEncryption(signer_passphrase(username)),
    )
    write_private(p12_path, data)
    pass_path.unlink()


def enroll(user) -> tuple[Path, bytes]:
    """The user's PKCS#12 and passphrase, issuing a certificate from the local CA when needed."""
    p12_path, pass_path = identity_paths(user.username)
    if p12_path.exists():
        if pass_path.exists():
            _upgrade_identity(p12_path, pass_path, user.username)
        return p12_path, signer_passphrase(user.username)
    key_path, cert_path = ca_paths()
    if not key_path.exists():
        raise Conflict(
            "PKI lokal belum disiapkan: jalankan `simpatik pki init`.", code="pki_missing"
        )
    ca_key = _load_ca_key(key_path)
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
    passphrase = signer_passphrase(user.username)
    data = pkcs12.serialize_key_and_certificates(
        user.username.encode(),
        key,
        cert,
        [ca_cert],
        serialization.BestAvailableEncryption(passphrase),
    )
    write_private(p12_path, data)
    return p12_path, passphrase
