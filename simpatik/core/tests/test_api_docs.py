"""The API docs group every endpoint under a real tag and list no phantom path."""

from django.test import Client

METHODS = {"get", "post", "put", "patch", "delete"}


def test_every_operation_has_a_tag_and_no_phantom_path_is_listed(db):
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert paths and all(path.startswith("/api/v1/") for path in paths), sorted(paths)
    tags = set()
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            assert operation.get("tags"), (path, method)
            tags.update(operation["tags"])
    assert not tags & {".", "v1", "api", ""}, tags
    assert {"projects", "applications", "sop"} <= tags
