"""Signing PDFs as PAdES. Signers sit behind one small interface, chosen by SIMPATIK_SIGNER.

- `local`: pyHanko with the official's PKCS#12 from the local CA (letters.pki);
- `bsre`: the national signing service (Balai Sertifikasi Elektronik). Its API takes the PDF,
  the signer's NIK and passphrase over HTTP and returns the signed PDF; it cannot run here, so
  it is tested against a local server that answers as its documentation says.
"""

import io

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
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko.sign.fields import SigSeedSubFilter

        from simpatik.letters.pki import enroll, init_ca

        init_ca()  # on first use, as `simpatik pki init` would: a no-op once the CA exists
        p12_path, secret = enroll(user)
        signer = signers.SimpleSigner.load_pkcs12_data(
            p12_path.read_bytes(), other_certs=[], passphrase=secret
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        meta = signers.PdfSignatureMetadata(
            field_name=f"TTE-{len(_existing_signatures(pdf)) + 1}",
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason,
            location=settings.SIMPATIK_KOP["kota"],
            name=user.display_name,
        )
        return _outside_event_loop(lambda: signers.sign_pdf(writer, meta, signer=signer).getvalue())


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
