"""Loading in each web process, before it takes a request, what its first request would load.

gunicorn loads the WSGI module in each worker after the fork (no ``--preload``), and Django imports
the URLconf, and with it every view module, only when the first request is resolved. In the
deadline-rush benchmark that import was 6 % of the web workers' CPU during a burst: of three
workers, the two that had not yet answered a request each paid for it inside a submit.
"""


def urlconf_warm_up() -> None:
    """Import the URLconf and every view module it names, with the resolver's reverse lookups
    built, and the template engines (a Django engine imports every tag library when it is made).
    A failure here is not hidden: the first request would fail the same way."""
    from django.template import engines
    from django.urls import get_resolver

    get_resolver()._populate()  # reads url_patterns, which imports the URLconf and its includes
    engines.all()
