"""Signing PDFs as PAdES. Signers sit behind one small interface, chosen by SIMPATIK_SIGNER.

- `local`: pyHanko with the official's PKCS#12 from the local CA (letters.pki);
- `bsre`: the national signing service (Balai Sertifikasi Elektronik). Its API takes the PDF,
  the signer's NIK and passphrase over HTTP and returns the signed PDF; it cannot run here, so
  it is tested against a local server that answers as its documentation says.
"""

import hashlib
import io
import threading
from pathlib import Path

from django.conf import settings

from simpatik.core.errors import Conflict, ValidationError
from simpatik.core.http import call


def _bsre_unreachable(_detail: str) -> Conflict:
    return Conflict(
        "Layanan TTE BSrE tidak dapat dihubungi; coba lagi nanti.", code="bsre_unreachable"
    )


class Signer:
    """sign(pdf, user, reason, passphrase) -> signed PDF bytes, one more PAdES signature.

    A signature is added as an incremental revision, so the signatures already in the PDF (the
    first party of a berita acara) stay valid. `needs_passphrase`: the signer types a secret at
    signing time, and signing is a network call made after the database commit.
    """

    needs_passphrase = False

    def sign(self, pdf: bytes, user, *, reason: str, passphrase: str | None = None) -> bytes:
        raise NotImplementedError


class LocalSigner(Signer):
    def sign(self, pdf, user, *, reason, passphrase=None):
        from simpatik.letters.pki import enroll, init_ca

        init_ca()  # on first use, as `simpatik pki init` would: a no-op once the CA exists
        p12_path, secret = enroll(user)
        return sign_with(identities.signer(p12_path, secret), pdf, reason, user.display_name)


def sign_with(signer, pdf: bytes, reason: str, name: str) -> bytes:
    """One more PAdES signature by a loaded pyHanko signer, as an incremental revision."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        # The writer has read the PDF already: its signatures are counted without reading again.
        field_name=f"TTE-{len(writer.prev.embedded_signatures) + 1}",
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=settings.SIMPATIK_KOP["kota"],
        name=name,
    )
    # pyHanko makes a trial signature to size the space it leaves for the signature, unless it is
    # told: a signer's signatures are all of one size (the same key, certificates and kinds of
    # signed attributes), so the space its first one was given is kept for the next ones.
    reserved = getattr(signer, "simpatik_bytes_reserved", None)
    signed = _outside_event_loop(
        lambda: signers.sign_pdf(writer, meta, signer=signer, bytes_reserved=reserved).getvalue()
    )
    if reserved is None:
        contents = _existing_signatures(signed)[-1].sig_object["/Contents"]
        signer.simpatik_bytes_reserved = 2 * len(contents)  # hexadecimal digits in the file
    return signed


class Identities:
    """Signers' PKCS#12 files, each opened once per process and again only when it changes.

    Opening one (decrypting it, checking the RSA key) costs tens of milliseconds; a letter is
    signed by the same few officials all day. The file's inode, size and modification time (and
    the passphrase) say whether the kept signer is still the one on disk: a replaced or renewed
    key is used from the next signature on.
    """

    def __init__(self):
        self._kept: dict[str, tuple[tuple, object]] = {}
        self._lock = threading.Lock()

    def signer(self, p12_path: Path, passphrase: bytes):
        from simpatik.letters.pki import file_version

        version = file_version(p12_path, hashlib.sha256(passphrase).digest())
        with self._lock:
            kept = self._kept.get(str(p12_path))
            if kept is None or kept[0] != version:
                kept = (version, _load_pkcs12(p12_path.read_bytes(), passphrase))
                self._kept[str(p12_path)] = kept
            return kept[1]

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()


identities = Identities()


def _load_pkcs12(data: bytes, passphrase: bytes):
    """A pyHanko signer that parses its private key once, not twice for every PDF."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers
    from pyhanko.sign.attributes import SigningCertificateV2Provider
    from pyhanko.sign.general import get_pyca_cryptography_hash

    kept_attributes: dict[str, bytes] = {}

    class KeptKeySigner(signers.SimpleSigner):
        # pyHanko's SimpleSigner loads its key again from DER (an RSA consistency check of tens
        # of milliseconds) for every raw signature, and makes two per PDF (a size estimate and
        # the real one). Here the key loaded once signs, for RSA with PKCS#1 v1.5 padding (what
        # the local CA issues); anything else goes the library's way.
        def _signed_attr_providers(self, *args, **kwargs):
            # The signing-certificate-v2 attribute (the hash, issuer and serial of the signer's
            # certificate) is the same in every signature of this key, and building it afresh
            # made asn1crypto re-encode it several times over: two thirds of a signature's
            # time. It is built once and read back from its DER; the other attributes (the
            # document's digest among them) are built for each signature as pyHanko does.
            for provider in super()._signed_attr_providers(*args, **kwargs):
                if type(provider) is SigningCertificateV2Provider:
                    provider = _KeptAttribute(provider, kept_attributes)
                yield provider

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algorithm = mechanism.signature_algo
            except ValueError:
                algorithm = mechanism["algorithm"].native
            if algorithm == "rsassa_pkcs1v15" and isinstance(private_key, RSAPrivateKey):
                hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
                return private_key.sign(data, PKCS1v15(), hash_algorithm)
            return super().sign_raw(data, digest_algorithm)

    loaded = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase)
    private_key = serialization.load_der_private_key(loaded.signing_key.dump(), password=None)
    return KeptKeySigner(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
    )


class _KeptAttribute:
    """A signed attribute that is the same for every signature of one key: its DER, kept."""

    def __init__(self, provider, kept: dict[str, bytes]):
        self.provider, self.kept = provider, kept
        self.attribute_type = provider.attribute_type

    async def get_attribute(self, dry_run=False):
        from asn1crypto import cms

        der = self.kept.get(self.attribute_type)
        if der is None:
            attribute = await self.provider.get_attribute(dry_run=dry_run)
            der = self.kept[self.attribute_type] = attribute.dump()
        return cms.CMSAttribute.load(der)


def _outside_event_loop(function):
    """pyHanko signs with asyncio.run, which refuses to run inside a running event loop (an
    ASGI worker, Playwright's thread in tests): there, sign in a worker thread instead."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


def _existing_signatures(pdf: bytes) -> list:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(pdf)).embedded_signatures


class BsreSigner(Signer):
    """POST {SIMPATIK_BSRE_URL}/api/sign/pdf, multipart: file, nik, passphrase, tampilan=invisible."""

    needs_passphrase = True

    def sign(self, pdf, user, *, reason, passphrase=None):
        if not settings.SIMPATIK_BSRE_URL:
            raise Conflict(
                "Layanan TTE BSrE belum dikonfigurasi (SIMPATIK_BSRE_URL).", code="bsre_missing"
            )
        if not getattr(user, "nik", ""):
            raise ValidationError("NIK penanda tangan belum tercatat.", code="nik_missing")
        if not passphrase:
            raise ValidationError("Passphrase TTE wajib diisi.", code="passphrase_required")
        response = call(
            "POST",
            settings.SIMPATIK_BSRE_URL,
            "/api/sign/pdf",
            service="Layanan TTE BSrE",
            error=_bsre_unreachable,
            timeout=60,
            files={"file": ("dokumen.pdf", pdf, "application/pdf")},
            data={"nik": user.nik, "passphrase": passphrase, "tampilan": "invisible"},
            auth=(settings.SIMPATIK_BSRE_USER, settings.SIMPATIK_BSRE_PASSWORD),
        )
        if response.status_code == 200 and response.content.startswith(b"%PDF"):
            return response.content
        try:
            detail = response.json().get("error") or response.text[:200]
        except ValueError:
            detail = response.text[:200]
        raise ValidationError(f"Penandatanganan BSrE gagal: {detail}", code="bsre_refused")


NAMES = ("local", "bsre")  # SIMPATIK_SIGNER (checked at start-up)


def get_signer() -> Signer:
    return {"local": LocalSigner, "bsre": BsreSigner}[settings.SIMPATIK_SIGNER]()
