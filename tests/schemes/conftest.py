import pytest
from django.utils import translation
from hypothesis import settings


@pytest.fixture(autouse=True)
def _bokmal():
    """Explanations and form errors are asserted in bokmål, the source language."""
    with translation.override("nb"):
        yield


# The machine is shared: judge properties on their examples, not on how fast each one ran.
settings.register_profile("portal", deadline=None)
settings.load_profile("portal")
