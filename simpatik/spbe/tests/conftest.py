import pytest
from django.conf import settings

from simpatik.spbe.services import load_mapping
from simpatik.testing.personas import make_user

MAPPING_FILE = settings.REPO_DIR / "sop" / "pemetaan-spbe.yaml"


@pytest.fixture
def mapping_text():
    return MAPPING_FILE.read_text(encoding="utf-8")


@pytest.fixture
def mapping(sop, mapping_text):
    return load_mapping(mapping_text).version


@pytest.fixture
def admin(db):
    user = make_user("admin", [], password="rahasia-123")
    user.is_staff = user.is_superuser = True
    user.save()
    return user
