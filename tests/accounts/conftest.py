import pytest

from tests.idporten_provider import FakeIDporten


@pytest.fixture
def idporten(settings):
    """ID-porten switched on and pointed at a local fake provider (tests/idporten_provider.py)."""
    provider = FakeIDporten().start()
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    # As portal/settings.py does for the real endpoints: forms may redirect to the provider.
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": [*settings.SECURE_CSP["form-action"], provider.url]}
    yield provider
    provider.stop()
