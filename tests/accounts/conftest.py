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


@pytest.fixture(autouse=True)
def _reset_mail_sent_inline(monkeypatch):
    """The reset mail is sent by a Celery task after the request's commit; here the task runs at
    once in this process, so a test reads the outbox right after its request (the task's own
    path through the queue is tested in tests/test_throttles.py)."""
    from types import SimpleNamespace

    from accounts.tasks import send_password_reset

    monkeypatch.setattr("accounts.views.send_password_reset", SimpleNamespace(delay_on_commit=send_password_reset))
