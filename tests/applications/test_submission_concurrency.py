"""Simultaneous submits on PostgreSQL: each thread has its own connection and transaction, as
separate requests would. The row lock in ``application_submit`` serialises them."""

import threading
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from applications.models import Application, ApplicationEvent, ApplicationVersion, EventKind, ReferenceCounter
from organisations.models import Membership
from scheduling.models import ScheduledEffect
from tests.applications.helpers import complete_application
from tests.factories import MembershipFactory, make_application

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 10


@pytest.fixture(autouse=True)
def _no_broker():
    """The receipts are rows (checked below); publishing the sweep to Redis is not under test here."""
    with mock.patch("scheduling.tasks.sweep.apply_async") as delay:
        yield delay


def ready_application(call=None):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, call=call, by_user=ansvarlig.user)
    complete_application(application, ansvarlig.user)
    return application, ansvarlig.user


def run_at_once(jobs):
    """Run each job in its own thread, all released together; returns their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=30)
            results[i] = job()
        except Exception as error:  # noqa: BLE001 - reported by the test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_ten_simultaneous_submits_of_one_application_give_one_submission(private_storage):
    application, ansvarlig = ready_application()
    url = reverse("application-submit", args=[application.pk])
    clients = []
    for _ in range(THREADS):  # logged in beforehand: the threads only post
        client = Client()
        client.force_login(ansvarlig)
        clients.append(client)

    results = run_at_once([lambda c=c: c.post(url) for c in clients])

    statuses = sorted(getattr(r, "status_code", repr(r)) for r in results)
    assert statuses == [200] * (THREADS - 1) + [302], statuses
    refused = [r for r in results if r.status_code == 200]
    assert all("Søknaden er allerede sendt inn." in r.text for r in refused)
    application.refresh_from_db()
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert ApplicationEvent.objects.filter(application=application, kind=EventKind.SUBMITTED).count() == 1
    assert not ApplicationEvent.objects.filter(application=application, kind=EventKind.RESUBMITTED).exists()
    assert application.reference.endswith("-00001")
    assert ReferenceCounter.objects.get().last == 1  # one number given, none lost
    # One receipt per person (the submitter is the ansvarlig), not one per click.
    assert ScheduledEffect.objects.filter(kind="application-receipt").count() == 1


def test_two_applications_of_one_call_submitted_at_once_get_consecutive_references(private_storage):
    first, first_ansvarlig = ready_application()
    second, second_ansvarlig = ready_application(call=first.call)
    jobs = []
    for application, user in ((first, first_ansvarlig), (second, second_ansvarlig)):
        client = Client()
        client.force_login(user)
        jobs.append(lambda c=client, a=application: c.post(reverse("application-submit", args=[a.pk])))

    results = run_at_once(jobs)

    assert [getattr(r, "status_code", repr(r)) for r in results] == [302, 302]
    references = sorted(Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("reference", flat=True))
    numbers = [int(reference.rsplit("-", 1)[1]) for reference in references]
    assert numbers == [1, 2]
    assert references[0].rsplit("-", 1)[0] == references[1].rsplit("-", 1)[0]  # same year and scheme code
