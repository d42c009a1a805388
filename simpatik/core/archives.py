"""Inspecting uploaded zip and tar.gz archives without ever holding much of them inflated.

An archive is hostile input: a 1 MB zip can inflate to gigabytes, name `../../etc/passwd`,
carry a symlink out of its folder or a device node. Every member is read in bounded chunks,
the inflated total, the ratio to the upload and the member count are capped, and tar headers
are parsed here (the standard tarfile reads a pax or GNU long-name header whole into memory).
"""

import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from simpatik.core.errors import ValidationError

CHUNK = 64 * 1024
_RATIO_FLOOR = 1024 * 1024  # tiny archives of repetitive text may inflate far; that is harmless
_META_CAP = 64 * 1024  # a pax header, GNU long name or symlink target longer than this is hostile
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # bz2/lzma inflate unboundedly per call


class ArchiveError(ValidationError):
    """An archive refused for its content; the code says which rule it broke."""


@dataclass(frozen=True)
class Limits:
    inflated: int
    ratio: int
    members: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            inflated=settings.SIMPATIK_ARCHIVE_MAX_INFLATED_MB * 1024 * 1024,
            ratio=settings.SIMPATIK_ARCHIVE_MAX_RATIO,
            members=settings.SIMPATIK_ARCHIVE_MAX_MEMBERS,
        )


class _Budget:
    """Counts inflated bytes and members against the limits; refuses as soon as one is passed."""

    def __init__(self, compressed_size: int, limits: Limits):
        self.compressed, self.limits, self.inflated, self.members = compressed_size, limits, 0, 0

    def spend(self, size: int) -> None:
        self.inflated += size
        if self.inflated > self.limits.inflated:
            raise ArchiveError(
                _("Arsip terlalu besar setelah dibuka: paling besar %(mb)d MB.")
                % {"mb": self.limits.inflated // (1024 * 1024)},
                code="archive_too_large",
            )
        if self.inflated > _RATIO_FLOOR and self.inflated > self.limits.ratio * max(
            self.compressed, 1
        ):
            raise ArchiveError(
                _("Arsip mengembang tidak wajar (lebih dari %(ratio)d kali ukurannya).")
                % {"ratio": self.limits.ratio},
                code="archive_ratio",
            )

    def member(self, name: str) -> None:
        self.members += 1
        if self.members > self.limits.members:
            raise _too_many(self.limits)
        if _escapes(name, base=""):
            raise ArchiveError(
                _("Arsip berisi jalur yang tidak aman: %(name)s") % {"name": name[:200]},
                code="archive_unsafe_path",
            )


def _escapes(target: str, *, base: str) -> bool:
    """True for an absolute path, a drive letter, or one that climbs out of the archive."""
    target = target.replace("\\", "/")
    if target.startswith("/") or re.match(r"^[A-Za-z]:", target) or "\x00" in target:
        return True
    normal = posixpath.normpath(posixpath.join(base, target)) if target else "."
    return normal == ".." or normal.startswith("../")


def _too_many(limits: Limits) -> ArchiveError:
    return ArchiveError(
        _("Arsip berisi terlalu banyak berkas: paling banyak %(n)d.") % {"n": limits.members},
        code="archive_too_many_members",
    )


def _unsafe_link(name: str) -> ArchiveError:
    return ArchiveError(
        _("Arsip berisi tautan yang keluar dari arsip: %(name)s") % {"name": name[:200]},
        code="archive_unsafe_link",
    )


def zip_entry_count(content: bytes) -> int:
    """Central directory records, counted in the raw bytes before zipfile builds an object each."""
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 65557))
    if end < 0:
        return 0
    size = int.from_bytes(content[end + 12 : end + 16], "little")
    start = 0 if size == 0xFFFFFFFF else max(0, end - size)
    return content.count(b"PK\x01\x02", start, end)


def open_zip(file, content: bytes, limits: Limits) -> zipfile.ZipFile:
    """A ZipFile, once the member count is known to be within the limit."""
    if zip_entry_count(content) > limits.members:
        raise _too_many(limits)
    return zipfile.ZipFile(file)


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes | None:
    """A member's bytes if it inflates to at most `cap` bytes, else None; never more in memory."""
    if info.compress_type not in _ZIP_METHODS or info.flag_bits & 0x1:
        return None
    with archive.open(info) as member:
        data = member.read(cap + 1)
    return data if len(data) <= cap else None


def check_zip(file, content: bytes, limits: Limits) -> None:
    budget = _Budget(len(content), limits)
    try:
        with open_zip(file, content, limits) as archive:
            for info in archive.infolist():
                budget.member(info.filename)
                if info.flag_bits & 0x1:
                    raise ArchiveError(
                        _("Arsip terenkripsi tidak dapat diperiksa."), code="archive_encrypted"
                    )
                if info.compress_type not in _ZIP_METHODS:
                    raise ArchiveError(
                        _("Arsip memakai kompresi yang tidak didukung: %(name)s")
                        % {"name": info.filename[:200]},
                        code="archive_method",
                    )
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    target = read_member(archive, info, _META_CAP)
                    if target is None or _escapes(
                        target.decode("utf-8", "replace"), base=posixpath.dirname(info.filename)
                    ):
                        raise _unsafe_link(info.filename)
                elif stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    raise _special(info.filename)
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        budget.spend(len(chunk))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise _broken() from exc


def _special(name: str) -> ArchiveError:
    return ArchiveError(
        _("Arsip berisi berkas perangkat atau berkas khusus: %(name)s") % {"name": name[:200]},
        code="archive_special_file",
    )


def _broken() -> ArchiveError:
    return ArchiveError(_("Arsip rusak atau tidak dapat dibaca."), code="archive_broken")


class _Gunzip:
    """Reads a gzip stream (several members allowed) in bounded steps, spending the budget."""

    def __init__(self, content: bytes, budget: _Budget):
        self.source, self.position, self.budget = memoryview(content), 0, budget
        self.inflater, self.pending = zlib.decompressobj(16 + zlib.MAX_WBITS), b""

    def read(self, size: int) -> bytes:
        out = bytearray()
        while len(out) < size:
            if self.inflater.eof:
                rest = self.inflater.unused_data
                if not rest and self.position >= len(self.source):
                    break
                self.inflater, self.pending = zlib.decompressobj(16 + zlib.MAX_WBITS), rest
            if not self.pending:
                if self.position >= len(self.source):
                    raise _broken()  # the stream ends inside a gzip member
                self.pending = bytes(self.source[self.position : self.position + CHUNK])
                self.position += CHUNK
            data = self.inflater.decompress(self.pending, min(size - len(out), CHUNK))
            self.pending = self.inflater.unconsumed_tail
            self.budget.spend(len(data))
            out += data
        return bytes(out)

    def skip(self, size: int) -> None:
        while size > 0:
            data = self.read(min(size, CHUNK))
            if not data:
                raise _broken()
            size -= len(data)


def _number(field: bytes) -> int:
    if field[:1] and field[0] & 0x80:  # GNU base-256 for big sizes
        return int.from_bytes(bytes([field[0] & 0x7F]) + field[1:], "big")
    text = field.replace(b"\x00", b" ").strip()
    try:
        return int(text, 8) if text else 0
    except ValueError as exc:
        raise _broken() from exc


def _text(field: bytes) -> str:
    return field.split(b"\x00", 1)[0].decode("utf-8", "replace")


def _pax(data: bytes) -> dict[str, str]:
    found = {}
    while data:
        length, _space, rest = data.partition(b" ")
        if not length.isdigit() or int(length) < len(length) + 1:
            raise _broken()
        record = rest[: int(length) - len(length) - 1]
        key, _eq, value = record.rstrip(b"\n").partition(b"=")
        found[key.decode("utf-8", "replace")] = value.decode("utf-8", "replace")
        data = data[int(length) :]
    return found


def check_tar_gz(content: bytes, limits: Limits) -> None:
    budget = _Budget(len(content), limits)
    stream = _Gunzip(content, budget)
    try:
        _walk_tar(stream, budget)
    except zlib.error as exc:
        raise _broken() from exc


def _walk_tar(stream: _Gunzip, budget: _Budget) -> None:
    long_name = long_link = None
    pax: dict[str, str] = {}
    seen = 0
    while True:
        header = stream.read(512)
        if len(header) < 512 or header == bytes(512):
            if seen:
                return
            raise _broken()
        checksum = sum(header[:148]) + 8 * 32 + sum(header[156:])
        if _number(header[148:156]) != checksum:
            raise _broken()
        seen += 1
        kind, size = header[156:157], _number(header[124:136])
        if kind in (b"x", b"g", b"L", b"K"):
            if size > _META_CAP:
                raise _broken()
            data = stream.read(size)
            stream.skip(-size % 512)
            if kind == b"x":
                pax = _pax(data)
            elif kind == b"L":
                long_name = _text(data)
            elif kind == b"K":
                long_link = _text(data)
            continue  # a global pax header ("g") names no member
        name = _text(header[0:100])
        if header[257:263] == b"ustar\x00" and header[345]:
            name = f"{_text(header[345:500])}/{name}"
        name = pax.get("path") or long_name or name
        link = pax.get("linkpath") or long_link or _text(header[157:257])
        if "size" in pax:
            if not pax["size"].isdigit():
                raise _broken()
            size = int(pax["size"])
        long_name = long_link = None
        pax = {}
        budget.member(name)
        if kind == b"2" and _escapes(link, base=posixpath.dirname(name)):
            raise _unsafe_link(name)
        if kind == b"1" and _escapes(link, base=""):
            raise _unsafe_link(name)
        if kind not in (b"0", b"\x00", b"1", b"2", b"5", b"7"):
            raise _special(name)
        stream.skip(size + (-size % 512) if kind in (b"0", b"\x00", b"7") else 0)
