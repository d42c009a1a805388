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


def test_the_schema_is_made_one_at_a_time(client, monkeypatch):
    """The first requests of a new server arrive together (the docs page and its script): made
    side by side, drf-spectacular's first-use loading gave some of them a 500."""
    import threading
    import time

    from drf_spectacular.generators import SchemaGenerator

    made, inside, most = SchemaGenerator.get_schema, [0], [0]
    lock = threading.Lock()

    def counted(self, *args, **kwargs):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.05)
        try:
            return made(self, *args, **kwargs)
        finally:
            with lock:
                inside[0] -= 1

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    statuses = []
    threads = [
        threading.Thread(target=lambda: statuses.append(client.get("/api/schema/").status_code))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4 and most[0] == 1
