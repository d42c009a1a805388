"""Each hostile input seen in issue 9 gets a clean 400 or 404, on SQLite and PostgreSQL alike.

NUL bytes only crash PostgreSQL ("A string literal cannot contain NUL"); these tests carry no
marker, so `make test` runs them on both databases.
"""

import base64
import json

import pytest
from django.test import Client

from simpatik.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from simpatik.core.views import domain_errors
from simpatik.projects.models import Need
from simpatik.sop.models import SopVersion
from simpatik.wiki import services as wiki
from simpatik.wiki.models import DocPage

pytestmark = pytest.mark.django_db


def _api_error(response, status, code=None):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) >= {"code", "detail"} and body["detail"]
    if code:
        assert body["code"] == code


@pytest.fixture
def api(kabid):
    client = Client()
    client.force_login(kabid)
    return client


def test_nul_in_login_name_is_a_clean_400():
    response = Client().post("/masuk/", {"username": "admin\x00", "password": "x"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_nul_in_token_request_is_a_json_400():
    response = Client().post(
        "/api/v1/auth/token/",
        json.dumps({"username": "kabid\u0000", "password": "x"}),
        content_type="application/json",
    )
    _api_error(response, 400, "nul_character")


def test_nul_in_git_basic_auth_is_a_clean_400():
    credentials = base64.b64encode(b"pengembang\x00:rahasia").decode()
    response = Client().get(
        "/git/aplikasi.git/info/refs?service=git-upload-pack",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )
    assert response.status_code == 400


@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_COOKIE", "HTTP_X_REQUEST_ID"])
def test_nul_in_any_header_is_a_clean_400(header):
    value = {"HTTP_AUTHORIZATION": "Token abc\x00", "HTTP_COOKIE": "sessionid=a\x00b"}
    response = Client().get("/api/v1/me/", **{header: value.get(header, "x\x00y")})
    _api_error(response, 400, "nul_character")


def test_nul_in_verification_code_is_a_404():
    assert Client().get("/verifikasi/ABC%00DEF/").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/projects/?q=a%00b", "/api/v1/applications/?q=%00"])
def test_nul_in_api_query_is_a_json_400(api, url):
    _api_error(api.get(url), 400, "nul_character")


@pytest.mark.parametrize("url", ["/proyek/?q=a%00b", "/katalog/?q=%00", "/inventaris/?q=x%00"])
def test_nul_in_web_search_is_a_400_page(api, url, kabid):
    response = api.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert kabid.display_name in response.content.decode()  # still shown as signed in


def test_nul_in_api_text_field_is_refused_and_nothing_saved(api, opd):
    response = api.post(
        "/api/v1/needs/",
        {"judul": "Aplikasi\u0000", "opd": opd.pk, "deskripsi": "x"},
        content_type="application/json",
    )
    _api_error(response, 400, "nul_character")
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "opd=%C2%B2",  # ²
        "opd=%D9%A3",  # Arabic-Indic three
        "step=%C2%B2",
        "limit=-1",
        "limit=1e2",
    ],
)
def test_numbers_that_are_not_numbers_are_a_json_400(api, query):
    _api_error(api.get(f"/api/v1/projects/?{query}"), 400, "not_a_number")


@pytest.mark.parametrize(
    "query", ["limit=9223372036854775808", "offset=99999999999999999999999", "opd=" + "9" * 19]
)
def test_numbers_too_large_say_so(api, query):
    """They are numbers: "not a whole number" was the wrong thing to say (README: number_too_large)."""
    _api_error(api.get(f"/api/v1/projects/?{query}"), 400, "number_too_large")


def test_huge_id_in_the_path_is_a_404(api):
    assert api.get("/api/v1/projects/92233720368547758080/").status_code == 404
    assert api.get("/proyek/92233720368547758080/").status_code == 404


def test_unicode_digits_in_proyek_and_versi_are_a_400_page(api, project, kabid):
    version = SopVersion.objects.get()
    assert api.get(f"/sop/{version.pk}/dokumen/?proyek=%C2%B2").status_code == 400
    wiki.save_page(project, actor=kabid, title="Panduan", body="Isi")
    assert api.get(f"/proyek/{project.pk}/dokumentasi/panduan/?versi=%C2%B2").status_code == 400
    assert api.get(f"/proyek/{project.pk}/dokumentasi/panduan/?versi=1").status_code == 200


@pytest.mark.parametrize("auth", [True, False])
def test_json_nested_50000_deep_is_a_json_400(api, auth):
    client = api if auth else Client()
    body = "[" * 50_000 + "]" * 50_000
    response = client.post("/api/v1/needs/", body, content_type="application/json")
    _api_error(response, 400, "json_too_deep")
    token = client.post(
        "/api/v1/auth/token/",
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        content_type="application/json",
    )
    _api_error(token, 400, "json_too_deep")


def test_brackets_inside_json_strings_do_not_count_as_depth(api, opd):
    response = api.post(
        "/api/v1/needs/",
        {"judul": "[" * 100, "opd": opd.pk, "deskripsi": "{" * 100, "latar_belakang": "]]"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_huge_json_integer_is_a_json_400(api):
    response = api.post(
        "/api/v1/projects/", '{"need": 99999999999999999999999}', content_type="application/json"
    )
    _api_error(response, 400, "number_too_large")


def test_wiki_title_over_200_characters_is_refused_with_a_message(api, project):
    response = api.post(
        f"/proyek/{project.pk}/dokumentasi/baru/", {"title": "J" * 300, "body": "Isi"}
    )
    assert response.status_code == 400
    assert "paling banyak 200 karakter" in response.content.decode()
    assert not DocPage.objects.exists()


@pytest.mark.django_db
def test_an_api_path_holding_a_newline_answers_json_404(client):
    for path in ("/api/v1/projects/1/steps/%0A/", "/api/v1/projects/1/steps/%0A/draft/"):
        response = client.get(path)
        assert response.status_code == 404 and response["Content-Type"].startswith(
            "application/json"
        ), path


@pytest.mark.parametrize(
    "error, status",
    [
        (ValidationError("Isian tidak sah.", code="x"), 400),
        (PermissionDenied("Tidak berwenang.", code="x"), 403),
        (NotFound("Tidak ada.", code="x"), 404),
        (Conflict("Sudah berubah.", code="x"), 409),
    ],
)
def test_a_service_refusal_a_page_did_not_expect_is_its_page_never_a_500(rf, error, status):
    """Any refusal a service raises through a page becomes that refusal's page: a page that did
    not expect a ValidationError (a stale or edited link) gave a 500."""

    @domain_errors
    def page(request):
        raise error

    response = page(rf.get("/"))
    assert response.status_code == status
    assert error.message in response.content.decode()


def test_a_csp_report_nested_past_any_parser_is_a_400(client):
    """Anyone may post a report (no login, no CSRF): nested 5000 deep it crashed json.loads."""
    body = "[" * 5000 + "]" * 5000
    for kind in ("application/csp-report", "text/plain"):
        assert client.post("/csp-report/", body, content_type=kind).status_code == 400


def test_a_draft_naming_an_application_by_a_huge_or_foreign_number_keeps_the_history_readable(
    project, team
):
    """Step 5 chooses applications by id: a 40-digit or "²" id saved in a draft (refused as a
    choice, kept as typed) made every later reading of the project's history a 500."""
    kasie = team[2]
    from rest_framework.test import APIClient

    from simpatik.testing.walker import walk_to

    walk_to(project, team, 5)
    api = APIClient()
    api.force_authenticate(kasie)
    url = f"/api/v1/projects/{project.pk}/steps/5/draft/"
    for bad in ["9" * 40, "²", "٣"]:
        put = api.put(url, {"fields": {"aplikasi_sejenis_inventaris": [bad]}}, format="json")
        assert put.status_code == 200
    assert api.get(f"/api/v1/projects/{project.pk}/history/").status_code == 200
    client = Client()
    client.force_login(kasie)
    assert client.get(f"/proyek/{project.pk}/riwayat/").status_code == 200


@pytest.mark.parametrize("written", ["٣", "５", 1.9, "1e0", True, "1.0"])
def test_an_id_in_other_digits_or_a_fraction_names_no_record(written, kadis, sop):
    """ "٣" was read as the OPD 3 and 1.9 as the OPD 1: a request named a record it did not name."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(kadis)
    for url, body in [
        ("/api/v1/needs/", {"judul": "Aplikasi", "latar_belakang": "Perlu.", "opd": written}),
        ("/api/v1/projects/", {"nama": "Aplikasi", "opd": written}),
    ]:
        response = api.post(url, body, format="json")
        assert response.status_code == 400, (url, response.content)
        assert "angka 0-9" in json.dumps(response.json(), ensure_ascii=False)
    assert not Need.objects.exists()
    if isinstance(written, str):
        client = Client()
        client.force_login(kadis)
        page = client.post("/usulan/baru/", {"judul": "A", "latar_belakang": "B", "opd": written})
        assert page.status_code == 400 and not Need.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"tanggal_surat": "９９９９-01-01"},
        {"tanggal_surat": "٢٠٢٦-01-01"},
        {"tanggal_surat": "0001-01-01"},
        {"tanggal_surat": "9999-12-31"},
        {"latar_belakang": "x" * 1_000_001},
    ],
)
def test_an_usulan_takes_a_plain_letter_date_and_a_bounded_text(body, kadis, opd, sop):
    """Dates in other digits or in year 1 or 9999, and a megabyte of text, were kept."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(kadis)
    sent = {"judul": "Aplikasi", "latar_belakang": "Perlu.", "opd": opd.pk, **body}
    response = api.post("/api/v1/needs/", sent, format="json")
    assert response.status_code == 400, response.content[:300]
    assert not Need.objects.exists()
    if "tanggal_surat" in body:
        client = Client()
        client.force_login(kadis)
        page = client.post("/usulan/baru/", {**sent, "opd": str(opd.pk)})
        assert page.status_code == 400 and not Need.objects.exists()


def test_every_api_time_is_in_the_regencys_offset(project, team):
    """The serializers wrote +08:00 and the answers built as dicts (the history, a step's runs,
    documents, drafts) wrote UTC: one API, two clocks."""
    from rest_framework.test import APIClient

    from simpatik.testing.walker import walk_to

    walk_to(project, team, 2)
    api = APIClient()
    api.force_authenticate(team[1])
    history = api.get(f"/api/v1/projects/{project.pk}/history/").json()
    step = api.get(f"/api/v1/projects/{project.pk}/steps/1/").json()
    times = [entry["at"] for entry in history["results"]]
    times += [run["opened_at"] for run in step["runs"]]
    assert times and all(t.endswith("+08:00") for t in times), times
