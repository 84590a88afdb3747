"""ID-porten's side of the OpenID Connect code flow: starting it, and turning the callback into verified claims.

mozilla-django-oidc does the protocol work: state, nonce and the PKCE verifier in the session
(``oidc_states``), the token request with client_secret_basic, and finding the signing key in the
JWKS. We do not use its callback view or put its backend in AUTHENTICATION_BACKENDS: a refusal here
must say *why* (security level, unknown person), and a person is matched on a linked pid, never
created. So the callback view (accounts/idporten_views.py) asks :func:`claims_for_callback` for the
verified claims and decides itself.
"""

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django.utils.translation import get_language
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)

# The session key that marks a started flow as "link ID-porten to the logged-in user" (value: user pk).
LINK_SESSION_KEY = "idporten_link_user"
# The ID token of a session that logged in with ID-porten, sent back as id_token_hint on logout
# (ID-porten requires it). It contains the pid, so it is kept in the server-side session only (never
# a cookie) and goes with it at logout or expiry; nothing else from the token is kept.
ID_TOKEN_SESSION_KEY = "idporten_id_token"  # noqa: S105 - a session key, not a secret
# Clock skew allowed on exp/iat between ID-porten and us.
LEEWAY_SECONDS = 30


class IDportenError(Exception):
    """The callback could not be turned into verified claims. ``reason`` is "cancelled" or "failed"."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Callback:
    claims: dict
    id_token: str


class IDportenStartView(OIDCAuthenticationRequestView):
    """Redirects to ID-porten's authorization endpoint, asking for at least substantial and in our language."""

    def get_extra_params(self, request):
        return {"acr_values": settings.IDPORTEN_ACR_VALUES, "ui_locales": get_language() or settings.LANGUAGE_CODE}


class IDportenTokenVerifier(OIDCAuthenticationBackend):
    """The library's token exchange and JWKS lookup, with a complete check of the ID token.

    Used as a helper, never as an authentication backend (see the module docstring).
    """

    def authenticate(self, request, **kwargs):
        return None  # never authenticates through django.contrib.auth.authenticate

    def get_payload_data(self, token, key):
        # The library checks the signature and exp only; ID-porten's token must also be ours (aud),
        # from ID-porten (iss) and carry the claims we rely on.
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.IDPORTEN_ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token rejected: {exc}") from exc

    def claims(self, request, *, code: str, nonce: str, code_verifier: str) -> Callback:
        token_info = self.get_token(
            {
                "client_id": self.OIDC_RP_CLIENT_ID,
                "client_secret": self.OIDC_RP_CLIENT_SECRET,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": request.build_absolute_uri(reverse("idporten-callback")),
                "code_verifier": code_verifier,
            }
        )
        id_token = token_info.get("id_token")
        if not isinstance(id_token, str):
            raise SuspiciousOperation("The token response has no id_token.")
        return Callback(claims=self.verify_token(id_token, nonce=nonce), id_token=id_token)


def claims_for_callback(request) -> Callback:
    """Check the callback's state against the session, redeem the code and verify the ID token.

    The state's entry (nonce, PKCE verifier) is removed first, so a callback can be used once.
    Raises IDportenError; the log says what exactly failed, the person is told only that it did.
    """
    state = request.GET.get("state", "")
    flow = request.session.get("oidc_states", {}).pop(state, None) if state else None
    request.session.modified = True
    if flow is None:
        raise IDportenError("failed", "unknown or reused state")
    if request.GET.get("error"):
        # e.g. access_denied when the person pressed "Avbryt" in ID-porten.
        raise IDportenError("cancelled", request.GET["error"])
    code = request.GET.get("code")
    if not code:
        raise IDportenError("failed", "no code")
    try:
        return IDportenTokenVerifier().claims(
            request, code=code, nonce=flow["nonce"], code_verifier=flow["code_verifier"]
        )
    except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, KeyError, ValueError) as exc:
        logger.warning("ID-porten login refused: %s", exc)
        raise IDportenError("failed", str(exc)) from exc


def end_session_url(request) -> str | None:
    """Where logout must send a person who logged in with ID-porten, to end that session too; else None."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if not (settings.IDPORTEN_ENABLED and id_token):
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("idporten-logged-out")),
        }
    )
    return f"{settings.IDPORTEN_END_SESSION_ENDPOINT}?{query}"
