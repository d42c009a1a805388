"""Archives are hostile input: bombs stay bounded in memory, escaping paths and links are refused."""

import io
import tarfile
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from simpatik.core.errors import ValidationError
from simpatik.core.files import check_upload, clean_filename

MB = 1024 * 1024
ZEROS = bytes(MB)
ARCHIVES = ("pdf", "zip", "tar.gz")


def _zip_bomb(name: str, megabytes: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(name, "w") as member:
            for _ in range(megabytes):
                member.write(ZEROS)
    return buffer.getvalue()


class _Zeros(io.RawIOBase):
    def __init__(self, size):
        self.left = size

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.left)
        buffer[:n] = bytes(n)
        self.left -= n
        return n


def _tar_gz(members, **options) -> bytes:
    """members: (TarInfo, bytes-or-size) pairs; a size streams zeros without holding them."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", **options) as archive:
        for info, data in members:
            if isinstance(data, int):
                info.size = data
                archive.addfile(info, io.BufferedReader(_Zeros(data)))
            else:
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data) if data else None)
    return buffer.getvalue()


def _info(name, kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info


def _check(content: bytes, name="paket.zip", accept=ARCHIVES):
    upload = SimpleUploadedFile(name, content)
    return check_upload(upload, max_bytes=20 * MB, accept=accept)


def _refused(content, name="paket.zip", accept=ARCHIVES) -> str:
    with pytest.raises(ValidationError) as caught:
        _check(content, name, accept)
    assert caught.value.message  # a sentence for people, not only a code
    return caught.value.code


def _peak(function) -> int:
    tracemalloc.start()
    try:
        function()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_mimetype_member_that_inflates_hugely_is_sniffed_without_inflating_it():
    bomb = _zip_bomb("mimetype", 64)  # ~64 KB on disk, 64 MB inflated
    assert len(bomb) < MB
    codes = []
    peak = _peak(lambda: codes.append(_refused(bomb, "laporan.odt", accept=("pdf", "office"))))
    assert codes == ["file_type"] and peak < 4 * MB


@pytest.mark.parametrize(
    "make", [lambda: _zip_bomb("data.bin", 64), lambda: _tar_gz([(_info("data.bin"), 64 * MB)])]
)
def test_an_archive_bomb_is_refused_by_its_ratio_within_bounded_memory(make):
    bomb = make()
    codes = []
    peak = _peak(lambda: codes.append(_refused(bomb, "paket.tgz")))
    assert codes == ["archive_ratio"] and peak < 4 * MB


def test_the_inflated_total_is_capped_even_where_the_ratio_is_allowed(settings):
    settings.SIMPATIK_ARCHIVE_MAX_RATIO = 100_000
    settings.SIMPATIK_ARCHIVE_MAX_INFLATED_MB = 8
    assert _refused(_zip_bomb("a.bin", 16)) == "archive_too_large"
    assert _refused(_tar_gz([(_info("a.bin"), 16 * MB)]), "p.tar.gz") == "archive_too_large"


def test_a_huge_pax_header_is_not_read_into_memory():
    content = _tar_gz([(_info("a.txt"), b"x")], pax_headers={"comment": "y" * (8 * MB)})
    codes = []
    peak = _peak(lambda: codes.append(_refused(content, "p.tar.gz")))
    assert codes and codes[0] in ("archive_broken", "archive_ratio") and peak < 4 * MB


def test_too_many_members_are_refused_before_they_are_listed(settings):
    settings.SIMPATIK_ARCHIVE_MAX_MEMBERS = 10
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(11):
            archive.writestr(f"f{index}.txt", "x")
    assert _refused(buffer.getvalue()) == "archive_too_many_members"
    many = _tar_gz([(_info(f"f{index}.txt"), b"x") for index in range(11)])
    assert _refused(many, "p.tar.gz") == "archive_too_many_members"


@pytest.mark.parametrize("name", ["../evil.sh", "/etc/cron.d/x", "C:/Windows/x.dll", "a/../../x"])
def test_paths_that_leave_the_archive_are_refused(name):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ok.txt", "x")
        archive.writestr(name, "x")
    assert _refused(buffer.getvalue()) == "archive_unsafe_path"
    assert _refused(_tar_gz([(_info(name), b"x")]), "p.tar.gz") == "archive_unsafe_path"


def test_links_that_leave_the_archive_and_devices_are_refused():
    escaping = [
        _info("app/etc", tarfile.SYMTYPE, "../../etc"),
        _info("app/passwd", tarfile.SYMTYPE, "/etc/passwd"),
        _info("app/hard", tarfile.LNKTYPE, "../outside"),
    ]
    for info in escaping:
        assert _refused(_tar_gz([(info, b"")]), "p.tgz") == "archive_unsafe_link", info.name
    for kind in (tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE):
        assert _refused(_tar_gz([(_info("dev", kind), b"")]), "p.tgz") == "archive_special_file"
    link = zipfile.ZipInfo("app/etc")
    link.external_attr = (0o120777) << 16
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(link, "../../etc")
    assert _refused(buffer.getvalue()) == "archive_unsafe_link"


def test_ordinary_packages_are_accepted_with_their_names_kept():
    members = [
        (_info("app", tarfile.DIRTYPE), b""),
        (_info("app/README.md"), b"# Aplikasi\n" * 100),
        (_info("app/current", tarfile.SYMTYPE, "README.md"), b""),
        (_info("app/" + "panjang/" * 20 + "nama.txt"), b"GNU/pax long name"),
    ]
    content = _tar_gz(members)
    _content, name, extension, mime = _check(content, "Paket Rilis 1.0.tgz")
    assert (name, extension, mime) == ("Paket Rilis 1.0.tar.gz", "tar.gz", "application/gzip")
    assert _check(content, "paket.tar.gz")[1] == "paket.tar.gz"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("app/index.php", "<?php echo 1;" * 1000)
        archive.writestr("app/", "")
    assert _check(buffer.getvalue(), "rilis.zip")[1:3] == ("rilis.zip", "zip")
    assert clean_filename("x.tar.gz", "tar.gz") == "x.tar.gz"


def test_an_item_that_does_not_accept_archives_refuses_them_naming_what_it_takes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    with pytest.raises(ValidationError) as caught:
        _check(buffer.getvalue(), accept=("pdf", "office", "image"))
    assert caught.value.code == "file_type" and "PDF" in caught.value.message
    assert _refused(b"\x1f\x8bnot really gzip", "p.tgz") == "archive_broken"
    assert _refused(b"PK\x03\x04broken zip") == "archive_broken"


def _docx_bomb(megabytes: int) -> bytes:
    """A .docx the Office sniffing recognises, with a document part that inflates hugely."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(megabytes):
                member.write(ZEROS)
    return buffer.getvalue()


def test_an_office_file_is_held_to_the_archive_limits(settings):
    """An Office file is a zip: a small .docx inflating to 64 MB was taken as a document."""
    bomb = _docx_bomb(64)
    assert len(bomb) < MB
    codes = []
    peak = _peak(lambda: codes.append(_refused(bomb, "laporan.docx", accept=("pdf", "office"))))
    assert codes == ["archive_ratio"] and peak < 4 * MB
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Laporan</w:document>")
    upload = SimpleUploadedFile("laporan.docx", plain.getvalue())
    assert check_upload(upload, max_bytes=MB, accept=("pdf", "office"))[2] == "docx"
