from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Bokmål unless the person chose another language.

    Django's middleware would follow the browser's Accept-Language, so most visitors with an
    English-language browser would meet an English portal. A Norwegian public service speaks
    bokmål first; nynorsk and English are a choice (the language switcher's cookie).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
