"""The OpenAPI schema tells the whole truth: every response, the error shape, no phantom paths.

Hooks for drf-spectacular (SPECTACULAR_SETTINGS): views built on plain APIView return dicts the
generator cannot see, so their response schemas are described here, in one table. A view that
gains its own `extend_schema` keeps it: this fills in only what is missing.
"""

import threading

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView

from simpatik.core.idempotency import EXCLUDED as NOT_IDEMPOTENT
from simpatik.core.idempotency import HEADER as IDEMPOTENCY_HEADER
from simpatik.core.idempotency import UNSAFE
from simpatik.projects.models import StepRun
from simpatik.projects.queries import NOT_STARTED

ERROR_STATUSES = ("400", "401", "403", "404", "409", "413", "429")
ERROR_SCHEMA = {
    "type": "object",
    "description": "Setiap penolakan: kode yang stabil untuk program, pesan untuk orang.",
    "properties": {
        "code": {"type": "string", "example": "not_found"},
        "detail": {"type": "string", "example": "Data tidak ditemukan."},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["code", "detail"],
    "additionalProperties": True,
}


def _s(kind, nullable=False, **extra):
    schema = {"type": kind, **extra}
    if nullable:
        schema["nullable"] = True
    return schema


def _obj(**properties):
    return {"type": "object", "properties": properties, "additionalProperties": True}


def _list(item):
    return {"type": "array", "items": item}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


STR, INT, ANY = _s("string"), _s("integer"), {}
DATETIME, DATE = _s("string", format="date-time"), _s("string", format="date")
HISTORY = _obj(
    at=DATETIME, actor=STR, action=STR, data=_s("object"), reason=STR,
    step=_s("integer", nullable=True), request_id=STR, via=STR,
)  # fmt: skip
STEP_DETAIL = _obj(
    number=INT, role=STR, role_name=STR, uraian=STR,
    status=_s("string", enum=[*StepRun.Status.values, NOT_STARTED]),
    round=_s("integer", nullable=True), due_date=_s("string", nullable=True, format="date"),
    assignee=_s("string", nullable=True), eligible=_s("boolean"), can_act=_s("boolean"),
    requirements=_list(_obj(key=STR, label=STR, kind=STR, group=STR, satisfied=_s("boolean"))),
    decisions=_list(_obj(value=STR, label=STR)),
)  # fmt: skip
SOP_SUMMARY = _obj(
    id=INT, kode=STR, version=INT, judul=STR, berlaku=_s("boolean"), loaded_at=DATETIME,
    sha256=STR, note=STR, steps=INT,
)  # fmt: skip
LETTER = _obj(
    id=INT, number=STR, title=STR, kind=STR, step=_s("integer", nullable=True), date=DATE,
    sha256=STR, ditandatangani=_s("boolean"), signer=_s("string", nullable=True), pdf_url=STR,
    verification_url=STR, replaces=_s("string", nullable=True),
    replaced_by=_s("string", nullable=True),
)  # fmt: skip
DOCUMENT = _obj(id=INT, key=STR, version=INT, name=STR, sha256=STR, size=INT, uploaded_at=DATETIME)
JSON = "application/json"

# (method, path): (success status, media type, schema). Lists that page (tasks, a project's
# history, subdomains) describe themselves: drf-spectacular wraps them as Paginated...List.
RESPONSES = {
    ("get", "/api/v1/me/"): (
        "200", JSON,
        _obj(username=STR, nama=STR, roles=_list(STR), opd=_s("integer", nullable=True)),
    ),
    ("get", "/api/v1/applications/{id}/"): ("200", JSON, _ref("Application")),
    ("patch", "/api/v1/applications/{id}/"): ("200", JSON, _ref("Application")),
    ("get", "/api/v1/applications/{id}/history/"): ("200", JSON, _list(HISTORY)),
    ("get", "/api/v1/applications/similar/"): (
        "200", JSON,
        _list(_obj(id=INT, nama=STR, score=_s("number"), matched=_list(STR))),
    ),
    ("get", "/api/v1/dns/zonefile/"): ("200", "text/plain", STR),
    ("get", "/api/v1/letters/{id}/pdf/"): ("200", "application/pdf", _s("string", format="binary")),
    ("get", "/api/v1/projects/{id}/letters/"): ("200", JSON, _list(LETTER)),
    ("post", "/api/v1/projects/{id}/resume/"): ("200", JSON, _ref("Project")),
    ("get", "/api/v1/projects/{id}/steps/{number}/"): ("200", JSON, STEP_DETAIL),
    ("post", "/api/v1/projects/{id}/steps/{number}/claim/"): ("200", JSON, STEP_DETAIL),
    ("post", "/api/v1/projects/{id}/steps/{number}/reassign/"): ("200", JSON, STEP_DETAIL),
    ("post", "/api/v1/projects/{id}/steps/{number}/complete/"): ("200", JSON, _ref("Project")),
    ("post", "/api/v1/projects/{id}/steps/{number}/documents/"): ("201", JSON, DOCUMENT),
    ("get", "/api/v1/sop/"): ("200", JSON, _list(SOP_SUMMARY)),
    ("get", "/api/v1/sop/{id}/"): (
        "200", JSON, {"allOf": [SOP_SUMMARY, _obj(definition=_s("object"))]},
    ),
}  # fmt: skip

# Query parameters the plain views read, so clients (and schemathesis) know them.
PARAMETERS = {
    ("get", "/api/v1/applications/similar/"): [
        {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    ],
    ("patch", "/api/v1/applications/{id}/"): [
        {"name": "reason", "in": "query", "schema": {"type": "string"}}
    ],
}

IDEMPOTENCY_PARAMETER = {
    "name": IDEMPOTENCY_HEADER,
    "in": "header",
    "required": False,
    "description": (
        "Kunci unik dari klien (1-255 karakter ASCII terlihat). Pengulangan dalam 24 jam oleh "
        "pengguna yang sama mengembalikan jawaban pertama tanpa bertindak lagi; kunci yang sama "
        "untuk permintaan lain: 409 idempotency_key_reused."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}


def drop_catch_all(endpoints, **kwargs):
    """The API's catch-all 404 route is not an operation (it showed as a fake `/api/.`)."""
    return [endpoint for endpoint in endpoints if not endpoint[1].endswith(".*$")]


def describe_responses(result, generator, request, public):
    """Postprocessing: success schemas, the shared Error for every refusal, Idempotency-Key."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            known = RESPONSES.get((method, path))
            if known and not any("content" in r for r in responses.values()):
                status, media_type, schema = known
                responses.pop("200", None)
                responses[status] = {"content": {media_type: {"schema": schema}}, "description": ""}
            parameters = operation.setdefault("parameters", [])
            names = {(p.get("in"), p.get("name")) for p in parameters}
            for parameter in PARAMETERS.get((method, path), []):
                if (parameter["in"], parameter["name"]) not in names:
                    parameters.append(parameter)
            if method.upper() in UNSAFE and path not in NOT_IDEMPOTENT:
                if ("header", IDEMPOTENCY_HEADER) not in names:
                    parameters.append(IDEMPOTENCY_PARAMETER)
            for status in ERROR_STATUSES:
                responses.setdefault(
                    status, {"content": {JSON: {"schema": error}}, "description": ""}
                )
    return result


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, made one at a time in a process: drf-spectacular loads its optional
    extensions on first use and patches its settings while it works, and the first requests of a
    new server arriving together (the docs page and its script) saw each other's half-done state
    and got a 500."""

    _one_at_a_time = threading.Lock()

    @extend_schema(**SCHEMA_KWARGS)  # as the view it wraps: not itself in the document
    def get(self, request, *args, **kwargs):
        with self._one_at_a_time:
            return super().get(request, *args, **kwargs)
