"""Each gunicorn worker loads, before its first request, what that request would load
(portal/warm_up.py, called from portal/wsgi.py)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys
import portal.wsgi  # noqa: F401 - what gunicorn loads in each worker
from django.urls import get_resolver
resolver = get_resolver()
print(resolver._populated, "applications.views.submission" in sys.modules, "schemes.views.catalogue" in sys.modules)
"""


def test_loading_the_wsgi_module_imports_the_urlconf_and_the_views():
    """In a process of its own, as gunicorn's worker (the test process has imported everything)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-3:] == ["True", "True", "True"]
