import factory

from accounts.models import User
from schemes.services import scheme_search_refresh

DEFAULT_PASSWORD = "et-langt-testpassord-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.no")
    full_name = factory.Faker("name", locale="no_NO")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True


class SuperuserFactory(UserFactory):
    is_staff = True
    is_superuser = True


def _valid_org_numbers():
    from stdnum.no import orgnr

    for prefix in range(80_000_000, 90_000_000):
        for check in "0123456789":  # at most one check digit fits; none when MOD11 gives 10
            if orgnr.is_valid(f"{prefix}{check}"):
                yield f"{prefix}{check}"
                break


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organisations.Organisation"

    name = factory.Sequence(lambda n: f"Organisasjon {n}")
    # 9-digit numbers with a valid MOD11 check digit, from a range no real body is likely to use.
    org_number = factory.Iterator(_valid_org_numbers(), cycle=False)
    kind = "statlig"
    public_funding_share = 100


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organisations.Membership"

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "member"


class AgencyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Forvalter {n}")
    is_funding_agency = True


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "schemes.Scheme"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Ordning {n}")
    slug = factory.Sequence(lambda n: f"ordning-{n}")

    @factory.post_generation
    def agencies(obj, create, extracted, **kwargs):
        if create:
            obj.agencies.set(extracted if extracted is not None else [AgencyFactory()])

    @factory.post_generation
    def search(obj, create, extracted, **kwargs):
        if create:  # as the admin and the seed do after saving a scheme
            scheme_search_refresh(scheme=obj)


class StaffRoleFactory(factory.django.DjangoModelFactory):
    """A saksbehandler by default; pass schemes=[...] (they must be the agency's)."""

    class Meta:
        model = "accounts.StaffRole"
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    role = "saksbehandler"
    agency = factory.SubFactory(AgencyFactory)

    @factory.post_generation
    def schemes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.schemes.set(extracted)


class CallFactory(factory.django.DjangoModelFactory):
    """An open call by default: opened 10 days ago, closing in 30 days at 13:00 Norwegian time."""

    class Meta:
        model = "schemes.Call"
        skip_postgeneration_save = True

    scheme = factory.SubFactory(SchemeFactory)
    title = factory.Sequence(lambda n: f"Utlysning {n}")
    slug = factory.Sequence(lambda n: f"utlysning-{n}")
    opens_at = factory.LazyFunction(lambda: _oslo_days_from_now(-10))
    closes_at = factory.LazyFunction(lambda: _oslo_days_from_now(30))
    budget = 10_000_000
    min_amount = 100_000
    max_amount = 2_000_000

    @factory.post_generation
    def search(obj, create, extracted, **kwargs):
        if create:  # as the admin and the seed do after saving a call
            scheme_search_refresh(scheme=obj.scheme)


def _oslo_days_from_now(days: int, hour: int = 13):
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    oslo = ZoneInfo("Europe/Oslo")
    day = timezone.localtime(timezone.now(), oslo).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=oslo)


class AssessmentCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "schemes.AssessmentCriterion"

    call = factory.SubFactory(CallFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Kriterium {n}")
    weight = 100


def call_with_form(*, definition=None, **call_kwargs):
    """A call (``CallFactory``) with an application form (tests/example_forms.py FULL_FORM by default)."""
    from applications.services import call_form_save
    from tests.example_forms import FULL_FORM

    call = CallFactory(**call_kwargs)
    call_form_save(call=call, definition=definition or FULL_FORM, by_user=None)
    return call


def full_form_with_facts(**facts: str) -> dict:
    """The example full form (tests/example_forms.py) with ``fact`` set on questions (question key →
    fact); by default the duration question provides ``duration_months``."""
    import copy

    from tests.example_forms import FULL_FORM

    facts = facts or {"varighet": "duration_months"}
    definition = copy.deepcopy(FULL_FORM)
    for section in definition["sections"]:
        for question in section["questions"]:
            if question["key"] in facts:
                question["fact"] = facts[question["key"]]
    return definition


def make_application(*, organisation=None, call=None, by_user=None, **call_kwargs):
    """A draft by a member of ``organisation`` (created through the service, so it has its form
    copy and its «created» event). Returns the application."""
    from applications.services import application_create

    if by_user is None:
        membership = MembershipFactory(organisation=organisation) if organisation else MembershipFactory()
        by_user, organisation = membership.user, membership.organisation
    call = call or call_with_form(**call_kwargs)
    return application_create(call=call, organisation=organisation, by_user=by_user)


def planned_start():
    """A project start as an applicant would plan it: the first of the month half a year after the
    (controlled) now, so it never slides into the past."""
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localdate() + timedelta(days=183)).replace(day=1)


class LazyPosts:
    """A read-only dict built afresh by ``make()`` at every use (``[key]``, ``items()``, ``{**posts}``),
    so the dates in it follow the controlled now of the test that reads it, not the import's moment."""

    def __init__(self, make):
        self._make = make

    def __getitem__(self, key):
        return self._make()[key]

    def __iter__(self):
        return iter(self._make())

    def __len__(self):
        return len(self._make())

    def keys(self):
        return self._make().keys()

    def items(self):
        return self._make().items()


# Answers that complete the example full form (tests/example_forms.py FULL_FORM), section by section,
# as a browser would post them; partners, budget and attachments are on their own pages.
FULL_FORM_POSTS = LazyPosts(lambda: {
    "om-prosjektet": {"tittel": "Digital tilsynsassistent", "sammendrag": "Vi prøver ut en assistent.",
                      "startdato": planned_start().strftime("%d.%m.%Y"), "varighet": "24"},
    "problemstilling-og-behov": {"behov": "Færre ventedager.", "delt-behov": "ja", "baerekraftsmal": ["3", "11"]},
    "gjennomforing": {"plan": "Tre faser.", "forankring": "ja"},
})  # fmt: skip
