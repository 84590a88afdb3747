"""Loading in each web process, before it takes a request, what its first request would load.

gunicorn loads the WSGI module in each worker after the fork (no ``--preload``), and Django imports
the URLconf, and with it every view module, only when the first request is resolved. In the
deadline-rush benchmark that import was 6 % of the web workers' CPU during a burst: of three
workers, the two that had not yet answered a request each paid for it inside a submit.
"""

import logging

logger = logging.getLogger(__name__)


def urlconf_warm_up() -> None:
    """Import the URLconf and every view module it names (``URLResolver.url_patterns``), and the
    template engines. A failure here is not hidden: the first request would fail the same way."""
    from django.template import engines
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the property imports the URLconf
    get_resolver()._populate()
    for engine in engines.all():
        getattr(getattr(engine, "engine", None), "template_libraries", None)  # Django's: every tag library
