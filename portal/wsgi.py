import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

from portal.celery import producer_pool_warm_up  # noqa: E402 - after Django is set up
from portal.warm_up import urlconf_warm_up  # noqa: E402

urlconf_warm_up()
producer_pool_warm_up()
