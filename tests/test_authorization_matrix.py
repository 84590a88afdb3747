"""Every URL the project defines × every role, with the expected outcome.

Adding a URL without adding it here fails `test_every_url_is_in_the_matrix`. The admin is covered
by Django's own staff check (tests/test_admin.py) and is listed as one entry. Staff roles
(saksbehandler, fagekspert) join the matrix when they exist (issue 3, remaining part).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from organisations.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member_a", "ansvarlig_a", "member_b", "admin"]
OK, LOGIN, NOT_FOUND, NOT_ALLOWED, REDIRECT = 200, "login", 404, 405, 302

# url name -> (method, args, {role: expected}); args name fixtures' objects by key.
MATRIX = {
    "home": ("get", [], dict.fromkeys(ROLES, OK)),
    "accessibility-statement": ("get", [], dict.fromkeys(ROLES, OK)),
    "favicon": ("get", [], dict.fromkeys(ROLES, 301)),
    "healthz": ("skip", [], {}),  # answers 200/503 by the state of the worker: tests/test_healthz.py
    "set-language": ("post", [], dict.fromkeys(ROLES, REDIRECT)),
    "login": ("get", [], {"anonymous": OK, "member_a": REDIRECT, "ansvarlig_a": REDIRECT, "member_b": REDIRECT,
                          "admin": REDIRECT}),
    "logout": ("post", [], dict.fromkeys(ROLES, OK)),
    "my-page": ("get", [], {"anonymous": LOGIN, "member_a": OK, "ansvarlig_a": OK, "member_b": OK, "admin": OK}),
    "organisation-detail": ("get", ["org_a"], {"anonymous": LOGIN, "member_a": OK, "ansvarlig_a": OK,
                                               "member_b": NOT_FOUND, "admin": NOT_FOUND}),
    # ID-porten, switched on (off, every one of them is a 404 for everyone: tests/accounts/test_idporten.py).
    "idporten-login": ("get", [], dict.fromkeys(ROLES, REDIRECT)),  # to ID-porten; logged in: to Min side
    "idporten-callback": ("get", [], dict.fromkeys(ROLES, REDIRECT)),  # no state: back with a message
    "idporten-logged-out": ("get", [], dict.fromkeys(ROLES, OK)),
    "idporten-link": ("post", [], {"anonymous": LOGIN, "member_a": REDIRECT, "ansvarlig_a": REDIRECT,
                                   "member_b": REDIRECT, "admin": REDIRECT}),
    "idporten-unlink": ("post", [], {"anonymous": LOGIN, "member_a": REDIRECT, "ansvarlig_a": REDIRECT,
                                     "member_b": REDIRECT, "admin": REDIRECT}),
    "admin:*": ("get", [], {"anonymous": REDIRECT, "member_a": REDIRECT, "ansvarlig_a": REDIRECT,
                            "member_b": REDIRECT, "admin": OK}),
}  # fmt: skip


def project_url_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "admin":
                yield "admin:*"
                continue
            yield from project_url_names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_is_in_the_matrix():
    names = set(project_url_names())
    assert names - set(MATRIX) == set(), "add these URLs to the authorization matrix"
    assert set(MATRIX) - names == set(), "these matrix entries name no URL"


@pytest.fixture
def world():
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    return {
        "org_a": org_a,
        "users": {
            "anonymous": None,
            "member_a": MembershipFactory(organisation=org_a).user,
            "ansvarlig_a": MembershipFactory(organisation=org_a, role=Membership.Role.ANSVARLIG).user,
            "member_b": MembershipFactory(organisation=org_b).user,
            "admin": SuperuserFactory(),
            "no_org": UserFactory(),
        },
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", [name for name, (method, _, _) in MATRIX.items() if method != "skip"])
def test_matrix(client, settings, world, url_name, role):
    method, args, expected = MATRIX[url_name]
    settings.IDPORTEN_ENABLED = True
    url = (
        reverse("admin:index") if url_name == "admin:*" else reverse(url_name, args=[world[a].org_number for a in args])
    )
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    data = {"language": "nb", "next": "/"} if url_name == "set-language" else {}
    response = getattr(client, method)(url, data)
    if expected[role] == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected[role], f"{url_name} as {role}"
