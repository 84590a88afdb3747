"""Fill the queue's stored figures (``Application.weighted_score``, ``review_due_first``) for every
application in one set-based UPDATE, and cancel the scheduler rows that were already moot before
the services began cancelling them (assignments declared in conflict or delivered; offers answered
or lapsed; applications decided or withdrawn). The SQL is the text of ``review/figures.py`` as it
was when this migration was written, so a later change there does not change what this did."""

from django.db import migrations
from django.utils import timezone

WEIGHTED = """
SELECT CASE WHEN count(*) > 0 AND count(v.value) = count(*) AND sum(v.weight) > 0
            THEN sum(v.value * v.weight) / sum(v.weight) END
FROM (
  SELECT c.weight,
         COALESCE(
           (SELECT 1.0 * cs.score FROM review_consensusscore cs
             WHERE cs.application_id = applications_application.id AND cs.criterion_id = c.id),
           (SELECT avg(s.score) FROM review_score s
              JOIN review_review r ON r.id = s.review_id
              JOIN review_reviewassignment a ON a.id = r.assignment_id
             WHERE a.application_id = applications_application.id AND s.criterion_id = c.id
               AND r.submitted_at IS NOT NULL AND s.score IS NOT NULL)
         ) AS value
  FROM schemes_assessmentcriterion c
  WHERE c.call_id = applications_application.call_id
) v
"""
DUE_FIRST = """
SELECT min(a.due_date) FROM review_reviewassignment a
WHERE a.application_id = applications_application.id AND a.state IN ('venter', 'aktiv')
"""
FILL = f"""
UPDATE applications_application SET weighted_score = ROUND(({WEIGHTED}), 6), review_due_first = ({DUE_FIRST})
WHERE id IN (SELECT application_id FROM review_reviewassignment UNION SELECT application_id FROM review_consensusscore)
"""  # noqa: S608 - constant text


def fill_figures(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FILL)


def cancel_moot_steps(apps, schema_editor):
    ScheduledEffect = apps.get_model("scheduling", "ScheduledEffect")
    ReviewAssignment = apps.get_model("review", "ReviewAssignment")
    Offer = apps.get_model("review", "Offer")
    now = timezone.now()
    moot = {"state": "cancelled", "cancelled_at": now}
    waiting = ScheduledEffect.objects.filter(state__in=("pending", "failed"))
    for state, reason in (("inhabil", "conflict"), ("levert", "delivered")):
        waiting.filter(
            target_type="assignment", kind__in=("review-reminder", "review-overdue"),
            target_id__in=ReviewAssignment.objects.filter(state=state).values("pk"),
        ).update(cancel_reason=reason, **moot)  # fmt: skip
    answered = Offer.objects.exclude(answer="")
    waiting.filter(target_type="offer", kind="offer-reminder", target_id__in=answered.values("pk")).update(
        cancel_reason="offer-answered", **moot
    )
    waiting.filter(target_type="application", kind="offer-lapse",
                   target_id__in=answered.values("application_id")).update(cancel_reason="offer-answered", **moot)  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0003_project_reports"),
        ("applications", "0007_application_review_figures"),
        ("scheduling", "0005_effect_cancelled"),
    ]

    operations = [
        migrations.RunPython(fill_figures, migrations.RunPython.noop),
        migrations.RunPython(cancel_moot_steps, migrations.RunPython.noop),
    ]
