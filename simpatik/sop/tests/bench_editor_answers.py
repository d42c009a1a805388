"""The SOP editor's htmx answers on the seed SOP: bytes and server time of each action (issue 12
§4, "a click took over 15 s"). Run: pytest -s -p no:cacheprovider simpatik/sop/tests/bench_editor_answers.py (not collected
with the suite: its name does not start with test_).
It prints figures only; it asserts nothing about time."""

import time

import pytest
from django.urls import reverse

from simpatik.sop import editor, editor_views
from simpatik.sop.tests.test_editor import SEED, _form

HX = {"HX-Request": "true"}


def _forget(keep: str) -> None:
    """Each run as the first of its kind: only the page's own text stays parsed (the GET did)."""
    check = getattr(editor_views._check, "cache_clear", None)
    if check:
        check()
    trees = getattr(editor, "_TREES", None)
    if trees is not None:
        for text in [t for t in trees if t != keep]:
            trees.pop(text)


def _measure(label, send, runs=3):
    best, size = None, 0
    for _ in range(runs):
        _forget(SEED)
        start = time.perf_counter()
        response = send()
        spent = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        size = len(response.content)
        best = spent if best is None else min(best, spent)
    print(f"{label:<28} {size / 1024:8.1f} KB {best * 1000:8.0f} ms")


@pytest.mark.django_db
def test_editor_answers(client, kadis, sop):
    kadis.is_staff = True
    kadis.save(update_fields=["is_staff"])
    client.force_login(kadis)
    values = _form(client, sop)
    edit = reverse("sop:edit", args=[sop.pk])
    check = reverse("sop:edit-check", args=[sop.pk])
    print()
    _measure("page (GET)", lambda: client.get(edit))
    typed = {**values, "f:steps.2.waktu": "4"}
    _measure("live check, passes", lambda: client.post(check, typed, headers=HX))
    bad = {**values, "f:steps.2.waktu": "dua"}
    _measure("live check, an error", lambda: client.post(check, bad, headers=HX))
    add = {**values, "op": "tambah_baris:steps.2.kelengkapan"}
    _measure("add row", lambda: client.post(edit, add, headers=HX))
    remove = {**values, "op": "hapus_baris:steps.2.kelengkapan.0"}
    _measure("remove row", lambda: client.post(edit, remove, headers=HX))
    new = {
        **values,
        "op": "tambah_langkah",
        "baru-setelah": "0",
        "baru-role": "kabid",
        "baru-uraian": "Telaah",
        "baru-waktu": "2",
        "baru-output": "telaah",
    }
    _measure("add step", lambda: client.post(edit, new, headers=HX))
    drop = {**values, "op": "hapus_langkah:17"}
    _measure("remove step", lambda: client.post(edit, drop, headers=HX))
