"""Reminders before an application deadline and what happens at it: the clock moved across each
moment (time-machine), asserting exactly who got what, once (PostgreSQL, eager tasks)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from applications.models import Application, ApplicationEvent, EventKind
from applications.services import (
    DeadlineNotPassed,
    application_create,
    application_reopen,
    application_section_save,
    application_submit,
    application_withdraw,
    applications_close_at_deadline,
    call_form_save,
)
from applications.services.deadlines import CLOSE_GRACE
from applications.workflow import State
from organisations.models import Membership
from scheduling.deadlines import deadline_passed
from scheduling.engine import effects_sweep
from scheduling.models import Notice, ScheduledEffect
from scheduling.services import call_schedule
from schemes.models import Call, CallStage
from tests.applications.helpers import complete_application, post_data
from tests.example_forms import FULL_FORM
from tests.factories import (
    FULL_FORM_POSTS,
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    SchemeFactory,
    StaffRoleFactory,
    UserFactory,
    call_with_form,
    make_application,
)
from tests.scheduling.helpers import CLOSES, OPENS

pytestmark = pytest.mark.django_db

SETUP = OPENS + timedelta(days=1)
SECOND = timedelta(seconds=1)


def sweep_at(moment, eager):
    with time_machine.travel(moment, tick=False), eager():
        effects_sweep()


def reminders():
    """(application name, e-mail, offset) of every reminder notice (names: ``named``)."""
    return sorted(
        (NAMES[n.application_id], n.user.email, n.data["offset"])
        for n in Notice.objects.filter(kind=Notice.Kind.DRAFT_REMINDER).select_related("user")
    )


def mails_to():
    return sorted(m.to[0] for m in mail.outbox)


def member(organisation, email, *, role=Membership.Role.MEMBER, language="nb"):
    return MembershipFactory(
        organisation=organisation, role=role, user=UserFactory(email=email, language=language)
    ).user


def save_section(application, user):
    data = FULL_FORM_POSTS["om-prosjektet"]
    application_section_save(application_id=application.pk, section_key="om-prosjektet", data=post_data(data),
                             base_version=Application.objects.get(pk=application.pk).section_version("om-prosjektet"),
                             by_user=user)  # fmt: skip


NAMES: dict[int, str] = {}


def named(application, name):
    """Tests refer to applications by a short name (titles change as they are filled in)."""
    NAMES[application.pk] = name
    Application.objects.filter(pk=application.pk).update(title=name)


@pytest.fixture
def world(private_storage):
    """A call closing at CLOSES, and applications in every state, made at SETUP."""
    with time_machine.travel(SETUP, tick=False):
        scheme = SchemeFactory()
        agency = scheme.agencies.get()
        call = call_with_form(scheme=scheme, opens_at=OPENS, closes_at=CLOSES, title="Klima 2027")
        call_schedule(call=call)
        org_a, org_b = OrganisationFactory(), OrganisationFactory()
        ans_a = member(org_a, "ans-a@example.no", role=Membership.Role.ANSVARLIG, language="en")
        creator = member(org_a, "skaper@example.no")
        helper = member(org_a, "hjelper@example.no")
        member(org_a, "tilskuer@example.no")  # a member who never touched either draft: not reminded
        ans_b = member(org_b, "ans-b@example.no", role=Membership.Role.ANSVARLIG)
        d1 = make_application(organisation=org_a, call=call, by_user=creator)
        d2 = make_application(organisation=org_a, call=call, by_user=ans_a)
        save_section(d2, helper)
        submitted = make_application(organisation=org_b, call=call, by_user=ans_b)
        complete_application(submitted, ans_b)
        application_submit(application_id=submitted.pk, by_user=ans_b, now=timezone.now())
        reopened = make_application(organisation=org_b, call=call, by_user=ans_b)
        complete_application(reopened, ans_b)
        application_submit(application_id=reopened.pk, by_user=ans_b, now=timezone.now())
        application_reopen(application_id=reopened.pk, by_user=ans_b, now=timezone.now())
        withdrawn = make_application(organisation=org_b, call=call, by_user=ans_b)
        application_withdraw(application_id=withdrawn.pk, by_user=ans_b, reason="Vi rekker det ikke.")
        for app, title in [(d1, "d1"), (d2, "d2"), (submitted, "s"), (reopened, "r"), (withdrawn, "w")]:
            named(app, title)
        officer = StaffRoleFactory(user=UserFactory(email="saksbehandler@example.no"), agency=agency,
                                   schemes=[scheme]).user  # fmt: skip
        StaffRoleFactory(user=UserFactory(email="admin@example.no"), agency=agency, role="administrator")
        StaffRoleFactory(user=UserFactory(email="annen@example.no"), agency=agency, schemes=[SchemeFactory(
            agencies=[agency])])  # fmt: skip  # handles another scheme of the same agency: not told
    # The receipts of the two submissions are the applications' own (tests/applications): not counted here.
    ScheduledEffect.objects.filter(kind="application-receipt").delete()
    mail.outbox.clear()
    return {"call": call, "ans_a": ans_a, "ans_b": ans_b, "d1": d1, "d2": d2, "s": submitted, "r": reopened,
            "officer": officer}  # fmt: skip


def test_reminders_at_t_minus_7d_1d_2h_reach_who_worked_on_each_open_draft_once(world, eager):
    d1_people = [("d1", "ans-a@example.no"), ("d1", "skaper@example.no")]
    d2_people = [("d2", "ans-a@example.no"), ("d2", "hjelper@example.no")]
    r_people = [("r", "ans-b@example.no")]  # reopened is open too: it may still be improved and resent

    sweep_at(CLOSES - timedelta(days=7) - SECOND, eager)  # nothing early
    assert (reminders(), mails_to()) == ([], [])

    sweep_at(CLOSES - timedelta(days=7), eager)
    assert reminders() == sorted((a, e, "7d") for a, e in d1_people + d2_people + r_people)
    assert len(mail.outbox) == 5
    languages = {m.to[0]: m.extra_headers["Content-Language"] for m in mail.outbox}
    assert (languages["ans-a@example.no"], languages["skaper@example.no"]) == ("en", "nb")
    bokmaal = next(m for m in mail.outbox if m.to == ["skaper@example.no"])
    assert "«d1»" in bokmaal.subject + bokmaal.body and "15.04.2027 kl. 13:00" in bokmaal.body
    for minutes in (1, 2, 60):  # later ticks and reruns: nothing twice
        sweep_at(CLOSES - timedelta(days=7) + timedelta(minutes=minutes), eager)
    assert len(mail.outbox) == 5

    with time_machine.travel(CLOSES - timedelta(days=3), tick=False):  # d2 is sent in between
        complete_application(world["d2"], world["ans_a"])
        application_submit(application_id=world["d2"].pk, by_user=world["ans_a"], now=timezone.now())
        application_submit(application_id=world["r"].pk, by_user=world["ans_b"], now=timezone.now())
    ScheduledEffect.objects.filter(kind="application-receipt").delete()  # the receipts: not counted here
    mail.outbox.clear()

    sweep_at(CLOSES - timedelta(days=1), eager)
    sweep_at(CLOSES - timedelta(hours=2), eager)
    sweep_at(CLOSES - timedelta(hours=2) + timedelta(minutes=5), eager)
    expected = sorted(
        [(a, e, "7d") for a, e in d1_people + d2_people + r_people]
        + [(a, e, off) for a, e in d1_people for off in ("1d", "2h")]
    )
    assert reminders() == expected
    assert mails_to() == sorted(["ans-a@example.no", "skaper@example.no"] * 2)


def test_at_the_deadline_drafts_close_reopened_fall_back_and_officers_get_one_count(world, eager):
    # The deadline's very moment, and until CLOSE_GRACE after it: still a draft (a submit that
    # arrived before the deadline may still be waiting for the row lock, and must find it so).
    sweep_at(CLOSES, eager)
    sweep_at(CLOSES + CLOSE_GRACE - SECOND, eager)
    assert Application.objects.get(pk=world["d1"].pk).state == State.DRAFT
    row = ScheduledEffect.objects.get(kind="call-close")
    assert (row.state, row.due_at) == ("pending", CLOSES + CLOSE_GRACE)

    sweep_at(CLOSES + CLOSE_GRACE, eager)
    states = dict(Application.objects.values_list("title", "state"))
    # What was submitted (the reopened one with its last version) goes on to formal check.
    assert states == {"d1": State.NOT_SUBMITTED, "d2": State.NOT_SUBMITTED, "s": State.FORMAL_CHECK,
                      "r": State.FORMAL_CHECK, "w": State.WITHDRAWN}  # fmt: skip
    events = sorted(
        ApplicationEvent.objects.filter(kind__in=[EventKind.NOT_SUBMITTED, EventKind.DEADLINE_PASSED]).values_list(
            "application__title", "kind", "from_state", "to_state"
        )
    )
    assert events == [("d1", "not-submitted", "utkast", "ikke-sendt"), ("d2", "not-submitted", "utkast", "ikke-sendt"),
                      ("r", "deadline-passed", "gjenapnet", "sendt")]  # fmt: skip
    assert ApplicationEvent.objects.get(kind=EventKind.DEADLINE_PASSED).data["version"] == 1
    summaries = sorted(Notice.objects.filter(kind=Notice.Kind.DEADLINE_SUMMARY).values_list("user__email", "data"))
    assert [email for email, _ in summaries] == ["admin@example.no", "saksbehandler@example.no"]
    assert {data["submitted"] for _, data in summaries} == {2}
    assert mails_to() == ["admin@example.no", "saksbehandler@example.no"]
    assert "2 søknader ble sendt inn" in mail.outbox[0].body

    for minutes in (2, 5, 60):  # reruns and later ticks change nothing
        sweep_at(CLOSES + timedelta(minutes=minutes), eager)
    with time_machine.travel(CLOSES + timedelta(hours=1), tick=False):
        assert deadline_passed(call=world["call"]) == 0  # even outside the engine's guard
    assert ApplicationEvent.objects.filter(kind__in=[EventKind.NOT_SUBMITTED, EventKind.DEADLINE_PASSED]).count() == 3
    assert (Notice.objects.filter(kind=Notice.Kind.DEADLINE_SUMMARY).count(), len(mail.outbox)) == (2, 2)
    mine = ScheduledEffect.objects.exclude(kind__startswith="application-")  # receipts are H3's
    assert set(mine.values_list("state", flat=True)) == {"done"}


def test_the_close_refuses_before_the_deadline_and_writes_nothing(world):
    with pytest.raises(DeadlineNotPassed):
        applications_close_at_deadline(call=world["call"], now=CLOSES)
    assert Application.objects.filter(state=State.NOT_SUBMITTED).count() == 0
    assert not ApplicationEvent.objects.filter(kind=EventKind.NOT_SUBMITTED).exists()


def test_a_moved_deadline_moves_the_reminders_and_a_new_setting_replaces_them(eager):
    with time_machine.travel(SETUP, tick=False):
        call = call_with_form(opens_at=OPENS, closes_at=CLOSES)
        call_schedule(call=call)
    due = lambda: dict(ScheduledEffect.objects.filter(kind="draft-reminders").values_list("key", "due_at"))  # noqa: E731
    assert due() == {f"draft-reminders:{call.pk}:7d": CLOSES - timedelta(days=7),
                     f"draft-reminders:{call.pk}:1d": CLOSES - timedelta(days=1),
                     f"draft-reminders:{call.pk}:2h": CLOSES - timedelta(hours=2)}  # fmt: skip
    later = CLOSES + timedelta(days=14)
    Call.objects.filter(pk=call.pk).update(closes_at=later, draft_reminders="3d")
    call.refresh_from_db()
    call_schedule(call=call)
    assert due() == {f"draft-reminders:{call.pk}:3d": later - timedelta(days=3)}
    assert ScheduledEffect.objects.get(key=f"call-close:{call.pk}").due_at == later + CLOSE_GRACE


def test_a_scheduler_down_for_days_sends_only_the_latest_reminder(private_storage, eager):
    with time_machine.travel(SETUP, tick=False):
        call = call_with_form(opens_at=OPENS, closes_at=CLOSES)
        call_schedule(call=call)
        ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG).user
        make_application(organisation=ansvarlig.memberships.get().organisation, call=call, by_user=ansvarlig)
    sweep_at(CLOSES - timedelta(hours=3), eager)  # the 7d and 1d moments passed while it was down
    assert [n.data["offset"] for n in Notice.objects.all()] == ["1d"]
    sweep_at(CLOSES - timedelta(hours=1), eager)
    assert sorted(n.data["offset"] for n in Notice.objects.all()) == ["1d", "2h"]
    assert len(mail.outbox) == 2


def test_a_stage_with_its_own_deadline_closes_its_applications_then(private_storage, eager):
    with time_machine.travel(SETUP, tick=False):
        call = CallFactory(opens_at=OPENS, closes_at=CLOSES)
        sketch = CallStage.objects.create(call=call, order=1, kind="skisse", closes_at=CLOSES - timedelta(days=20))
        call_form_save(call=call, stage=sketch, definition=FULL_FORM, by_user=None)
        call_schedule(call=call)
        ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG).user
        organisation = ansvarlig.memberships.get().organisation
        in_sketch = application_create(call=call, organisation=organisation, by_user=ansvarlig, stage=sketch)
    keys = set(ScheduledEffect.objects.values_list("key", flat=True))
    assert {f"stage-close:{sketch.pk}", f"draft-reminders:{call.pk}:stage-{sketch.pk}:7d"} <= keys
    sweep_at(sketch.closes_at - timedelta(days=7), eager)
    assert [(n.application_id, n.data["offset"]) for n in Notice.objects.all()] == [(in_sketch.pk, "7d")]
    sweep_at(sketch.closes_at + CLOSE_GRACE, eager)
    in_sketch.refresh_from_db()
    assert in_sketch.state == State.NOT_SUBMITTED
    sweep_at(CLOSES - timedelta(days=7), eager)  # the call's own reminders: nobody left in the stage
    assert Notice.objects.count() == 1
