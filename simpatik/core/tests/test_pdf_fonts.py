"""Font subsetting in PDFs costs the same whatever number of glyphs a document uses."""

import io
import re

import pypdf

from simpatik.core.pdf import _OpenArrays, html_to_pdf


def test_font_subsetting_asks_cffi_for_no_array_type_per_glyph_count(monkeypatch):
    from weasyprint.text.ffi import ffi

    asked = []
    real_new = ffi.new

    def recording(cdecl, init=None):
        asked.append(cdecl)
        return real_new(cdecl, init)

    monkeypatch.setattr(ffi, "new", recording)
    for text in ("Naskah dinas", "Surat Perintah Pengembangan Aplikasi 800/1/2026"):
        pdf = html_to_pdf(f"<p>{text}</p><p><b>{text[::-1]}</b></p>")
        page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert text in page and text[::-1] in page  # both fonts subset and embedded
    assert "hb_codepoint_t[]" in asked
    assert not [cdecl for cdecl in asked if re.fullmatch(r"hb_codepoint_t\[\d+\]", cdecl)]


def test_an_open_array_holds_what_the_sized_one_would():
    from weasyprint.text.ffi import ffi

    arrays = _OpenArrays(ffi)
    assert list(arrays.new("hb_codepoint_t[3]", [5, 6, 7])) == [5, 6, 7]
    assert list(arrays.new("hb_codepoint_t[4]", [1, 2])) == [1, 2, 0, 0]  # not its length: as is
    assert arrays.NULL == ffi.NULL
