"""Demo data for `make run`: safe to rerun (updates, never duplicates).

The passwords are obvious local demo values, printed on purpose; the command refuses to run when
DEBUG is off so it can never seed a real deployment. The public bodies are real (their
organisasjonsnummer are their own); the people and the company are made up.
"""

from base64 import b32decode

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import StaffRole, User
from accounts.permissions import requires_two_factor
from applications.seed import applications_seed, call_forms_seed
from organisations.models import Membership, Organisation, OrganisationKind
from schemes.seed import schemes_seed

DEMO_PASSWORD = "demo-passord-2026"  # noqa: S105 - local demo value, printed by `make run`
# Staff must give a code from an authenticator app (two-factor). Every demo staff user gets a
# confirmed TOTP device with this one obviously-demo secret: add it to an app, or print the
# current code with `manage.py demo_totp <e-post>`.
DEMO_TOTP_SECRET = "DEMODEMODEMODEMODEMODEMODEMODEMO"  # noqa: S105 - base32, 20 bytes, printed on purpose
DEMO_TOTP_KEY = b32decode(DEMO_TOTP_SECRET).hex()

K = OrganisationKind
DEMO_ORGANISATIONS = [
    # (org number, name, kind, municipality, county, public share, funding agency)
    ("964338531", "Bergen kommune", K.KOMMUNE, "4601", None, 100, False),
    ("942110464", "Trondheim kommune", K.KOMMUNE, "5001", None, 100, False),
    ("940101808", "Tromsø kommune", K.KOMMUNE, "5501", None, 100, False),
    ("972418013", "Bodø kommune", K.KOMMUNE, "1804", None, 100, False),
    ("821311632", "Vestland fylkeskommune", K.FYLKESKOMMUNE, None, "46", 100, False),
    ("889640782", "Arbeids- og velferdsetaten (NAV)", K.STATLIG, None, None, 100, False),
    ("948007029", "SINTEF AS", K.RESEARCH, None, None, None, False),
    ("999000002", "Demo Teknologi AS (oppdiktet)", K.COMPANY, None, None, 0, False),
    ("970141669", "Norges forskningsråd", K.STATLIG, None, None, 100, True),
    ("986399445", "Innovasjon Norge", K.STATLIG, None, None, 100, True),
    ("991825827", "Digitaliseringsdirektoratet", K.STATLIG, None, None, 100, True),
    ("971268603", "Stiftelsen Design og arkitektur Norge (DOGA)", K.OTHER_PUBLIC, None, None, 100, True),
    ("986252932", "Direktoratet for forvaltning og økonomistyring (DFØ)", K.STATLIG, None, None, 100, True),
]

NFR, IN, DIGDIR, DOGA = "970141669", "986399445", "991825827", "971268603"

S = StaffRole.Role
DEMO_STAFF_ROLES = {
    # e-mail -> [(role, agency, [scheme slugs])]
    "sara.saksbehandler@demo.innovasjonsportalen.no": [
        (S.OFFICER, NFR, ["innovasjonsprosjekt-offentlig-sektor", "offentlig-sektor-phd"])
    ],
    # A second officer of the scheme: a decision is prepared by one officer and confirmed by another.
    "tone.saksbehandler@demo.innovasjonsportalen.no": [(S.OFFICER, NFR, ["innovasjonsprosjekt-offentlig-sektor"])],
    "ivar.saksbehandler@demo.innovasjonsportalen.no": [(S.OFFICER, IN, ["innovasjonspartnerskap"])],
    "frida.fagekspert@demo.innovasjonsportalen.no": [(S.REVIEWER, NFR, [])],
    "dag.administrator@demo.innovasjonsportalen.no": [(S.ADMINISTRATOR, DIGDIR, [])],
}

DEMO_ADMIN_EMAIL = "admin@demo.innovasjonsportalen.no"  # writes the schemes' first rule versions

R = Membership.Role
DEMO_USERS = [
    # (e-mail, name, staff, superuser, role described, [(org number, membership role)])
    ("admin@demo.innovasjonsportalen.no", "Ada Administrator", True, True, "portaladministrator (superbruker)", []),
    ("kari.medlem@demo.innovasjonsportalen.no", "Kari Nordmann", False, False, "søker, Bergen",
     [("964338531", R.MEMBER)]),
    ("per.ansvarlig@demo.innovasjonsportalen.no", "Per Hansen", False, False, "adm. ansvarlig, Bergen",
     [("964338531", R.ANSVARLIG)]),
    ("ola.medlem@demo.innovasjonsportalen.no", "Ola Berg", False, False, "søker, Trondheim",
     [("942110464", R.MEMBER)]),
    ("siri.ansvarlig@demo.innovasjonsportalen.no", "Siri Johansen", False, False, "adm. ansvarlig, Trondheim",
     [("942110464", R.ANSVARLIG)]),
    ("tor.ansvarlig@demo.innovasjonsportalen.no", "Tor Eriksen", False, False, "adm. ansvarlig, Tromsø",
     [("940101808", R.ANSVARLIG)]),
    ("berit.ansvarlig@demo.innovasjonsportalen.no", "Berit Olsen", False, False, "adm. ansvarlig, Bodø",
     [("972418013", R.ANSVARLIG)]),
    ("sara.saksbehandler@demo.innovasjonsportalen.no", "Sara Lunde", False, False, "saksbehandler, Forskningsrådet",
     []),
    ("tone.saksbehandler@demo.innovasjonsportalen.no", "Tone Vik", False, False, "saksbehandler, Forskningsrådet",
     []),
    ("ivar.saksbehandler@demo.innovasjonsportalen.no", "Ivar Moen", False, False, "saksbehandler, Innovasjon Norge",
     []),
    ("frida.fagekspert@demo.innovasjonsportalen.no", "Frida Aas", False, False, "fagekspert, Forskningsrådet", []),
    ("dag.administrator@demo.innovasjonsportalen.no", "Dag Strand", True, False, "administrator, Digdir", []),
]  # fmt: skip


class Command(BaseCommand):
    help = "Load demo organisations, users and memberships for local use (refused when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is only for local use; DEBUG is off.")
        organisations = {}
        for number, name, kind, municipality, county, share, agency in DEMO_ORGANISATIONS:
            org = Organisation.objects.filter(org_number=number).first() or Organisation(org_number=number)
            org.name, org.kind, org.municipality_id, org.county_id = name, kind, municipality, county
            org.public_funding_share, org.is_funding_agency = share, agency
            org.full_clean()
            org.save()
            organisations[number] = org
        for email, name, is_staff, is_superuser, _role, memberships in DEMO_USERS:
            user, created = User.objects.get_or_create(
                email=email, defaults={"full_name": name, "is_staff": is_staff, "is_superuser": is_superuser}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            for number, role in memberships:
                Membership.objects.update_or_create(
                    user=user, organisation=organisations[number], defaults={"role": role}
                )
        # The eight schemes with their rules, calls and criteria; call dates are relative to now.
        schemes = schemes_seed(by_user=User.objects.get(email=DEMO_ADMIN_EMAIL))
        call_forms_seed(by_user=User.objects.get(email=DEMO_ADMIN_EMAIL))  # each call's application form
        for email, roles in DEMO_STAFF_ROLES.items():
            user = User.objects.get(email=email)
            for role, agency, slugs in roles:
                staff_role, _created = StaffRole.objects.get_or_create(
                    user=user, role=role, agency=organisations[agency]
                )
                staff_role.schemes.set([schemes[slug] for slug in slugs])
        # A draft and a submitted application of Bergen kommune (SINTEF and Trondheim kommune as partners).
        applications_seed(
            draft_by=User.objects.get(email="kari.medlem@demo.innovasjonsportalen.no"),
            submit_by=User.objects.get(email="per.ansvarlig@demo.innovasjonsportalen.no"),
            organisation=organisations["964338531"], partner=organisations["948007029"],
            public_partner=organisations["942110464"],
        )  # fmt: skip
        for email, *_rest in DEMO_USERS:
            user = User.objects.get(email=email)
            if requires_two_factor(user):
                TOTPDevice.objects.update_or_create(
                    user=user, name="Demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
                )
        # Earlier years in the project bank and statistics, and projects of Tromsø and Bodø funded through the
        # portal with realised benefits (by name: portal does not import the apps above it).
        call_command("load_demo_history", verbosity=0, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not options["quiet_logins"]:
            self.print_logins()

    def print_logins(self):
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _name, _staff, _su, role, _m in DEMO_USERS:
            self.stdout.write(f"  {role:<36} {email}")
        self.stdout.write(
            "Staff and the admin also need a code (two-factor): add the secret "
            f"{DEMO_TOTP_SECRET} to an authenticator app (TOTP, 6 digits, 30 s),\n"
            "  or print the current code with `.venv/bin/python manage.py demo_totp <e-mail>`."
        )
