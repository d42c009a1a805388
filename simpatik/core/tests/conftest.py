import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """These tests ask the token endpoint for many tokens (schemathesis fuzzes it too); its
    per-address throttle lives in the process cache, so leave it as each test found it empty."""
    cache.clear()
    yield
    cache.clear()
