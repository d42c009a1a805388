import io
import zipfile

import pytest

from simpatik.core.files import clean_filename, sniff
from simpatik.env import EnvError, database_from_url, env_bool


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_office_files_are_told_by_their_members_not_their_names():
    docx = _zip({"[Content_Types].xml": "<x/>", "word/document.xml": "<w/>"})
    assert sniff(docx[:16], docx)[0] == "docx"
    odt = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
    assert sniff(odt[:16], odt)[0] == "odt"
    plain_zip = _zip({"readme.txt": "hello"})
    assert sniff(plain_zip[:16], plain_zip) is None
    assert sniff(b"<html><script>", b"<html><script>") is None


def test_file_names_lose_paths_and_odd_characters():
    assert clean_filename("C:\\Users\\a\\Laporan Akhir (v2).PDF", "pdf") == "Laporan Akhir _v2.pdf"
    assert clean_filename("../../../etc/passwd", "png") == "passwd.png"
    assert clean_filename("", "pdf") == "dokumen.pdf"


def test_database_url_and_booleans_fail_loudly_on_bad_values(monkeypatch, tmp_path):
    assert database_from_url("postgres://u:p%40ss@db:6543/simpatik", tmp_path)["PASSWORD"] == "p@ss"
    assert database_from_url("sqlite:////var/x.db", tmp_path)["NAME"] == "/var/x.db"
    with pytest.raises(EnvError):
        database_from_url("mysql://x/y", tmp_path)
    monkeypatch.setenv("DEBUG", "kadang")
    with pytest.raises(EnvError):
        env_bool("DEBUG")


def test_a_missing_pdf_engine_is_a_clear_conflict_not_a_crash(monkeypatch):
    import builtins

    from simpatik.core.errors import Conflict
    from simpatik.core.pdf import html_to_pdf

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    with pytest.raises(Conflict) as caught:
        html_to_pdf("<p>x</p>")
    assert (
        caught.value.code == "pdf_engine_missing"
        and "apt-get install libpango" in caught.value.message
    )
