import pytest
from django.core.cache import cache

PASSWORD = "rahasia-123"  # the personas' password (simpatik/conftest.py)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth keeps its other rate limits and used TOTP codes in the cache.
    cache.clear()
    yield
    cache.clear()
