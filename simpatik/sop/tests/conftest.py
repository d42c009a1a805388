import pytest


@pytest.fixture
def admin_client(client, kadis):
    """The SOP editor's tests act as an administrator: the Kadis with staff rights."""
    kadis.is_staff = True
    kadis.save(update_fields=["is_staff"])
    client.force_login(kadis)
    return client
