"""Outside services are called only at the address in settings, and redirects are not followed."""

import pytest

from simpatik.core.errors import Conflict
from simpatik.core.http import UnsafeURL, call, service_url


@pytest.mark.parametrize(
    "path",
    ["@evil.example/x", "//evil.example/x", "x", "\\\\evil.example", ".evil.example/"],
)
def test_a_path_cannot_change_the_host(path):
    with pytest.raises(UnsafeURL):
        service_url("https://dns.kominfo.test:8081/api/v1", path)


def test_paths_with_names_stay_on_the_configured_host():
    url = service_url("https://dns.kominfo.test:8081/api/v1/", "/zones/@evil.example:80/x")
    assert url == "https://dns.kominfo.test:8081/api/v1/zones/@evil.example:80/x"
    with pytest.raises(UnsafeURL):
        service_url("file:///etc", "/passwd")


def test_a_redirect_to_another_host_is_not_followed(recorder, other_recorder):
    address, hits = recorder
    elsewhere, elsewhere_hits = other_recorder
    target = (elsewhere + "/rahasia").replace("/", "|")
    response = call("GET", address, f"/pindah/{target}", service="Uji", error=Conflict)
    assert response.status_code == 302
    assert len(hits) == 1 and elsewhere_hits == []
