"""Effect kinds → handler functions. A handler is thin: it fetches what the row names and calls
one service. It runs inside the transaction that marks the row done (``engine.effect_run``), so it
must not commit on its own, and whatever it writes commits together with "done" or not at all."""

from collections.abc import Callable

from .models import ScheduledEffect

Handler = Callable[[ScheduledEffect], None]
HANDLERS: dict[str, Handler] = {}


class UnknownEffectKind(LookupError):
    pass


def register(kind: str) -> Callable[[Handler], Handler]:
    def decorator(handler: Handler) -> Handler:
        HANDLERS[kind] = handler
        return handler

    return decorator


def handler_for(kind: str) -> Handler:
    try:
        return HANDLERS[kind]
    except KeyError:
        raise UnknownEffectKind(kind) from None
