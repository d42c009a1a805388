"""Hostile input is normal input: find it before any view, form or database sees it.

Each check returns a refusal (a SimpatikError) or None. The middleware that calls them turns a
refusal into the usual `{code, detail}` JSON for the API and an error page for people.
"""

import base64
import binascii
import json
import re

from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from simpatik.core.errors import NotFound, ValidationError

# Query parameters that name a number (an id, a step, a version, paging). Non-ASCII digits
# ("²", "٣") are not numbers: Python's int() and str.isdigit() disagree about them.
NUMERIC_PARAMS = frozenset({"limit", "offset", "opd", "step", "proyek", "versi", "langkah"})
_NUMBER = re.compile(r"[0-9]{1,18}")  # fits a signed 64-bit database integer
_LONG_NUMBER_SEGMENT = re.compile(r"/[0-9]{19,}(/|$)")
MAX_JSON_DEPTH = 64
_INT64 = (-(2**63), 2**63 - 1)


def is_number(text) -> bool:
    """ASCII digits that fit a database integer; "²" and "٣" are not numbers here."""
    return isinstance(text, str) and _NUMBER.fullmatch(text) is not None


def check_path(path: str):
    if "\x00" in path or _LONG_NUMBER_SEGMENT.search(path):
        return NotFound(_("Halaman tidak ditemukan."), code="not_found")
    return None


def _nul(*texts) -> bool:
    return any("\x00" in text for text in texts)


def _refuse_nul():
    return ValidationError(
        _("Masukan berisi karakter NUL yang tidak diperbolehkan."), code="nul_character"
    )


def check_query(query) -> ValidationError | None:
    for key, values in query.lists():
        if _nul(key, *values):
            return _refuse_nul()
        if key in NUMERIC_PARAMS:
            for value in values:
                if value.isascii() and value.isdigit() and len(value) > 18:
                    return ValidationError(
                        _("Parameter %(name)s terlalu besar.") % {"name": key},
                        code="number_too_large",
                    )
                if value and not _NUMBER.fullmatch(value):
                    return ValidationError(
                        _("Parameter %(name)s harus berupa bilangan bulat (angka 0-9).")
                        % {"name": key},
                        code="not_a_number",
                    )
    return None


def check_headers(meta) -> ValidationError | None:
    for key, value in meta.items():
        header = key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH")
        if header and isinstance(value, str) and "\x00" in value:
            return _refuse_nul()
    scheme, _sep, credentials = meta.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True)
        except (binascii.Error, ValueError):
            return None  # not ours to judge: the authentication answers 401
        if b"\x00" in decoded:
            return _refuse_nul()
    return None


def check_form(request) -> ValidationError | None:
    try:
        fields = request.POST
    except MultiPartParserError:
        return ValidationError(_("Formulir yang dikirim tidak dapat dibaca."), code="bad_request")
    for key, values in fields.lists():
        if _nul(key, *values):
            return _refuse_nul()
    return None


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Bracket depth of a JSON text, found without parsing (a recursive parser would crash)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth, in_string, escaped = 0, False, False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def loads_bounded(text):
    """json.loads for text people send inside a field or a body the guard does not see (a census
    table, a CSP report): ValueError when it is not JSON or nested deeper than MAX_JSON_DEPTH,
    where json.loads itself would recurse until it crashed."""
    data = text.encode() if isinstance(text, str) else bytes(text)
    if json_depth_exceeds(data):
        raise ValueError("JSON nested too deep")
    return json.loads(data)


def _json_refusal(value) -> ValidationError | None:
    """Walk a parsed JSON value without recursion, looking for NUL and out-of-range integers."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if _nul(*item.keys()):
                return _refuse_nul()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and "\x00" in item:
            return _refuse_nul()
        elif isinstance(item, int) and not _INT64[0] <= item <= _INT64[1]:
            return ValidationError(_("Bilangan terlalu besar."), code="number_too_large")
    return None


def check_json(body: bytes) -> ValidationError | None:
    if json_depth_exceeds(body):
        return ValidationError(
            _("Data JSON terlalu dalam (lebih dari %(limit)d tingkat).")
            % {"limit": MAX_JSON_DEPTH},
            code="json_too_deep",
        )
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None  # the parser of the view answers malformed JSON with its own 400
    return _json_refusal(value)


def check_request(request):
    """The first refusal for this request, or None when it may go on to the view."""
    refusal = check_path(request.path) or check_query(request.GET) or check_headers(request.META)
    if refusal or request.method in ("GET", "HEAD", "OPTIONS"):
        return refusal
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return check_form(request)
    if content_type.endswith("json"):
        return check_json(request.body)
    return None
