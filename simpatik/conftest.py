import os

import pytest
from django.conf import settings

from simpatik.accounts.models import Opd
from simpatik.sop.services import load_definition
from simpatik.testing.personas import PERSONAS, make_user
from simpatik.testing.sopfile import SECOND_SOP


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory):
    """One local CA for the whole run: a 3072-bit CA key takes a moment to make."""
    return tmp_path_factory.mktemp("pki")


@pytest.fixture(autouse=True)
def _test_settings(tmp_path, settings, pki_dir):
    settings.SIMPATIK_PKI_DIR = pki_dir
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIMPATIK_GIT_ROOT = tmp_path / "git"  # the walker tags releases in real repositories
    # Real hashing costs ~0.2 s a user; tests create many users and never guard real secrets.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sop(db):
    return load_definition(settings.SIMPATIK_SOP_DEFINITION.read_text()).version


@pytest.fixture
def second_sop(sop):
    return load_definition(SECOND_SOP.read_text()).version


@pytest.fixture
def opd(db):
    return Opd.objects.create(kode="bkpsdm", nama="Badan Kepegawaian dan PSDM", singkatan="BKPSDM")


@pytest.fixture
def other_opd(db):
    return Opd.objects.create(kode="dinkes", nama="Dinas Kesehatan", singkatan="Dinkes")


def _persona(name):
    first, last, roles = PERSONAS[name]
    return make_user(name, roles, first_name=first, last_name=last, password="rahasia-123")


@pytest.fixture
def kadis(sop):
    return _persona("kadis")


@pytest.fixture
def kabid(sop):
    return _persona("kabid")


@pytest.fixture
def kasie(sop):
    return _persona("kasie")


@pytest.fixture
def pengembang(sop):
    return _persona("pengembang")


@pytest.fixture
def teknis(sop):
    return _persona("teknis")


@pytest.fixture
def opd_user(opd):
    return make_user(
        "opd", [], opd=opd, first_name="Staf", last_name="BKPSDM", password="rahasia-123"
    )


@pytest.fixture
def outsider(db):
    return make_user("outsider", [], password="rahasia-123")


@pytest.fixture
def team(kadis, kabid, kasie, pengembang, teknis):
    return [kadis, kabid, kasie, pengembang, teknis]


@pytest.fixture
def project(team, opd, kadis):
    from simpatik.projects.services import start_project

    return start_project(actor=kadis, nama="Sistem Informasi Kepegawaian", opd=opd)


def pytest_sessionfinish(session, exitstatus):
    # CI must run every test: a skip (no Chromium, no PostgreSQL) fails the run there.
    if os.environ.get("SIMPATIK_FAIL_ON_SKIP") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        reporter.write_line(f"SIMPATIK_FAIL_ON_SKIP: {skipped} test(s) skipped; failing the run.")
        session.exitstatus = 1


# A test needs the suite's database when it is marked django_db or uses one of these fixtures
# (fixturenames is the whole closure: `kadis` -> `sop` -> `db`).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the suite's database. `make test` passes it to the "
        "PostgreSQL pass: the rest (settings, parsers, subprocesses with a SQLite file of their "
        "own) do the same on either database and ran in the SQLite pass.",
    )


def _uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if config.getoption("database_tests_only"):
        kept = [item for item in items if _uses_database(item)]
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
    if connection.vendor == "postgresql":
        return
    marker = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(marker)
