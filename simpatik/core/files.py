"""Checks uploaded files by their content (not their name) and cleans their names."""

import io
import re
import unicodedata
import zipfile

from django.utils.translation import gettext as _

from simpatik.core.errors import ValidationError

# Office Open XML and OpenDocument are zip files; their content type is told by members inside.
_OOXML = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
_ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}


def sniff(head: bytes, whole: bytes | None = None) -> tuple[str, str] | None:
    """Return (extension, mime type) for an accepted document, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg", "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif", "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", "image/webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc", "application/msword"  # legacy Office (doc/xls/ppt) compound file
    if head.startswith(b"PK\x03\x04") and whole is not None:
        try:
            with zipfile.ZipFile(io.BytesIO(whole)) as archive:
                names = archive.namelist()
                if "mimetype" in names:
                    kind = _ODF.get(archive.read("mimetype").strip())
                    if kind:
                        return kind, archive.read("mimetype").decode()
                if "[Content_Types].xml" in names:
                    for prefix, found in _OOXML.items():
                        if any(name.startswith(prefix) for name in names):
                            return found
        except (zipfile.BadZipFile, KeyError, ValueError):
            return None
    return None


def clean_filename(name: str, extension: str) -> str:
    """A safe base name: no path, no control characters, ASCII, with the sniffed extension."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "_", stem).strip(" ._-")[:100] or "dokumen"
    return f"{stem}.{extension}"


def check_upload(uploaded, *, max_bytes: int) -> tuple[bytes, str, str, str]:
    """Read an uploaded file and return (content, clean name, extension, mime) or refuse it."""
    if uploaded is None:
        raise ValidationError(_("Berkas tidak dikirim."), code="file_missing")
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise ValidationError(
            _("Berkas terlalu besar: paling besar %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)},
            code="file_too_large",
        )
    content = uploaded.read()
    if len(content) > max_bytes:
        raise ValidationError(
            _("Berkas terlalu besar: paling besar %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)},
            code="file_too_large",
        )
    if not content:
        raise ValidationError(_("Berkas kosong."), code="file_empty")
    found = sniff(content[:16], content)
    if found is None:
        raise ValidationError(
            _("Jenis berkas tidak diterima: unggah PDF, dokumen Office/ODF, atau gambar."),
            code="file_type",
        )
    extension, mime = found
    return content, clean_filename(uploaded.name or "dokumen", extension), extension, mime
