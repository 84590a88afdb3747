"""A local OpenID provider shaped like ID-porten, over real HTTP on 127.0.0.1.

It serves the four endpoints the portal uses: ``/authorize`` (redirects straight back with a code,
as if the person had logged in), ``/token`` (checks client_secret_basic, the code, the redirect URI
and the PKCE S256 verifier, and answers an RS256-signed ID token), ``/jwks.json`` and ``/logout``.
Tests steer the next ID token with ``provider.claims`` (a value of None removes the claim) and
``provider.sign_with_other_key``; ``provider.cancel`` makes /authorize answer error=access_denied.
The real ID-porten cannot be reached from the test machines; this follows its documented shape.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "innovasjonsportalen-test"
CLIENT_SECRET = "test-client-secret"
KID = "fake-idporten-1"


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeIDporten:
    def __init__(self):
        self.key = _new_key()
        self.other_key = _new_key()  # same kid, not in the JWKS: a forged signature
        self.claims: dict = {}
        self.sign_with_other_key = False
        self.cancel = False
        self.authorizations: list[dict] = []  # query of each /authorize request
        self.token_requests: list[dict] = []  # form of each /token request
        self.logouts: list[dict] = []
        self.id_tokens: list[str] = []
        self._codes: dict[str, dict] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    @property
    def issuer(self) -> str:
        return self.url

    def settings(self) -> dict:
        """The portal's settings for talking to this provider."""
        return {
            "IDPORTEN_ENABLED": True,
            "IDPORTEN_ISSUER": self.issuer,
            "IDPORTEN_PID_KEY": "test-pid-key",
            "IDPORTEN_END_SESSION_ENDPOINT": f"{self.url}/logout",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks.json",
        }

    def log_in(self, authorize_url: str) -> str:
        """Follow the portal's redirect to /authorize as the browser would; returns the callback URL."""
        response = requests.get(authorize_url, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    # --- endpoint logic ------------------------------------------------------------------------------
    def authorize(self, query: dict) -> str:
        self.authorizations.append(query)
        redirect_uri, state = query["redirect_uri"], query.get("state", "")
        if self.cancel:
            return f"{redirect_uri}?{urlencode({'error': 'access_denied', 'state': state})}"
        assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID
        assert query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self._codes[code] = query
        return f"{redirect_uri}?{urlencode({'code': code, 'state': state})}"

    def token(self, form: dict, authorization: str) -> tuple[int, dict]:
        self.token_requests.append(form)
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if authorization != expected:
            return 401, {"error": "invalid_client"}
        request = self._codes.pop(form.get("code", ""), None)
        if request is None or form.get("redirect_uri") != request["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != request["code_challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "pairwise-" + hashlib.sha256(b"12345678910").hexdigest()[:20],
            "iat": now,
            "exp": now + 120,
            "nonce": request["nonce"],
            "acr": "idporten-loa-substantial",
            "amr": ["BankID"],
            "pid": "12345678910",
            "locale": "nb",
            "sid": secrets.token_urlsafe(8),
        }
        claims.update(self.claims)
        claims = {k: v for k, v in claims.items() if v is not None}
        key = self.other_key if self.sign_with_other_key else self.key
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})
        self.id_tokens.append(id_token)
        return 200, {"access_token": secrets.token_urlsafe(16), "id_token": id_token, "token_type": "Bearer"}

    def jwks(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}

    def logout(self, query: dict) -> str:
        self.logouts.append(query)
        return query["post_logout_redirect_uri"]


def _handler_for(provider: FakeIDporten):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/authorize":
                self._redirect(provider.authorize(query))
            elif url.path == "/logout":
                self._redirect(provider.logout(query))
            elif url.path == "/jwks.json":
                self._json(200, provider.jwks())
            else:
                self._json(404, {"error": "not found"})

        def do_POST(self):
            if urlsplit(self.path).path != "/token":
                return self._json(404, {"error": "not found"})
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
            self._json(*provider.token(form, self.headers.get("Authorization", "")))

        def _redirect(self, location):
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _json(self, status, data):
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler
