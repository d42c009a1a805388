"""Checks uploaded files by their content (not their name) and cleans their names."""

import io
import re
import time
import unicodedata
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpatik.core import archives
from simpatik.core.errors import ValidationError

# Kinds of file an SOP item may accept (`accept:` in the YAML): sniffed extensions, the file
# input's accept attribute, and the words for people.
FILE_KINDS = {
    "pdf": ({"pdf"}, ".pdf,application/pdf", gettext_lazy("PDF")),
    "office": (
        {"doc", "docx", "xlsx", "pptx", "odt", "ods", "odp"},
        ".doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp",
        gettext_lazy("dokumen Office/ODF"),
    ),
    "image": ({"png", "jpg", "gif", "webp"}, "image/*", gettext_lazy("gambar")),
    "zip": ({"zip"}, ".zip,application/zip", gettext_lazy("arsip .zip")),
    "tar.gz": ({"tar.gz"}, ".tar.gz,.tgz,application/gzip", gettext_lazy("arsip .tar.gz")),
}
DEFAULT_ACCEPT = ("pdf", "office", "image")
_MIMETYPE_CAP = 256  # an ODF `mimetype` member is one short line; a bigger one is not ODF


def accept_attribute(accept=DEFAULT_ACCEPT) -> str:
    return ",".join(FILE_KINDS[kind][1] for kind in accept)


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
        return _sniff_office(whole)
    return None


def _sniff_office(whole: bytes) -> tuple[str, str] | None:
    """OOXML or ODF told by member names and a size-capped `mimetype` (a bomb reads nothing big);
    one found is then held to the archive limits as a zip is (an Office file is a zip: a 510 KB
    .docx that inflates to 500 MB was taken)."""
    found = _office_kind(whole)
    if found is not None:
        archives.check_zip(io.BytesIO(whole), whole, archives.Limits.from_settings())
    return found


def _office_kind(whole: bytes) -> tuple[str, str] | None:
    limits = archives.Limits.from_settings()
    try:
        with archives.open_zip(io.BytesIO(whole), whole, limits) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                data = archives.read_member(archive, archive.getinfo("mimetype"), _MIMETYPE_CAP)
                kind = _ODF.get((data or b"").strip())
                if kind:
                    return kind, data.strip().decode()
            if "[Content_Types].xml" in names:
                for prefix, found in _OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return found
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError, NotImplementedError):
        return None
    return None


def _sniff_archive(content: bytes, accept) -> tuple[str, str] | None:
    """A zip or tar.gz that the item accepts, inspected in full within the archive limits."""
    limits = archives.Limits.from_settings()
    if "zip" in accept and content.startswith(b"PK\x03\x04"):
        archives.check_zip(io.BytesIO(content), content, limits)
        return "zip", "application/zip"
    if "tar.gz" in accept and content.startswith(b"\x1f\x8b"):
        archives.check_tar_gz(content, limits)
        return "tar.gz", "application/gzip"
    return None


def clean_filename(name: str, extension: str) -> str:
    """A safe base name: no path, no control characters, ASCII, with the sniffed extension."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    double = [s for s in (".tar.gz", ".tgz") if extension == "tar.gz" and base.lower().endswith(s)]
    if double:
        stem = base[: -len(double[0])]
    else:
        stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "_", stem).strip(" ._-")[:100] or "dokumen"
    return f"{stem}.{extension}"


def check_upload(uploaded, *, max_bytes: int, accept=DEFAULT_ACCEPT) -> tuple[bytes, str, str, str]:
    """Read an uploaded file and return (content, clean name, extension, mime) or refuse it.

    `accept` names kinds of FILE_KINDS (an SOP item's `accept:`); archives are inspected whole.
    """
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
    found = sniff(content[:16], content) or _sniff_archive(content, accept)
    allowed = set().union(*(FILE_KINDS[kind][0] for kind in accept))
    if found is None or found[0] not in allowed:
        raise ValidationError(
            _("Jenis berkas tidak diterima: unggah %(kinds)s.")
            % {"kinds": ", ".join(str(FILE_KINDS[kind][2]) for kind in accept)},
            code="file_type",
        )
    extension, mime = found
    return content, clean_filename(uploaded.name or "dokumen", extension), extension, mime


def remove_older(root: Path, hours: float) -> int:
    """Remove the plain files in `root` last changed more than `hours` ago; returns how many (a
    file another process removed meanwhile is skipped)."""
    if not root.is_dir():
        return 0
    cutoff = time.time() - hours * 3600
    removed = 0
    for path in root.iterdir():
        try:
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime <= cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
