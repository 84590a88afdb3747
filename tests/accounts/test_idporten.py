"""ID-porten login and linking against a local fake provider that signs real RS256 ID tokens."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import IDportenIdentity, User
from accounts.permissions import idporten_acr_is_sufficient
from accounts.services import user_link_idporten
from tests.factories import SuperuserFactory, UserFactory
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db

PID = "12345678910"  # the fake provider's default person
NOT_LINKED = "Du har ikke koblet ID-porten til en bruker i Innovasjonsportalen ennå"
ACR_TOO_LOW = "Du logget inn med for lavt sikkerhetsnivå"
FAILED = "Innloggingen med ID-porten kunne ikke fullføres"


def idporten_login(client, provider, *, next_url=None):
    """Start at the portal, pass the provider, return the portal's answer to the callback."""
    start = client.get(reverse("idporten-login"), {"next": next_url} if next_url else {})
    assert start.status_code == 302
    return client.get(provider.log_in(start["Location"]))


def idporten_link(client, provider):
    start = client.post(reverse("idporten-link"))
    assert start.status_code == 302
    return client.get(provider.log_in(start["Location"]))


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def assert_not_logged_in(client):
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("acr", "sufficient"),
    [
        ("idporten-loa-low", False),
        ("idporten-loa-substantial", True),
        ("idporten-loa-high", True),
        (None, False),
        ("", False),
        ("Level4", False),  # the old ID-porten's names are not accepted
    ],
)
def test_acr_must_be_at_least_substantial(acr, sufficient):
    assert idporten_acr_is_sufficient(acr) is sufficient


@pytest.mark.parametrize("acr", ["idporten-loa-substantial", "idporten-loa-high"])
def test_substantial_or_high_logs_in_the_linked_user_in_a_fresh_session(client, idporten, acr):
    user = UserFactory()
    user_link_idporten(user=user, pid=PID)
    idporten.claims = {"acr": acr}
    client.get(reverse("login"))
    before = client.session.session_key

    response = idporten_login(client, idporten)

    assert response.status_code == 302
    assert response["Location"] == reverse("my-page")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.session_key != before
    assert client.get(reverse("my-page")).status_code == 200
    # The authorization request had ID-porten's required shape.
    request = idporten.authorizations[-1]
    assert request["scope"] == "openid profile"
    assert request["acr_values"] == "idporten-loa-substantial"
    assert request["code_challenge_method"] == "S256"
    assert len(request["state"]) >= 32 and len(request["nonce"]) >= 32
    assert request["ui_locales"] == "nb"
    assert request["redirect_uri"] == "http://testserver/logg-inn/idporten/tilbake/"
    # The provider checked the PKCE verifier against the challenge before issuing the token.
    assert len(idporten.token_requests[-1]["code_verifier"]) >= 43


def test_next_is_followed_on_the_same_site_only(client, idporten):
    user_link_idporten(user=UserFactory(), pid=PID)
    assert idporten_login(client, idporten, next_url="/min-side/?fane=1")["Location"] == "/min-side/?fane=1"
    client.logout()
    assert idporten_login(client, idporten, next_url="https://evil.example/")["Location"] == reverse("my-page")


@pytest.mark.parametrize("acr", ["idporten-loa-low", None, "Level4"])
def test_low_or_missing_acr_is_refused_with_a_message_and_nothing_is_logged_in(client, idporten, acr):
    user = UserFactory()
    user_link_idporten(user=user, pid=PID)
    idporten.claims = {"acr": acr}
    users_before = User.objects.count()

    response = idporten_login(client, idporten)

    assert response["Location"] == reverse("login")
    assert ACR_TOO_LOW in messages_of(response)
    assert_not_logged_in(client)
    page = client.get(reverse("login"))
    assert ACR_TOO_LOW in page.text  # on the login page it was sent back to
    user.refresh_from_db()
    assert user.last_login is None
    assert User.objects.count() == users_before


def test_the_refusal_message_is_shown_on_the_login_page(client, idporten):
    idporten.claims = {"acr": "idporten-loa-low"}
    start = client.get(reverse("idporten-login"))
    response = client.get(idporten.log_in(start["Location"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert ACR_TOO_LOW in response.text
    assert 'class="ds-alert portal-message" data-color="danger"' in response.text


@pytest.mark.parametrize(
    ("forgery", "logged_reason"),
    [
        pytest.param({"sign_with_other_key": True}, "Signature verification failed", id="bad-signature"),
        pytest.param({"claims": {"aud": "another-client"}}, "Audience doesn't match", id="wrong-audience"),
        pytest.param({"claims": {"iss": "https://evil.example"}}, "Invalid issuer", id="wrong-issuer"),
        pytest.param({"claims": {"nonce": "not-the-nonce-we-sent"}}, "Nonce verification failed", id="wrong-nonce"),
        pytest.param({"claims": {"nonce": None}}, "Nonce verification failed", id="no-nonce"),
        pytest.param(
            {"claims": {"exp": int(time.time()) - 600, "iat": int(time.time()) - 720}},
            "Signature has expired",
            id="expired",
        ),
        pytest.param({"claims": {"pid": None}}, "the ID token has no pid", id="no-pid"),
    ],
)
def test_a_token_that_fails_verification_is_refused(client, idporten, caplog, forgery, logged_reason):
    user = UserFactory()
    user_link_idporten(user=user, pid=PID)
    idporten.sign_with_other_key = forgery.get("sign_with_other_key", False)
    idporten.claims = forgery.get("claims", {})

    response = idporten_login(client, idporten)

    assert response["Location"] == reverse("login")
    assert FAILED in messages_of(response)
    assert logged_reason in caplog.text  # refused for this reason, not another
    assert_not_logged_in(client)
    user.refresh_from_db()
    assert user.last_login is None


def test_the_same_token_with_the_right_audience_and_key_is_accepted(client, idporten):
    """The counterpart of the refusals above: same user, same provider, nothing forged."""
    user_link_idporten(user=UserFactory(), pid=PID)
    assert idporten_login(client, idporten)["Location"] == reverse("my-page")
    assert len(idporten.id_tokens) == 1  # a real signed token was issued and verified


def test_a_callback_cannot_be_replayed_and_an_unknown_state_is_refused(client, idporten):
    user_link_idporten(user=UserFactory(), pid=PID)
    start = client.get(reverse("idporten-login"))
    callback = idporten.log_in(start["Location"])
    assert client.get(callback)["Location"] == reverse("my-page")
    client.logout()

    replay = client.get(callback)
    assert FAILED in messages_of(replay)
    assert_not_logged_in(client)
    forged = client.get(reverse("idporten-callback"), {"code": "x", "state": "not-ours"})
    assert FAILED in messages_of(forged)
    assert_not_logged_in(client)


def test_cancelling_in_idporten_says_so(client, idporten):
    idporten.cancel = True
    response = idporten_login(client, idporten)
    assert "Innloggingen med ID-porten ble avbrutt" in messages_of(response)
    assert_not_logged_in(client)
    assert idporten.token_requests == []


def test_an_unknown_person_is_told_to_link_from_min_side_and_no_account_is_created(client, idporten):
    user_link_idporten(user=UserFactory(), pid="10987654321")  # someone else
    users_before = User.objects.count()

    response = idporten_login(client, idporten)

    assert response["Location"] == reverse("login")
    assert NOT_LINKED in messages_of(response)
    assert "koble til ID-porten fra Min side" in messages_of(response)
    assert_not_logged_in(client)
    assert User.objects.count() == users_before


def test_a_deactivated_user_is_refused(client, idporten):
    user = UserFactory(is_active=False)
    user_link_idporten(user=user, pid=PID)
    response = idporten_login(client, idporten)
    assert "Denne kontoen er deaktivert" in messages_of(response)
    assert_not_logged_in(client)


def test_linking_from_min_side_stores_a_keyed_digest_and_then_logs_in(client, idporten):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("my-page"))
    assert "Koble til ID-porten" in page.text

    response = idporten_link(client, idporten)

    assert response["Location"] == reverse("my-page")
    assert "ID-porten er nå koblet til brukeren din" in messages_of(response)
    identity = IDportenIdentity.objects.get(user=user)
    assert PID not in identity.pid_digest and len(identity.pid_digest) == 64
    assert client.session["_auth_user_id"] == str(user.pk)  # still the same user
    assert "Fjern koblingen til ID-porten" in client.get(reverse("my-page")).text

    client.logout()
    assert idporten_login(client, idporten)["Location"] == reverse("my-page")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_digest_depends_on_the_key(settings, idporten):
    user = UserFactory()
    first = user_link_idporten(user=user, pid=PID).pid_digest
    settings.IDPORTEN_PID_KEY = "another-key"
    assert user_link_idporten(user=user, pid=PID).pid_digest != first


def test_a_second_user_cannot_link_a_pid_that_is_already_linked(client, idporten):
    first = UserFactory()
    user_link_idporten(user=first, pid=PID)
    second = UserFactory()
    client.force_login(second)

    response = idporten_link(client, idporten)

    assert "allerede koblet til en annen bruker" in messages_of(response)
    assert not IDportenIdentity.objects.filter(user=second).exists()
    assert IDportenIdentity.objects.get(user=first)  # untouched

    # The same flow for a person nobody has linked succeeds: the refusal came from the existing link.
    idporten.claims = {"pid": "10987654321"}
    response = idporten_link(client, idporten)
    assert "ID-porten er nå koblet til brukeren din" in messages_of(response)
    assert IDportenIdentity.objects.filter(user=second).exists()


def test_linking_with_a_low_security_level_stores_nothing(client, idporten):
    user = UserFactory()
    client.force_login(user)
    idporten.claims = {"acr": "idporten-loa-low"}
    response = idporten_link(client, idporten)
    assert response["Location"] == reverse("my-page")
    assert ACR_TOO_LOW in messages_of(response)
    assert not IDportenIdentity.objects.exists()
    assert client.session["_auth_user_id"] == str(user.pk)


def test_unlinking_removes_the_link(client, idporten):
    user = UserFactory()
    user_link_idporten(user=user, pid=PID)
    client.force_login(user)
    response = client.post(reverse("idporten-unlink"))
    assert response["Location"] == reverse("my-page")
    assert not IDportenIdentity.objects.exists()
    client.logout()
    assert NOT_LINKED in messages_of(idporten_login(client, idporten))


def test_logout_after_an_idporten_login_ends_the_idporten_session_too(client, idporten):
    user_link_idporten(user=UserFactory(), pid=PID)
    idporten_login(client, idporten)

    response = client.post(reverse("logout"))

    assert_not_logged_in(client)
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{idporten.url}/logout"
    query = parse_qs(url.query)
    assert query["id_token_hint"] == [idporten.id_tokens[-1]]
    assert query["post_logout_redirect_uri"] == ["http://testserver" + reverse("idporten-logged-out")]
    assert "Du er logget ut" in client.get(reverse("idporten-logged-out")).text


def test_logout_after_a_password_login_stays_local(client, idporten):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"))
    assert response.status_code == 200
    assert "Du er logget ut" in response.text


IDPORTEN_URLS = [
    ("get", "idporten-login"),
    ("get", "idporten-callback"),
    ("get", "idporten-logged-out"),
    ("post", "idporten-link"),
    ("post", "idporten-unlink"),
]


@pytest.mark.parametrize(("method", "name"), IDPORTEN_URLS)
def test_with_idporten_off_its_urls_are_404_and_no_button_shows(client, settings, method, name):
    settings.IDPORTEN_ENABLED = False
    assert getattr(client, method)(reverse(name)).status_code == 404
    assert "ID-porten" not in client.get(reverse("login")).text
    user = UserFactory()
    client.force_login(user)
    assert getattr(client, method)(reverse(name)).status_code == 404
    assert "ID-porten" not in client.get(reverse("my-page")).text


def test_with_idporten_on_the_login_page_links_to_it(client, idporten):
    response = client.get(reverse("login"), {"next": "/min-side/"})
    assert f'href="{reverse("idporten-login")}?next=/min-side/"' in response.text
    assert "Logg inn med ID-porten" in response.text


def test_the_admin_shows_when_a_user_linked_idporten_but_not_the_digest(client, idporten):
    user = UserFactory()
    identity = user_link_idporten(user=user, pid=PID)
    force_login_verified(client, SuperuserFactory())  # the admin asks for two-factor
    response = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    assert 'id="idporten_identity-group"' in response.text  # the inline itself, not the menu's model name
    assert "ID-porten-kobling" in response.text
    assert identity.pid_digest not in response.text


def test_a_person_with_two_factor_on_gives_the_code_after_an_idporten_login_too(client, idporten):
    from tests.otp import totp_code, totp_device

    user = UserFactory()
    device = totp_device(user)
    user_link_idporten(user=user, pid=PID)
    idporten.claims = {"acr": "idporten-loa-substantial"}

    response = idporten_login(client, idporten)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login-verify"))
    assert client.get(reverse("my-page")).status_code == 302  # nothing opens before the code
    response = client.post(response["Location"], {"code": totp_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("my-page")).status_code == 200
