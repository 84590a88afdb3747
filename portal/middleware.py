from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

from .language import is_supported


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Bokmål unless the person chose another language.

    Django's middleware would follow the browser's Accept-Language, so most visitors with an
    English-language browser would meet an English portal. A Norwegian public service speaks
    bokmål first; nynorsk and English are a choice. The language of a request is, in order:

    1. the language cookie: what the person last chose *in this browser* – with the language
       switcher (``/sprak/``) or on Min side → Innstillinger, which both set it;
    2. otherwise, for a logged-in person, their stored language (``User.language``), so the choice
       follows them to a new browser or device;
    3. otherwise bokmål. Accept-Language is never consulted.

    The cookie wins over the stored language because it is the more recent, more local choice,
    and both places that change the stored language set the cookie too, so for a logged-in person
    the two agree unless they chose differently while logged out. An unknown code in either
    place is ignored. Must run after AuthenticationMiddleware (it reads ``request.user``); the
    user is only loaded when there is no cookie.
    """

    def process_request(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()


def request_language(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if is_supported(chosen):
        return chosen
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and is_supported(user.language):
        return user.language
    return settings.LANGUAGE_CODE


# Features no page of the portal uses, switched off for every page and anything framed in it.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(self), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xr=(), usb=(), "
    "xr-spatial-tracking=()"
)


class SecurityHeadersMiddleware:
    """``Permissions-Policy`` on every answer; ``Cache-Control: no-store`` on every answer to a
    logged-in person (pages, CSV exports, downloads), so nothing of a case stays in a shared
    computer's browser cache or a proxy after logging out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            if response.has_header("Expires"):
                del response["Expires"]
        return response
