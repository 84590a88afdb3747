import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _bokmal():
    """Explanations and form errors are asserted in bokmål, the source language."""
    with translation.override("nb"):
        yield
